import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, Statement } from "../shared/iam";
import { admitGroups, ruleLessSecurityGroup } from "../shared/security-groups";

export const NFS_PORT = 2049;

/** Every file written through an access point belongs to this POSIX user and group, whatever the container runs as. */
export const ACCESS_POINT_UID = 1000;
export const ACCESS_POINT_GID = 1000;

/** The actions NFS clients are authorised for; ClientRootAccess is never granted. */
const CLIENT_ACTIONS = [
    "elasticfilesystem:ClientMount",
    "elasticfilesystem:ClientWrite",
    "elasticfilesystem:ClientRootAccess",
];

export interface SharedFilesArgs {
    vpcId: pulumi.Input<string>;
    /** The isolated (data) subnets, one per zone, in the order of `zones`: one mount target each. */
    subnetIds: pulumi.Input<string>[];
    zones: string[];
    /** The security groups of the workloads that mount the file system, by workload name. */
    clientSecurityGroups: Readonly<Record<string, pulumi.Input<string>>>;
    /** One access point (and root directory `/<purpose>`) per purpose. */
    accessPoints: readonly string[];
    /** Days without access before a file moves to Infrequent Access. */
    transitionToIaDays: number;
    /** Its policy must admit EFS (kms:ViaService elasticfilesystem). */
    dataKeyArn: pulumi.Input<string>;
    /** Protect the file system from deletion by Pulumi (EFS has no deletion protection of its own). */
    deletionProtection: boolean;
}

/**
 * A regional EFS file system shared by Fargate tasks (uploaded product media): encrypted with the
 * data key, a mount target in every zone's isolated subnet, NFS only from the workloads that mount
 * it, a POSIX access point per purpose, AWS Backup on, lifecycle to Infrequent Access and back, and
 * a file system policy under which a client gets in only over TLS, signed with IAM credentials, and
 * through one of the access points.
 *
 * Task definitions mount it with `volume(purpose)` (transit encryption and IAM authorisation on)
 * and give their task role `clientStatement(purpose, ...)`; Fargate needs platform version 1.4.0+.
 */
export class SharedFiles extends pulumi.ComponentResource {
    readonly fileSystemId: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;
    /** The mount targets' group; the clients' tiers add egress to it on NFS_PORT. */
    readonly securityGroupId: pulumi.Output<string>;
    readonly accessPointIds: Record<string, pulumi.Output<string>>;
    readonly accessPointArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: SharedFilesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:storage:SharedFiles", name, {}, opts);
        validate(name, args);
        const child = { parent: this };

        const securityGroup = ruleLessSecurityGroup(
            `${name}-sg`,
            args.vpcId,
            `EFS ${name}: NFS from the workloads that mount it only`,
            child,
        );
        admitGroups(`${name}-sg`, securityGroup.id, NFS_PORT, args.clientSecurityGroups, "NFS", child);
        this.securityGroupId = securityGroup.id;

