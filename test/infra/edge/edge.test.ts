import * as assert from "assert";
import { THUMBNAILS_PATH_PATTERN } from "../../../infra/config/edge";
import { globMatches } from "../../../infra/config/edge";
import { STRIP_API_PREFIX_CODE } from "../../../infra/edge/api-path";
import { MANAGED_POLICY, ORIGIN_VERIFY_HEADER } from "../../../infra/edge/distribution";
import { PlanResource } from "../../../infra/offline/graph";
import { Graph, graphOf, STACKS } from "../harness";

/** CloudFront's hosted zone, the alias target zone of every distribution. */
const CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2";
/** The managed origin request policy that forwards Host: API Gateway and the ALB's certificate would reject it. */
const ALL_VIEWER_WITH_HOST = "216adef6-5c7f-47e4-b989-5492eafa07d3";

for (const stack of STACKS) {
    const prod = stack === "prod";
    const account = prod ? "222222222222" : "111111111111";
    const apex = prod ? "shop.example.co.za" : "dev.shop.example.co.za";

    describe(`edge: CloudFront, WAF, DNS (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const distribution = () => g.one("aws:cloudfront/distribution:Distribution");
        const inputs = (r: PlanResource) => r.inputs as Record<string, any>;
        const behaviours = () =>
            [inputs(distribution()).defaultCacheBehavior, ...inputs(distribution()).orderedCacheBehaviors] as Record<
                string,
                any
            >[];
        const behaviour = (pattern: string) => {
            const found = inputs(distribution()).orderedCacheBehaviors.find(
                (b: { pathPattern: string }) => b.pathPattern === pattern,
            );
            assert.ok(found, `no behaviour for ${pattern}`);
            return found;
        };
        const origin = (id: string) => {
            const found = inputs(distribution()).origins.find((o: { originId: string }) => o.originId === id);
            assert.ok(found, `no origin ${id}`);
            return found;
        };
        const webAcl = (scope: string) => {
            const found = g.ofType("aws:wafv2/webAcl:WebAcl").filter((a) => a.inputs.scope === scope);
            assert.strictEqual(found.length, 1, `${found.length} ${scope} web ACLs`);
            return found[0];
        };
        const ruleNames = (acl: PlanResource) => (acl.inputs.rules as { name: string }[]).map((r) => r.name);
        const onProvider = (r: PlanResource) => g.get(r.provider as string);

        describe("regions", () => {
            const US_EAST_1_TYPES = [
                "aws:cloudfront/distribution:Distribution",
                "aws:cloudfront/originAccessControl:OriginAccessControl",
                "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
                "aws:cloudfront/function:Function",
                "aws:cloudwatch/logDeliverySource:LogDeliverySource",
                "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
                "aws:cloudwatch/logDelivery:LogDelivery",
            ];
            for (const type of US_EAST_1_TYPES) {
                it(`creates ${type.split(":").pop()} with the us-east-1 provider`, () => {
                    for (const r of g.ofType(type)) {
                        assert.strictEqual(r.region, "us-east-1", r.urn);
                        assert.strictEqual(onProvider(r).inputs.region, "us-east-1", r.urn);
                    }
                });
            }

            it("creates the CLOUDFRONT web ACL, its logging, log group and delivery policy in us-east-1, the REGIONAL one's in the stack's region", () => {
                for (const [scope, region] of [
                    ["CLOUDFRONT", "us-east-1"],
                    ["REGIONAL", "af-south-1"],
                ]) {
                    const acl = webAcl(scope);
                    const logging = g
                        .ofType("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
                        .find((l) => l.propertyDependencies.resourceArn.includes(acl.urn));
                    assert.ok(logging, `${scope} web ACL has no logging`);
                    const [logGroup] = g.sources(logging, "logDestinationConfigs");
                    const policy = g.dependents(logGroup, "policyDocument")[0];
                    for (const r of [acl, logging, logGroup, policy]) assert.strictEqual(r.region, region, r.urn);
                    assert.strictEqual(onProvider(acl).inputs.region, region);
                }
            });

            it("uses a logs key of us-east-1 for the edge's log groups, under an alias of its own", () => {
                const ring = g.one("shop:security:KeyRing", "edge-keys");
                const keys = g.under(ring).filter((r) => r.type === "aws:kms/key:Key");
                assert.strictEqual(keys.length, 1);
                assert.strictEqual(keys[0].region, "us-east-1");
                const alias = g.under(ring).find((r) => r.type === "aws:kms/alias:Alias");
                // Distinct from the regional ring's alias, so a stack in us-east-1 does not collide.
                assert.strictEqual(alias?.inputs.name, `alias/shop-${stack}-edge-logs`);
                for (const group of g
                    .ofType("aws:cloudwatch/logGroup:LogGroup")
                    .filter((l) => l.region === "us-east-1")) {
                    assert.deepStrictEqual(
                        g.sources(group, "kmsKeyId").map((k) => k.urn),
                        [keys[0].urn],
                    );
                }
            });
        });

        describe("WAF", () => {
            it("attaches the CLOUDFRONT web ACL to the distribution by ARN", () => {
                const acl = webAcl("CLOUDFRONT");
                assert.deepStrictEqual(
                    g.sources(distribution(), "webAclId").map((r) => r.urn),
                    [acl.urn],
                );
                assert.match(
                    inputs(distribution()).webAclId,
                    new RegExp(`^arn:aws:wafv2:us-east-1:${account}:global/webacl/`),
                );
            });

            it("associates the REGIONAL web ACL with the public load balancer", () => {
                const association = g.one("aws:wafv2/webAclAssociation:WebAclAssociation");
                assert.deepStrictEqual(
                    g.sources(association, "webAclArn").map((r) => r.urn),
                    [webAcl("REGIONAL").urn],
                );
                assert.match(
                    association.inputs.resourceArn as string,
                    new RegExp(`^arn:aws:elasticloadbalancing:af-south-1:${account}:loadbalancer/app/`),
                );
                assert.strictEqual(association.region, "af-south-1");
            });

            it(`runs the managed groups at CloudFront${prod ? ", with the anonymous IP list," : ""} and a rate limit from config`, () => {
                const acl = webAcl("CLOUDFRONT");
                const expected = [
                    "AWSManagedRulesAmazonIpReputationList",
                    ...(prod ? ["AWSManagedRulesAnonymousIpList"] : []),
                    "RateLimitPerIp",
                    "BodyBeyondInspection",
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesKnownBadInputsRuleSet",
                    "AWSManagedRulesSQLiRuleSet",
                ];
                assert.deepStrictEqual(ruleNames(acl), expected);
                const rate = (acl.inputs.rules as Record<string, any>[]).find((r) => r.name === "RateLimitPerIp");
                assert.deepStrictEqual(rate?.statement.rateBasedStatement, {
                    aggregateKeyType: "IP",
                    limit: prod ? 2000 : 1000,
                    evaluationWindowSec: 300,
                });
                assert.deepStrictEqual(rate?.action, { block: {} });
                assert.deepStrictEqual(acl.inputs.defaultAction, { allow: {} });
            });

            it("only counts the anonymous list's hosting-provider rule (health checkers and payment webhooks)", () => {
                const anonymous = (webAcl("CLOUDFRONT").inputs.rules as Record<string, any>[]).find(
                    (r) => r.name === "AWSManagedRulesAnonymousIpList",
                );
                if (!prod) return assert.strictEqual(anonymous, undefined);
                assert.deepStrictEqual(anonymous?.statement.managedRuleGroupStatement.ruleActionOverrides, [
                    { name: "HostingProviderIPList", actionToUse: { count: {} } },
                ]);
            });

            // The common rule set refuses bodies over 8 KB; at CloudFront (16 KB inspected) that would
            // refuse larger API writes, so there it counts and only what WAF cannot read is refused.
            it("lets CloudFront pass bodies up to its 16 KB inspection limit and refuses larger ones; the load balancer keeps the 8 KB rule", () => {
                const rule = (scope: string, name: string) =>
                    (webAcl(scope).inputs.rules as Record<string, any>[]).find((r) => r.name === name);
                assert.deepStrictEqual(
                    rule("CLOUDFRONT", "AWSManagedRulesCommonRuleSet")?.statement.managedRuleGroupStatement
                        .ruleActionOverrides,
                    [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
                );
                const beyond = rule("CLOUDFRONT", "BodyBeyondInspection");
                assert.deepStrictEqual(beyond?.action, { block: {} });
                assert.deepStrictEqual(beyond?.statement.sizeConstraintStatement, {
                    fieldToMatch: { body: { oversizeHandling: "MATCH" } },
                    comparisonOperator: "GT",
                    size: 16384,
                    textTransformations: [{ priority: 0, type: "NONE" }],
                });
                assert.strictEqual(
                    webAcl("CLOUDFRONT").inputs.associationConfig,
                    undefined,
                    "the 16 KB default inspection limit applies",
                );
                assert.strictEqual(
                    rule("REGIONAL", "AWSManagedRulesCommonRuleSet")?.statement.managedRuleGroupStatement
                        .ruleActionOverrides,
                    undefined,
                );
                assert.strictEqual(rule("REGIONAL", "BodyBeyondInspection"), undefined);
            });

            it("runs the request-inspecting managed groups on the load balancer (its clients are CloudFront's addresses)", () => {
                assert.deepStrictEqual(ruleNames(webAcl("REGIONAL")), [
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesKnownBadInputsRuleSet",
                    "AWSManagedRulesSQLiRuleSet",
                ]);
            });

            // WAF rejects duplicate priorities, duplicate names and invalid metric names.
            it("gives every rule a unique priority, name and CloudWatch metric; managed groups keep their own actions", () => {
                for (const acl of g.ofType("aws:wafv2/webAcl:WebAcl")) {
                    const rules = acl.inputs.rules as Record<string, any>[];
                    for (const key of ["priority", "name"])
                        assert.strictEqual(new Set(rules.map((r) => r[key])).size, rules.length, key);
                    const metrics = [acl.inputs.visibilityConfig, ...rules.map((r) => r.visibilityConfig)] as Record<
                        string,
                        any
                    >[];
                    assert.strictEqual(new Set(metrics.map((m) => m.metricName)).size, metrics.length);
                    for (const m of metrics) {
                        assert.strictEqual(m.cloudwatchMetricsEnabled, true);
                        assert.strictEqual(m.sampledRequestsEnabled, true);
                        assert.match(m.metricName, /^[\w#:.\-/]{1,128}$/);
                    }
                    for (const rule of rules.filter((r) => r.statement.managedRuleGroupStatement)) {
                        assert.deepStrictEqual(rule.overrideAction, { none: {} }, rule.name);
                        assert.strictEqual(rule.statement.managedRuleGroupStatement.vendorName, "AWS");
                    }
                }
            });

            // WAF refuses a log destination whose name does not start with aws-waf-logs-.
            it("logs each web ACL to an aws-waf-logs- group with retention, secrets redacted, once delivery is allowed", () => {
                for (const logging of g.ofType("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")) {
                    const [logGroup] = g.sources(logging, "logDestinationConfigs");
                    assert.strictEqual(logGroup.type, "aws:cloudwatch/logGroup:LogGroup");
                    assert.match(logGroup.inputs.name as string, /^aws-waf-logs-/);
                    assert.strictEqual(logGroup.inputs.retentionInDays, prod ? 365 : 30);
                    assert.deepStrictEqual(logging.inputs.redactedFields, [
                        { singleHeader: { name: "authorization" } },
                        { singleHeader: { name: "cookie" } },
                    ]);
                    const policy = g.dependents(logGroup, "policyDocument")[0];
                    assert.ok(logging.dependencies.includes(policy.urn), "logging waits for the resource policy");
                    assertDeliveryPolicy(policy, logGroup);
                }
            });
        });

        /** The resource policy admits delivery.logs to write into exactly `logGroup`, for this account. */
        function assertDeliveryPolicy(policy: PlanResource, logGroup: PlanResource): void {
            assert.strictEqual(policy.type, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
            assert.strictEqual(policy.region, logGroup.region);
            const [statement] = g.policy(policy, "policyDocument").Statement;
            assert.deepStrictEqual(statement.Principal, { Service: "delivery.logs.amazonaws.com" });
            assert.deepStrictEqual(statement.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
            assert.deepStrictEqual(statement.Resource, [
                `arn:aws:logs:${logGroup.region}:${account}:log-group:${logGroup.inputs.name}:log-stream:*`,
            ]);
            assert.deepStrictEqual(statement.Condition, {
                StringEquals: { "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": `arn:aws:logs:${logGroup.region}:${account}:*` },
            });
        }

        describe("distribution", () => {
            it("answers for the apex and www with the validated us-east-1 certificate, SNI and TLS 1.2 (2021)", () => {
                assert.deepStrictEqual(inputs(distribution()).aliases, [apex, `www.${apex}`]);
                const [validation] = g.sources(distribution(), "viewerCertificate");
                assert.strictEqual(
                    validation.type,
                    "aws:acm/certificateValidation:CertificateValidation",
                    "the certificate is used only once validated",
                );
                assert.strictEqual(validation.region, "us-east-1");
                const certificate = g.sources(validation, "certificateArn")[0];
                assert.deepStrictEqual(
                    [certificate.inputs.domainName, certificate.inputs.subjectAlternativeNames],
                    [apex, [`www.${apex}`]],
                );
                const viewer = inputs(distribution()).viewerCertificate;
                assert.strictEqual(viewer.acmCertificateArn, String(validation.inputs.certificateArn));
                assert.deepStrictEqual(
                    [viewer.sslSupportMethod, viewer.minimumProtocolVersion],
                    ["sni-only", "TLSv1.2_2021"],
                );
            });

            it("serves HTTP/2 and HTTP/3 over IPv4 and IPv6 from a price class with African edge locations", () => {
                const d = inputs(distribution());
                assert.deepStrictEqual(
                    [d.enabled, d.httpVersion, d.isIpv6Enabled, d.priceClass],
                    [true, "http2and3", true, "PriceClass_200"],
                );
                assert.deepStrictEqual(d.restrictions, { geoRestriction: { restrictionType: "none" } });
            });

            // Towards S3 CloudFront uses the viewer's protocol: only redirected viewers get past the
            // bucket policy's aws:SecureTransport denial.
            it("redirects HTTP to HTTPS on every behaviour and adds the security headers to every response", () => {
                const headers = g.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
                for (const b of behaviours()) {
                    assert.strictEqual(b.viewerProtocolPolicy, "redirect-to-https", b.pathPattern ?? "default");
                    assert.ok(
                        b.responseHeadersPolicyId,
                        `${b.pathPattern ?? "default"} has no response headers policy`,
                    );
                    assert.ok(!b.forwardedValues, "legacy forwarded values conflict with cache policies");
                }
                assert.ok(distribution().propertyDependencies.defaultCacheBehavior.includes(headers.urn));
                assert.ok(distribution().propertyDependencies.orderedCacheBehaviors.includes(headers.urn));
                assert.strictEqual(new Set(behaviours().map((b) => b.responseHeadersPolicyId)).size, 1);
            });

            it("sends HSTS with preload, the configured CSP, nosniff, frame denial and a referrer policy", () => {
                const config = inputs(
                    g.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"),
                ).securityHeadersConfig;
                const hsts = config.strictTransportSecurity;
                assert.ok(hsts.accessControlMaxAgeSec >= 31_536_000, "the preload list requires at least a year");
                assert.deepStrictEqual([hsts.includeSubdomains, hsts.preload, hsts.override], [true, true, true]);
                assert.match(
                    config.contentSecurityPolicy.contentSecurityPolicy,
                    /^default-src 'self';.*frame-ancestors 'none'/,
                );
                assert.deepStrictEqual(config.contentTypeOptions, { override: true });
                assert.deepStrictEqual(config.frameOptions, { frameOption: "DENY", override: true });
                assert.strictEqual(config.referrerPolicy.referrerPolicy, "strict-origin-when-cross-origin");
            });

            it("reads the assets bucket through Origin Access Control (sigv4, always signing), never publicly", () => {
                const oac = g.one("aws:cloudfront/originAccessControl:OriginAccessControl");
                assert.deepStrictEqual(
                    [oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol],
                    ["s3", "always", "sigv4"],
                );
                const s3Origins = inputs(distribution()).origins.filter((o: { domainName: string }) =>
                    /\.s3\.[a-z0-9-]+\.amazonaws\.com$/.test(o.domainName),
                );
                assert.strictEqual(s3Origins.length, 1);
                for (const o of s3Origins) {
                    assert.ok(o.originAccessControlId, `${o.originId} has no OAC`);
                    assert.ok(!o.s3OriginConfig?.originAccessIdentity, "no legacy origin access identity");
                    assert.ok(!o.customOriginConfig, "not the public website endpoint");
                }
                assert.strictEqual(
                    s3Origins[0].domainName,
                    `shop-${stack}-assets-${account}.s3.af-south-1.amazonaws.com`,
                );
                assert.ok(distribution().propertyDependencies.origins.includes(oac.urn));
            });

            it("reaches the load balancer and the API over HTTPS with TLS 1.2 only", () => {
                for (const id of ["web", "api"]) {
                    const config = origin(id).customOriginConfig;
                    assert.strictEqual(config.originProtocolPolicy, "https-only", id);
                    assert.deepStrictEqual(config.originSslProtocols, ["TLSv1.2"], id);
                }
                assert.strictEqual(origin("web").domainName, `origin.${apex}`);
                // The HTTP API's custom domain (its execute-api endpoint is off), once mapped and aliased.
                assert.strictEqual(origin("api").domainName, `api.${apex}`);
                for (const type of ["aws:apigatewayv2/apiMapping:ApiMapping", "aws:route53/record:Record"]) {
                    const waited = g.sources(distribution(), "origins").filter((r) => r.type === type);
                    assert.ok(
                        waited.some((r) => g.component(r)?.type === "shop:api:HttpApi"),
                        `the distribution waits for the API's ${type}`,
                    );
                }
            });

            it("adds the generated origin secret as X-Origin-Verify towards the load balancer only", () => {
                const secret = g.one("random:index/randomPassword:RandomPassword", "domain-origin-verify");
                assert.ok(distribution().propertyDependencies.origins.includes(secret.urn));
                const [header] = origin("web").customHeaders;
                assert.strictEqual(header.name, ORIGIN_VERIFY_HEADER);
                assert.ok(typeof header.value === "string" && header.value.length >= 32);
                assert.ok(!origin("api").customHeaders?.length, "the API does not need the load balancer's secret");
            });

            it("caches static paths and the thumbnails long and compressed from the bucket, read-only", () => {
                // /thumbnails/* always: the catalogue links to the thumbnailer's output on the site's domain.
                for (const pattern of ["/static/*", "/images/*", THUMBNAILS_PATH_PATTERN]) {
                    const b = behaviour(pattern);
                    assert.strictEqual(b.targetOriginId, "assets");
                    assert.strictEqual(b.cachePolicyId, MANAGED_POLICY.cachingOptimized);
                    assert.strictEqual(b.compress, true);
                    assert.deepStrictEqual(b.allowedMethods, ["GET", "HEAD", "OPTIONS"]);
                    assert.ok(!b.originRequestPolicyId, "S3 needs nothing from the viewer");
                }
            });

            // With Host forwarded, API Gateway answers 403 and CloudFront's TLS check of the ALB fails.
            it("sends /api/* and dynamic pages uncached, with viewer values but never the Host header", () => {
                for (const b of [behaviour("/api/*"), inputs(distribution()).defaultCacheBehavior]) {
                    assert.strictEqual(b.cachePolicyId, MANAGED_POLICY.cachingDisabled);
                    assert.strictEqual(b.originRequestPolicyId, MANAGED_POLICY.allViewerExceptHost);
                    assert.deepStrictEqual(b.allowedMethods, [
                        "GET",
                        "HEAD",
                        "OPTIONS",
                        "PUT",
                        "POST",
                        "PATCH",
                        "DELETE",
                    ]);
                }
                assert.strictEqual(behaviour("/api/*").targetOriginId, "api");
                assert.strictEqual(inputs(distribution()).defaultCacheBehavior.targetOriginId, "web");
                assert.ok(behaviours().every((b) => b.originRequestPolicyId !== ALL_VIEWER_WITH_HOST));
            });

            it("takes /api off the path before the HTTP API, with a published cloudfront-js-2.0 function", () => {
                const fn = g.one("aws:cloudfront/function:Function");
                assert.deepStrictEqual([fn.inputs.runtime, fn.inputs.publish], ["cloudfront-js-2.0", true]);
                assert.deepStrictEqual(behaviour("/api/*").functionAssociations, [
                    {
                        eventType: "viewer-request",
                        functionArn: `arn:aws:cloudfront::${account}:function/${fn.inputs.name}`,
                    },
                ]);
                const handler = new Function(`${fn.inputs.code}; return handler;`)() as (e: unknown) => { uri: string };
                const rewrite = (uri: string) => handler({ request: { uri, method: "GET" } }).uri;
                assert.deepStrictEqual(
                    [rewrite("/api/catalog/42"), rewrite("/api/"), rewrite("/api/orders?x=1")],
                    ["/catalog/42", "/", "/orders?x=1"],
                );
                assert.strictEqual(fn.inputs.code, STRIP_API_PREFIX_CODE);
            });

            it("shows the static error page, from the bucket, when the web servers fail", () => {
                const errors = inputs(distribution()).customErrorResponses as Record<string, any>[];
                assert.deepStrictEqual(
                    errors.map((e) => e.errorCode),
                    [502, 503, 504],
                );
                for (const e of errors) {
                    assert.strictEqual(e.responseCode, e.errorCode);
                    assert.ok(e.errorCachingMinTtl <= 60);
                    const served = inputs(distribution()).orderedCacheBehaviors.find((b: { pathPattern: string }) =>
                        globMatches(b.pathPattern, e.responsePagePath),
                    );
                    assert.strictEqual(
                        served?.targetOriginId,
                        "assets",
                        `${e.responsePagePath} must not come from the failing origin`,
                    );
                }
            });

            it("delivers access logs (standard logging v2) to an encrypted us-east-1 log group, not to an ACL bucket", () => {
                assert.ok(!inputs(distribution()).loggingConfig, "legacy logging needs a bucket with ACLs");
                const source = g.one("aws:cloudwatch/logDeliverySource:LogDeliverySource");
                assert.deepStrictEqual(
                    g.sources(source, "resourceArn").map((r) => r.urn),
                    [distribution().urn],
                );
                assert.strictEqual(source.inputs.logType, "ACCESS_LOGS");
                const destination = g.one("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
                const [logGroup] = g.sources(destination, "deliveryDestinationConfiguration");
                assert.strictEqual(logGroup.type, "aws:cloudwatch/logGroup:LogGroup");
                assert.deepStrictEqual(
                    [logGroup.region, logGroup.inputs.retentionInDays],
                    ["us-east-1", prod ? 365 : 30],
                );
                const delivery = g.one("aws:cloudwatch/logDelivery:LogDelivery");
                assert.deepStrictEqual(
                    [
                        g.sources(delivery, "deliverySourceName")[0].urn,
                        g.sources(delivery, "deliveryDestinationArn")[0].urn,
                    ],
                    [source.urn, destination.urn],
                );
                const policy = g.dependents(logGroup, "policyDocument")[0];
                assert.ok(delivery.dependencies.includes(policy.urn), "the delivery waits for the resource policy");
                assertDeliveryPolicy(policy, logGroup);
            });
        });

        describe("DNS and health", () => {
            const aliasRecords = () =>
                g
                    .within(g.one("shop:edge:Edge"))
                    .ofType("aws:route53/record:Record")
                    .filter((r) => r.inputs.aliases);

            it("points A and AAAA records of the apex and www at the distribution, in our zone", () => {
                const zoneId = g.plan.outputs.hostedZoneId;
                assert.deepStrictEqual(
                    aliasRecords()
                        .map((r) => `${r.inputs.name} ${r.inputs.type}`)
                        .sort(),
                    [`${apex} A`, `${apex} AAAA`, `www.${apex} A`, `www.${apex} AAAA`],
                );
                for (const record of aliasRecords()) {
                    assert.strictEqual(record.inputs.zoneId, zoneId);
                    const [alias] = record.inputs.aliases as Record<string, unknown>[];
                    assert.strictEqual(alias.name, g.plan.outputs.distributionDomainName);
                    assert.strictEqual(
                        alias.evaluateTargetHealth,
                        false,
                        "Route 53 rejects target health checks on CloudFront aliases",
                    );
                }
            });

            it("takes the alias zone id from the distribution (CloudFront's zone), never from our hosted zone", () => {
                for (const record of aliasRecords()) {
                    const [alias] = record.inputs.aliases as Record<string, unknown>[];
                    assert.strictEqual(alias.zoneId, CLOUDFRONT_ZONE);
                    assert.notStrictEqual(alias.zoneId, record.inputs.zoneId);
                    assert.deepStrictEqual(
                        g.sources(record, "aliases").map((r) => r.urn),
                        [distribution().urn],
                    );
                }
            });

            it("checks https://<apex><health path> once the apex resolves", () => {
                const check = g.one("aws:route53/healthCheck:HealthCheck");
                assert.deepStrictEqual(
                    [
                        check.inputs.type,
                        check.inputs.fqdn,
                        check.inputs.port,
                        check.inputs.resourcePath,
                        check.inputs.enableSni,
                    ],
                    ["HTTPS", apex, 443, "/health", true],
                );
                const apexRecords = aliasRecords().filter((r) => r.inputs.name === apex);
                for (const record of apexRecords) assert.ok(check.dependencies.includes(record.urn));
            });

            // Route 53 publishes health check metrics in us-east-1 only, and an alarm can only
            // notify a topic of its own region ("Invalid region ... specified").
            it("alarms in us-east-1 on the health check, notifying a us-east-1 topic on failure and recovery", () => {
                const check = g.one("aws:route53/healthCheck:HealthCheck");
                const [alarm, ...others] = g
                    .dependents(check, "dimensions")
                    .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
                assert.ok(alarm && others.length === 0, "one alarm on the site health check");
                assert.strictEqual(alarm.region, "us-east-1");
                assert.deepStrictEqual(
                    [alarm.inputs.namespace, alarm.inputs.metricName],
                    ["AWS/Route53", "HealthCheckStatus"],
                );
                assert.deepStrictEqual(
                    g.sources(alarm, "dimensions").map((r) => r.urn),
                    [check.urn],
                );
                assert.deepStrictEqual(
                    [alarm.inputs.comparisonOperator, alarm.inputs.threshold, alarm.inputs.treatMissingData],
                    ["LessThanThreshold", 1, "breaching"],
                );
                for (const key of ["alarmActions", "okActions"]) {
                    const topics = alarm.inputs[key] as string[];
                    assert.ok(topics.length > 0, key);
                    for (const topic of topics)
                        assert.strictEqual(topic.split(":")[3], alarm.region, `${key}: ${topic}`);
                }
            });
        });

        // Each service rejects a name outside its pattern when the resource is created.
        it("keeps the edge's physical names within AWS's patterns and lengths", () => {
            const limits: [string, string, RegExp][] = [
                ["aws:cloudfront/originAccessControl:OriginAccessControl", "name", /^.{1,64}$/],
                ["aws:cloudfront/function:Function", "name", /^[A-Za-z0-9_-]{1,64}$/],
                ["aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "name", /^[A-Za-z0-9_-]{1,128}$/],
                ["aws:wafv2/webAcl:WebAcl", "name", /^[\w-]{1,128}$/],
                ["aws:cloudwatch/logDeliverySource:LogDeliverySource", "name", /^[\w-]{1,60}$/],
                ["aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "name", /^[\w-]{1,60}$/],
                ["aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "policyName", /^.{1,255}$/],
                ["aws:cloudwatch/logGroup:LogGroup", "name", /^[\w.\-/#]{1,512}$/],
                ["aws:cognito/userPool:UserPool", "name", /^[\w\s+=,.@-]{1,128}$/],
                ["aws:cognito/userPoolClient:UserPoolClient", "name", /^[\w\s+=,.@-]{1,128}$/],
            ];
            for (const [type, key, pattern] of limits) {
                const found = g.ofType(type);
                assert.ok(found.length > 0, type);
                for (const r of found) assert.match(String(r.inputs[key]), pattern, `${r.urn} ${key}`);
            }
        });

        it("exports the site URL and the distribution", () => {
            const { siteUrl, distributionId, distributionDomainName } = g.plan.outputs as Record<string, string>;
            assert.strictEqual(siteUrl, `https://${apex}`);
            assert.match(distributionId, /^E[A-Z0-9]+$/);
            assert.match(distributionDomainName, /^d[a-z0-9]+\.cloudfront\.net$/);
        });
    });
}
