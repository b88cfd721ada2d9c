import * as assert from "assert";
import { evaluate, Program } from "../../infra/offline/evaluate";
import { PlanGraph } from "../../infra/offline/graph";
import { PolicyViolation } from "../../infra/offline/policy/engine";
import { checkGraph } from "../../infra/offline/policy/run";
import { TAGGABLE } from "../../policy-pack/policies/tagging";
import { compliantService } from "./programs/compliant-service";
import { dataTeam } from "./programs/data-team";
import { liftAndShift } from "./programs/lift-and-shift";
import { slicedSubnets } from "./programs/sliced-subnets";

/**
 * Programs the pack was not written against, each the way another team writes them, recorded
 * with the offline plan's machinery (the same mocks and recorder as this project's stacks) and
 * run through the whole pack with its defaults. Each must get exactly the findings listed, as
 * "policy resource" pairs: a missing one is a miss, an extra one a false positive.
 */
interface ForeignProgram {
    name: string;
    program: Program;
    /** Stack configuration beyond the region (a project's own settings). */
    config?: Record<string, string>;
    findings: string[];
    /** Whether the program tags nothing (no provider default tags): every taggable resource lacks them. */
    untagged?: boolean;
    /** What the recorded graph must show for the findings to mean what they say. */
    recorded?: [string, (graph: PlanGraph) => void];
}

const resource = (graph: PlanGraph, type: string, name: string) => {
    const found = graph.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `no ${type} ${name}`);
    return found;
};

const PROGRAMS: ForeignProgram[] = [
    {
        name: "lift-and-shift",
        program: liftAndShift,
        untagged: true,
        findings: [
            // Public by default: subnets, the instance, SSH, the database, the images.
            "subnet-no-auto-public-ip public-0",
            "subnet-no-auto-public-ip public-1",
            "ec2-no-public-ip web",
            "security-group-no-internet-ingress web",
            "rds-not-publicly-accessible db",
            "data-stores-in-isolated-subnets db",
            "s3-bucket-public-access-blocked images",
            "s3-bucket-acls-disabled images",
            "lb-internal-unless-allowed web",
            // Plaintext and unencrypted.
            "lb-listener-encrypted-in-transit web",
            "rds-enforces-tls db",
            "s3-bucket-denies-insecure-transport images",
            "rds-storage-encrypted db",
            "ec2-ebs-encrypted web",
            "s3-bucket-encrypted-at-rest images",
            // A single instance of everything, and nothing logged.
            "rds-multi-az db",
            "vpc-flow-logs-enabled main",
            "lb-access-logs-enabled web",
            "vpc-default-security-group-closed main",
            // The VM and the database as the guide left them.
            "ec2-imdsv2-required web",
            "rds-hardened db",
            "rds-instance-monitoring db",
            "rds-deletion-protection db",
            "rds-backups db",
            "s3-bucket-versioning images",
        ],
    },
    {
        name: "sliced-subnets",
        program: slicedSubnets,
        recorded: [
            "records the sliced input linked to all three private subnets, holding one",
            (graph) => {
                const workers = resource(graph, "aws:autoscaling/group:Group", "workers");
                const links = workers.propertyDependencies.vpcZoneIdentifiers ?? [];
                const subnets = graph.resources.filter(
                    (r) => r.name.startsWith("private-af-south-1") && r.type === "aws:ec2/subnet:Subnet",
                );
                assert.deepStrictEqual([...links].sort(), subnets.map((s) => s.urn).sort());
                assert.deepStrictEqual(workers.inputs.vpcZoneIdentifiers, [subnets[0].id]);
            },
        ],
        findings: [
            // Linked to three zones' subnets, holding one.
            "autoscaling-group-multi-az workers",
            "lambda-vpc-multi-az statements",
            // A misspelt action and condition key, and a wildcard-only action on a log group.
            "iam-documents-take-effect statements",
        ],
    },
    {
        name: "data-team",
        program: dataTeam,
        config: { "data-team:subnetIds": JSON.stringify(["subnet-0aaa1111", "subnet-0bbb2222"]) },
        untagged: true,
        findings: [
            // The TLS-only statement of the bucket policy has a misspelt key, so it denies nothing.
            "iam-documents-take-effect analytics-exports",
            "s3-bucket-denies-insecure-transport analytics-exports",
            "sqs-queue-denies-insecure-transport analytics-exports",
            "efs-file-system-policy-enforces-tls analytics-shared",
            "rds-enforces-tls analytics-db",
            // The cache cluster: no encryption, no authentication, one zone.
            "elasticache-encrypted-at-rest analytics-sessions",
            "elasticache-encrypted-in-transit analytics-sessions",
            "elasticache-multi-az analytics-sessions",
            // One Aurora instance, a One Zone file system without mount targets or backups.
            "rds-multi-az analytics-db",
            "rds-instance-monitoring analytics-db-1",
            "efs-multi-az analytics-shared",
            "efs-automatic-backups analytics-shared",
            // The other team's subnets: their zones and routes are not in this program.
            "data-subnet-groups-multi-az analytics-db",
            "data-subnet-groups-multi-az analytics-cache",
            "data-stores-in-isolated-subnets analytics-db",
            "data-stores-in-isolated-subnets analytics-cache",
            // The queue and topic.
            "sqs-queue-encrypted analytics-exports",
            "sqs-queue-has-dead-letter-queue analytics-exports",
            "sns-topic-encrypted analytics-exported",
            "kms-key-rotation-enabled analytics-key",
        ],
    },
    { name: "compliant-service", program: compliantService, findings: [] },
];

const pair = (v: PolicyViolation) => `${v.policy} ${v.urn?.split("::").pop()}`;

describe("programs the pack was not written against", function () {
    this.timeout(120_000);
    for (const p of PROGRAMS) {
        describe(p.name, () => {
            let graph: PlanGraph;
            let violations: PolicyViolation[];
            before(async () => {
                const values = { "aws:region": "af-south-1", ...p.config };
                graph = await evaluate({ project: p.name, stack: "dev", values, secretKeys: new Set() }, p.program);
                violations = checkGraph(graph);
            });

            if (p.recorded) {
                const [title, check] = p.recorded;
                it(title, () => check(graph));
            }

            it("gets exactly the findings its mistakes call for", () => {
                const found = [...new Set(violations.filter((v) => v.policy !== "required-tags").map(pair))].sort();
                assert.deepStrictEqual(found, [...p.findings].sort());
            });

            it(p.untagged ? "is flagged for every taggable resource it leaves untagged" : "is tagged", () => {
                const untagged = violations.filter((v) => v.policy === "required-tags").map((v) => v.urn);
                const taggable = graph.resources.filter((r) => r.custom && TAGGABLE.has(r.type)).map((r) => r.urn);
                assert.deepStrictEqual(untagged.sort(), p.untagged ? taggable.sort() : []);
            });
        });
    }
});