        const fileSystem = new aws.efs.FileSystem(
            `${name}-fs`,
            {
                encrypted: true,
                kmsKeyId: args.dataKeyArn,
                performanceMode: "generalPurpose",
                // Elastic throughput follows the load; no burst credits to run out of during an import.
                throughputMode: "elastic",
                // EFS takes each transition as a policy of its own.
                lifecyclePolicies: [
                    { transitionToIa: efsAge(args.transitionToIaDays) },
                    { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
                ],
                tags: { Name: name },
            },
            { parent: this, protect: args.deletionProtection },
        );
        this.fileSystemId = fileSystem.id;
        this.fileSystemArn = fileSystem.arn;

        new aws.efs.BackupPolicy(
            `${name}-backup`,
            {
                fileSystemId: fileSystem.id,
                backupPolicy: { status: "ENABLED" },
            },
            child,
        );

        args.zones.forEach(
            (zone, i) =>
                new aws.efs.MountTarget(
                    `${name}-mount-${zone}`,
                    {
                        fileSystemId: fileSystem.id,
                        subnetId: args.subnetIds[i],
                        securityGroups: [securityGroup.id],
                    },
                    child,
                ),
        );

        this.accessPointIds = {};
        this.accessPointArns = {};
        for (const purpose of args.accessPoints) {
            const accessPoint = new aws.efs.AccessPoint(
                `${name}-${purpose}`,
                {
                    fileSystemId: fileSystem.id,
                    posixUser: { uid: ACCESS_POINT_UID, gid: ACCESS_POINT_GID },
                    rootDirectory: {
                        path: `/${purpose}`,
                        // Without creationInfo EFS does not create the directory and every mount is refused.
                        creationInfo: { ownerUid: ACCESS_POINT_UID, ownerGid: ACCESS_POINT_GID, permissions: "0750" },
                    },
                    tags: { Name: `${name}-${purpose}` },
                },
                child,
            );
            this.accessPointIds[purpose] = accessPoint.id;
            this.accessPointArns[purpose] = accessPoint.arn;
        }

        new aws.efs.FileSystemPolicy(
            `${name}-policy`,
            {
                fileSystemId: fileSystem.id,
                policy: pulumi
                    .all([fileSystem.arn, pulumi.all(Object.values(this.accessPointArns))])
                    .apply(([arn, accessPoints]) => JSON.stringify(fileSystemPolicy(arn, accessPoints))),
            },
            child,
        );

        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            securityGroupId: this.securityGroupId,
            accessPointIds: this.accessPointIds,
        });
    }

    /**
     * The ECS task definition volume for a purpose: through its access point, TLS to the mount
     * target, and the task role's IAM identity presented to the file system policy.
     */
    volume(purpose: string): aws.types.input.ecs.TaskDefinitionVolume {
        return {
            name: purpose,
            efsVolumeConfiguration: {
                fileSystemId: this.fileSystemId,
                // The access point fixes the root directory; ECS refuses any other rootDirectory with it.
                transitEncryption: "ENABLED",
                authorizationConfig: { accessPointId: this.accessPoint(purpose, this.accessPointIds), iam: "ENABLED" },
            },
        };
    }

    /** The task-role statement that lets a task mount a purpose's access point (and write, unless read-only). */
    clientStatement(purpose: string, access: "read-only" | "read-write"): pulumi.Output<Statement> {
        const actions = access === "read-write" ? CLIENT_ACTIONS.slice(0, 2) : CLIENT_ACTIONS.slice(0, 1);
        return pulumi
            .all([this.fileSystemArn, this.accessPoint(purpose, this.accessPointArns)])
            .apply(([fileSystemArn, accessPointArn]) => ({
                Effect: "Allow" as const,
                Action: actions,
                Resource: fileSystemArn,
                Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPointArn } },
            }));
    }

    private accessPoint(purpose: string, from: Record<string, pulumi.Output<string>>): pulumi.Output<string> {
        const found = from[purpose];
        if (!found)
            throw new Error(`SharedFiles has no access point for ${purpose} (known: ${Object.keys(from).join(", ")})`);
        return found;
    }
}

/**
 * Once a file system policy exists, EFS no longer admits anonymous clients: a client needs an
 * allow from its IAM identity (the task role, see clientStatement). On top of that nothing gets
 * in without TLS, and nobody mounts except through one of the access points.
 */
export function fileSystemPolicy(fileSystemArn: string, accessPointArns: string[]) {
    return policyDocument(
        {
            Sid: "DenyWithoutTls",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "*",
            Resource: fileSystemArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutsideAccessPoints",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: CLIENT_ACTIONS,
            Resource: fileSystemArn,
            Condition: { StringNotEquals: { "elasticfilesystem:AccessPointArn": accessPointArns } },
        },
    );
}

/** EFS spells its transition ages AFTER_1_DAY, AFTER_7_DAYS, ... */
export function efsAge(days: number): string {
    return days === 1 ? "AFTER_1_DAY" : `AFTER_${days}_DAYS`;
}

function validate(name: string, args: SharedFilesArgs): void {
    const fail = (problem: string) => {
        throw new Error(`SharedFiles ${name}: ${problem}`);
    };
    if (args.zones.length < 2)
        fail(`a regional file system needs mount targets in at least 2 zones, got ${args.zones.length}`);
    if (args.subnetIds.length !== args.zones.length)
        fail(`needs one subnet per zone, got ${args.subnetIds.length} for ${args.zones.length} zones`);
    if (new Set(args.zones).size !== args.zones.length) fail("EFS allows one mount target per zone; zones repeat");
    if (args.accessPoints.length === 0) fail("accessPoints is empty: nothing could mount the file system");
    if (new Set(args.accessPoints).size !== args.accessPoints.length) fail("accessPoints repeat");
    if (Object.keys(args.clientSecurityGroups).length === 0)
        fail("clientSecurityGroups is empty: nothing could reach the mount targets");
}
