import * as assert from "assert";
import { Graph, graphOf, STACKS } from "../harness";

for (const stack of STACKS) {
    const account = stack === "prod" ? "222222222222" : "111111111111";
    const bucketName = `shop-${stack}-assets-${account}`;

    describe(`assets bucket (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const assets = () => g.within(g.one("shop:edge:Assets"));
        const bucket = () => assets().one("aws:s3/bucket:Bucket");
        /** The single resource of a type configuring the assets bucket. */
        const setting = (type: string) => {
            const found = assets().one(type);
            assert.ok(found.propertyDependencies.bucket.includes(bucket().urn), `${type} is not on the assets bucket`);
            return found;
        };
        /** The policy on the assets bucket (the Edge component attaches it once the distribution exists). */
        const bucketPolicy = () => g.within(g.one("shop:edge:Edge")).one("aws:s3/bucketPolicy:BucketPolicy");
        const policy = () => g.policy(bucketPolicy());
        const statement = (sid: string) => {
            const found = policy().Statement.find((s) => s.Sid === sid);
            assert.ok(found, `no statement ${sid}`);
            return found;
        };

        it("is one bucket of the Assets component in the stack's region, deletable with its objects only in dev", () => {
            const assets = g.one("shop:edge:Assets");
            assert.strictEqual(bucket().inputs.bucket, bucketName);
            assert.ok(bucketName.length <= 63, "S3 bucket names have at most 63 characters");
            assert.strictEqual(bucket().parent, assets.urn);
            assert.strictEqual(bucket().region, "af-south-1");
            assert.strictEqual(bucket().inputs.forceDestroy, stack === "dev");
            assert.strictEqual(g.plan.outputs.assetsBucketName, bucketName);
        });

        it("blocks every kind of public access and disables ACLs", () => {
            const block = setting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.strictEqual(block.inputs[flag], true, flag);
            }
            const ownership = setting("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
            assert.deepStrictEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        });

        it("encrypts with the customer-managed assets key through a bucket key", () => {
            const encryption = setting(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            );
            const [rule] = encryption.inputs.rules as Record<string, any>[];
            assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
            assert.strictEqual(rule.bucketKeyEnabled, true);
            const [key] = g.sources(encryption, "rules");
            const alias = g
                .ofType("aws:kms/alias:Alias")
                .find((a) => a.propertyDependencies.targetKeyId.includes(key.urn));
            assert.strictEqual(alias?.inputs.name, `alias/shop-${stack}-assets`);
            assert.strictEqual(key.region, bucket().region, "SSE-KMS needs a key of the bucket's region");
        });

        it("versions objects and expires old versions, delete markers and abandoned uploads", () => {
            const versioning = setting("aws:s3/bucketVersioning:BucketVersioning");
            assert.deepStrictEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
            const lifecycle = setting("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            assert.ok(lifecycle.dependencies.includes(versioning.urn), "noncurrent-version rules wait for versioning");
            const rules = lifecycle.inputs.rules as Record<string, any>[];
            for (const rule of rules) {
                assert.strictEqual(rule.status, "Enabled");
                assert.ok(rule.filter, `${rule.id} has no filter (the provider then warns and AWS may reject it)`);
            }
            const versions = rules.find((r) => r.noncurrentVersionExpiration);
            assert.strictEqual(versions?.noncurrentVersionExpiration.noncurrentDays, stack === "prod" ? 30 : 7);
            assert.deepStrictEqual(versions?.expiration, { expiredObjectDeleteMarker: true });
            assert.strictEqual(
                rules.find((r) => r.abortIncompleteMultipartUpload)?.abortIncompleteMultipartUpload.daysAfterInitiation,
                7,
            );
        });

        it("attaches its policy after the distribution exists and after public access is blocked", () => {
            const assetsPolicy = bucketPolicy();
            const distribution = g.one("aws:cloudfront/distribution:Distribution");
            const block = assets().one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            assert.ok(assetsPolicy.propertyDependencies.policy.includes(distribution.urn));
            // Concurrent public-access and policy updates fail with OperationAborted.
            assert.ok(g.dependsOn(assetsPolicy, block));
            assert.strictEqual(assetsPolicy.inputs.bucket, bucketName);
            assert.strictEqual(assetsPolicy.region, bucket().region);
        });

        it("denies requests without TLS, or with TLS older than 1.2, on the bucket and its objects", () => {
            const arns = [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`];
            const insecure = statement("DenyInsecureTransport");
            assert.deepStrictEqual(
                [insecure.Effect, insecure.Principal, insecure.Action, insecure.Resource],
                ["Deny", "*", "s3:*", arns],
            );
            assert.deepStrictEqual(insecure.Condition, { Bool: { "aws:SecureTransport": "false" } });
            const outdated = statement("DenyOutdatedTls");
            assert.deepStrictEqual([outdated.Effect, outdated.Resource], ["Deny", arns]);
            assert.deepStrictEqual(outdated.Condition, { NumericLessThan: { "s3:TlsVersion": "1.2" } });
        });

        it("lets CloudFront read objects only for this distribution's ARN, and never the raw uploads", () => {
            const read = statement("CloudFrontReadsThroughOriginAccessControl");
            assert.deepStrictEqual(
                [read.Effect, read.Principal, read.Action, read.Resource],
                ["Allow", { Service: "cloudfront.amazonaws.com" }, "s3:GetObject", `arn:aws:s3:::${bucketName}/*`],
            );
            const distributionArn = `arn:aws:cloudfront::${account}:distribution/${g.plan.outputs.distributionId}`;
            assert.deepStrictEqual(read.Condition, { StringEquals: { "AWS:SourceArn": distributionArn } });
            const uploads = statement("CloudFrontNeverServesUploads");
            assert.deepStrictEqual(
                [uploads.Effect, uploads.Principal, uploads.Resource],
                ["Deny", { Service: "cloudfront.amazonaws.com" }, `arn:aws:s3:::${bucketName}/uploads/*`],
            );
            const allows = policy().Statement.filter((s) => s.Effect === "Allow");
            assert.deepStrictEqual(
                allows.map((s) => s.Sid),
                ["CloudFrontReadsThroughOriginAccessControl"],
                "everything else goes through IAM",
            );
        });
    });
}
