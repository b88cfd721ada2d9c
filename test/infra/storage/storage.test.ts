import * as assert from "assert";
import { loadConfig } from "../../../infra/config";
import { EvaluationError } from "../../../infra/offline/evaluate";
import { PlanResource } from "../../../infra/offline/graph";
import {
    ACCESS_POINT_GID,
    ACCESS_POINT_UID,
    efsAge,
    NFS_PORT,
    SharedFiles,
    SharedFilesArgs,
} from "../../../infra/storage/shared-files";
import { expectConstructionError } from "../expect";
import { configWith, Graph, graphOf, planWith, STACKS } from "../harness";

for (const stack of STACKS) {
    const config = loadConfig(configWith(stack, {}));

    describe(`shared files: EFS (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const fileSystem = () => g.one("aws:efs/fileSystem:FileSystem");
        const about = (type: string) =>
            g.ofType(type).filter((r) => g.sources(r, "fileSystemId").includes(fileSystem()));
        const dataKey = () =>
            g.sources(
                g
                    .ofType("aws:kms/alias:Alias")
                    .find((a) => a.inputs.name === `alias/shop-${stack}-data`) as PlanResource,
                "targetKeyId",
            )[0];
        const efsGroup = () => g.sources(about("aws:efs/mountTarget:MountTarget")[0], "securityGroups")[0];

        it("is one component that parents the file system and everything around it", () => {
            const component = g.one("shop:storage:SharedFiles");
            for (const r of [
                fileSystem(),
                ...about("aws:efs/mountTarget:MountTarget"),
                ...about("aws:efs/accessPoint:AccessPoint"),
            ]) {
                assert.ok(g.under(component).includes(r), `${r.urn} is not under the component`);
            }
        });

        it("is a regional file system encrypted with the data key", () => {
            const fs = fileSystem();
            assert.strictEqual(fs.inputs.encrypted, true);
            assert.ok(g.sources(fs, "kmsKeyId").includes(dataKey()));
            assert.strictEqual(
                fs.inputs.availabilityZoneName,
                undefined,
                "One Zone file systems live in a single zone",
            );
            assert.deepStrictEqual(
                [fs.inputs.performanceMode, fs.inputs.throughputMode],
                ["generalPurpose", "elastic"],
            );
            assert.strictEqual(fs.protect, stack === "prod", "EFS has no deletion protection of its own");
        });

        it("has one mount target per zone, each in a distinct isolated subnet", () => {
            const targets = about("aws:efs/mountTarget:MountTarget");
            const subnets = targets.map((t) => {
                const found = g.sources(t, "subnetId");
                assert.strictEqual(found.length, 1);
                return found[0];
            });
            assert.strictEqual(new Set(subnets.map((s) => s.urn)).size, targets.length, "distinct subnets");
            assert.deepStrictEqual(
                subnets.map((s) => s.inputs.availabilityZone).sort(),
                [...config.stack.availabilityZones].sort(),
                "one per zone; EFS refuses two in a zone",
            );
            assert.ok(subnets.every((s) => (s.inputs.tags as Record<string, string>).Layer === "isolated"));
            for (const t of targets) assert.deepStrictEqual(g.sources(t, "securityGroups"), [efsGroup()]);
        });

        it("admits NFS only from the catalog service", () => {
            const ingress = g
                .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                .filter((r) => g.sources(r, "securityGroupId").includes(efsGroup()));
            assert.deepStrictEqual(
                ingress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]),
                [["tcp", NFS_PORT, NFS_PORT]],
            );
            assert.deepStrictEqual(
                g
                    .sources(ingress[0], "referencedSecurityGroupId")
                    .map((sg) => (sg.inputs.tags as Record<string, string>).Workload),
                ["svc-catalog"],
            );
            assert.strictEqual(
                g
                    .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                    .filter((r) => g.sources(r, "securityGroupId").includes(efsGroup())).length,
                0,
            );
        });

        it("has a POSIX access point per configured purpose, creating its root directory", () => {
            const accessPoints = about("aws:efs/accessPoint:AccessPoint");
            assert.strictEqual(accessPoints.length, config.storage.accessPoints.length);
            for (const purpose of config.storage.accessPoints) {
                const ap = accessPoints.find(
                    (a) => (a.inputs.rootDirectory as Record<string, unknown>).path === `/${purpose}`,
                ) as PlanResource;
                assert.ok(ap, `no access point for ${purpose}`);
                assert.deepStrictEqual(ap.inputs.posixUser, { uid: ACCESS_POINT_UID, gid: ACCESS_POINT_GID });
                // Without creationInfo a missing root directory makes every mount fail.
                assert.deepStrictEqual((ap.inputs.rootDirectory as Record<string, unknown>).creationInfo, {
                    ownerUid: ACCESS_POINT_UID,
                    ownerGid: ACCESS_POINT_GID,
                    permissions: "0750",
                });
            }
            assert.ok(config.storage.accessPoints.includes("product-media"));
        });

        it("is backed up and moves cold files to Infrequent Access and back", () => {
            const [backup] = about("aws:efs/backupPolicy:BackupPolicy");
            assert.deepStrictEqual(backup.inputs.backupPolicy, { status: "ENABLED" });
            // EFS wants each transition in a policy of its own.
            assert.deepStrictEqual(fileSystem().inputs.lifecyclePolicies, [
                { transitionToIa: efsAge(config.storage.transitionToIaDays) },
                { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
            ]);
        });

        it("denies access without TLS and any mount outside the access points, and allows no one by policy", () => {
            const [policy] = about("aws:efs/fileSystemPolicy:FileSystemPolicy");
            const statements = g.policy(policy).Statement;
            assert.ok(
                statements.every((s) => s.Effect === "Deny"),
                'an allow for "*" would let anonymous clients in; access comes from IAM identities',
            );
            const tls = statements.find((s) => s.Sid === "DenyWithoutTls") as Record<string, any>;
            assert.deepStrictEqual(
                [tls.Principal, tls.Action, tls.Condition],
                [{ AWS: "*" }, "*", { Bool: { "aws:SecureTransport": "false" } }],
            );
            const outside = statements.find((s) => s.Sid === "DenyOutsideAccessPoints") as Record<string, any>;
            assert.ok(
                outside.Action.includes("elasticfilesystem:ClientMount") &&
                    outside.Action.includes("elasticfilesystem:ClientRootAccess"),
            );
            const accessPoints = about("aws:efs/accessPoint:AccessPoint");
            assert.deepStrictEqual(
                g
                    .sources(policy, "policy")
                    .filter((r) => r.type === "aws:efs/accessPoint:AccessPoint")
                    .map((r) => r.urn)
                    .sort(),
                accessPoints.map((a) => a.urn).sort(),
            );
            assert.strictEqual(
                outside.Condition.StringNotEquals["elasticfilesystem:AccessPointArn"].length,
                accessPoints.length,
            );
        });

        it("exports the file system id and an access point id per purpose", () => {
            assert.match(String(g.plan.outputs.fileSystemId), /^fs-/);
            const ids = g.plan.outputs.fileSystemAccessPointIds as Record<string, string>;
            assert.deepStrictEqual(Object.keys(ids).sort(), [...config.storage.accessPoints].sort());
            assert.ok(Object.values(ids).every((id) => id.startsWith("fsap-")));
        });
    });
}

describe("the SharedFiles contract for task definitions", () => {
    const args: SharedFilesArgs = {
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b"],
        zones: ["af-south-1a", "af-south-1b"],
        clientSecurityGroups: { "svc-catalog": "sg-1" },
        accessPoints: ["product-media", "exports"],
        transitionToIaDays: 1,
        dataKeyArn: "arn:aws:kms:af-south-1:111111111111:key/1",
        deletionProtection: false,
    };

    it("mounts through the access point with transit encryption and IAM, and grants the task role that access point only", async () => {
        const plan = await planWith(configWith("dev", {}), () => {
            const files = new SharedFiles("files", args);
            return {
                volume: files.volume("product-media"),
                writer: files.clientStatement("product-media", "read-write"),
                reader: files.clientStatement("exports", "read-only"),
            };
        });
        const volume = plan.outputs.volume as Record<string, any>;
        assert.strictEqual(volume.name, "product-media");
        const efs = volume.efsVolumeConfiguration;
        assert.match(efs.fileSystemId, /^fs-/);
        assert.strictEqual(efs.transitEncryption, "ENABLED");
        assert.deepStrictEqual(Object.keys(efs.authorizationConfig).sort(), ["accessPointId", "iam"]);
        assert.strictEqual(efs.authorizationConfig.iam, "ENABLED");
        // With an access point ECS accepts no root directory but "/".
        assert.ok(efs.rootDirectory === undefined || efs.rootDirectory === "/");
        const writer = plan.outputs.writer as Record<string, any>;
        assert.deepStrictEqual(writer.Action, ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
        assert.match(writer.Resource, /:file-system\/fs-/);
        assert.match(writer.Condition.StringEquals["elasticfilesystem:AccessPointArn"], /:access-point\/fsap-/);
        assert.deepStrictEqual((plan.outputs.reader as Record<string, any>).Action, ["elasticfilesystem:ClientMount"]);
        const ap = plan.resources.find(
            (r) =>
                r.type === "aws:efs/accessPoint:AccessPoint" &&
                (r.inputs.rootDirectory as Record<string, unknown>).path === "/product-media",
        );
        assert.ok(ap, "the volume's access point exists");
        assert.deepStrictEqual(
            plan.resources.find((r) => r.type === "aws:efs/fileSystem:FileSystem")?.inputs.lifecyclePolicies,
            [{ transitionToIa: "AFTER_1_DAY" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
        );
    });

    const invalid: [string, Partial<SharedFilesArgs>, RegExp][] = [
        ["a single zone", { zones: ["af-south-1a"], subnetIds: ["subnet-a"] }, /at least 2 zones, got 1/],
        ["two mount targets in one zone", { zones: ["af-south-1a", "af-south-1a"] }, /one mount target per zone/],
        ["a subnet missing", { subnetIds: ["subnet-a"] }, /one subnet per zone, got 1 for 2 zones/],
        ["no access point", { accessPoints: [] }, /accessPoints is empty/],
        ["no clients", { clientSecurityGroups: {} }, /clientSecurityGroups is empty/],
    ];
    for (const [what, change, message] of invalid) {
        it(`rejects ${what}`, () =>
            expectConstructionError(() => new SharedFiles("files", { ...args, ...change }), message));
    }

    it("names the known purposes when asked for a volume it does not have", async () => {
        const failure = await planWith(configWith("dev", {}), () => ({
            volume: new SharedFiles("files", args).volume("invoices"),
        })).then(
            () => assert.fail("expected volume() to throw"),
            (err: unknown) => err,
        );
        assert.ok(failure instanceof EvaluationError);
        assert.match(failure.message, /no access point for invoices \(known: product-media, exports\)/);
    });

    it("spells transition ages as the EFS API does", () => {
        assert.strictEqual(efsAge(1), "AFTER_1_DAY");
        assert.strictEqual(efsAge(30), "AFTER_30_DAYS");
    });
});
