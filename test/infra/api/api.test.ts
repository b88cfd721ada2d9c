import * as assert from "assert";
import { ACCESS_LOG_FORMAT, COGNITO_ISSUER, INTEGRATION_TIMEOUT_MS, STAGE_NAME } from "../../../infra/api/http-api";
import { API_ROUTES, routeSlug } from "../../../infra/api/routes";
import { loadConfig } from "../../../infra/config";
import { PlanResource } from "../../../infra/offline/graph";
import { SERVICES } from "../../../infra/workloads";
import { configWith, Graph, graphOf, STACKS } from "../harness";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

for (const stack of STACKS) {
    const config = loadConfig(configWith(stack, {}));
    const apex = stack === "prod" ? "shop.example.co.za" : "dev.shop.example.co.za";

    describe(`HTTP API in front of the services (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const api = () => g.one("aws:apigatewayv2/api:Api");
        /** The API tier's own resources; the asynchronous tier adds POST /orders with its integration. */
        const tier = () => g.within(g.one("shop:api:HttpApi"));
        const vpcLink = () => g.one("aws:apigatewayv2/vpcLink:VpcLink");
        const integration = () => tier().one("aws:apigatewayv2/integration:Integration");
        const authorizer = () => g.one("aws:apigatewayv2/authorizer:Authorizer");
        const routes = () => tier().ofType("aws:apigatewayv2/route:Route");
        const route = (key: string) => {
            const found = routes().filter((r) => r.inputs.routeKey === key);
            assert.strictEqual(found.length, 1, `one route ${key}`);
            return found[0];
        };
        const stage = () => g.one("aws:apigatewayv2/stage:Stage");
        const internalAlb = () => g.one("aws:lb/loadBalancer:LoadBalancer", "routing-alb");
        const rulesOf = (type: string, group: PlanResource) =>
            g.ofType(type).filter((r) => g.sources(r, "securityGroupId").includes(group));

        it("is an HTTP API reachable only at its custom domain (the execute-api endpoint is off)", () => {
            assert.strictEqual(api().inputs.protocolType, "HTTP");
            assert.strictEqual(api().inputs.disableExecuteApiEndpoint, true);
            assert.strictEqual(
                api().inputs.corsConfiguration,
                undefined,
                "the storefront calls it through its own origin",
            );
        });

        it("reaches the internal load balancer through a VPC link in every zone's private subnet, with HTTPS only", () => {
            const subnets = g.sources(vpcLink(), "subnetIds");
            assert.ok(subnets.every((x) => (x.inputs.tags as Record<string, string>).Layer === "private"));
            assert.deepStrictEqual(
                subnets.map((x) => x.inputs.availabilityZone).sort(),
                [...config.stack.availabilityZones].sort(),
            );
            const [linkGroup] = g.sources(vpcLink(), "securityGroupIds");
            assert.strictEqual(rulesOf(INGRESS, linkGroup).length, 0, "nothing connects to the link's interfaces");
            const egress = rulesOf(EGRESS, linkGroup);
            assert.strictEqual(egress.length, 1);
            assert.deepStrictEqual(
                g.sources(egress[0], "referencedSecurityGroupId"),
                g.sources(internalAlb(), "securityGroups"),
            );
            assert.deepStrictEqual([egress[0].inputs.fromPort, egress[0].inputs.toPort], [443, 443]);
        });

        it("integrates with the internal HTTPS listener over the link, verifying its certificate's name", () => {
            const i = integration();
            assert.deepStrictEqual(
                [i.inputs.integrationType, i.inputs.integrationMethod, i.inputs.connectionType],
                ["HTTP_PROXY", "ANY", "VPC_LINK"],
            );
            assert.deepStrictEqual(g.sources(i, "connectionId"), [vpcLink()]);
            const [listener] = g.sources(i, "integrationUri");
            assert.strictEqual(listener.type, "aws:lb/listener:Listener");
            assert.ok(g.sources(listener, "loadBalancerArn").includes(internalAlb()));
            assert.strictEqual(listener.inputs.protocol, "HTTPS");
            const [certificate] = g.sources(g.sources(listener, "certificateArn")[0], "certificateArn");
            assert.deepStrictEqual(i.inputs.tlsConfig, { serverNameToVerify: certificate.inputs.domainName });
            assert.strictEqual(certificate.inputs.domainName, `services.internal.${apex}`);
            assert.strictEqual(i.inputs.payloadFormatVersion, "1.0", "HTTP proxy integrations take payload format 1.0");
            assert.ok(
                (i.inputs.timeoutMilliseconds as number) >= 50 &&
                    (i.inputs.timeoutMilliseconds as number) <= INTEGRATION_TIMEOUT_MS,
                "HTTP APIs allow 50 ms to 30 s",
            );
            const ingress = rulesOf(INGRESS, g.sources(internalAlb(), "securityGroups")[0]);
            assert.ok(
                ingress.every((r) => g.dependents(r).includes(i) || g.dependsOn(i, r)),
                "the integration waits for the load balancer to admit the link",
            );
        });

        it("checks Cognito tokens with a JWT authorizer: the user pool's issuer, the storefront client as audience", () => {
            const a = authorizer();
            assert.strictEqual(a.inputs.authorizerType, "JWT");
            assert.deepStrictEqual(a.inputs.identitySources, ["$request.header.Authorization"]);
            const jwt = a.inputs.jwtConfiguration as { issuer: string; audiences: string[] };
            // API Gateway fetches <issuer>/.well-known/openid-configuration: https, no trailing slash.
            assert.match(jwt.issuer, COGNITO_ISSUER);
            assert.strictEqual(jwt.issuer, g.plan.outputs.userPoolIssuerUrl);
            assert.deepStrictEqual(jwt.audiences, [g.plan.outputs.userPoolClientId]);
            const sources = g
                .sources(a, "jwtConfiguration")
                .map((r) => r.type)
                .sort();
            assert.deepStrictEqual(sources, [
                "aws:cognito/userPool:UserPool",
                "aws:cognito/userPoolClient:UserPoolClient",
            ]);
            assert.ok(String(a.inputs.name).length <= 128);
        });

        it("has a route per service: public catalogue reads, everything else behind the authorizer", () => {
            assert.deepStrictEqual(
                routes()
                    .map((r) => r.inputs.routeKey)
                    .sort(),
                API_ROUTES.map((r) => r.routeKey).sort(),
            );
            for (const key of ["GET /catalog", "GET /catalog/{proxy+}"]) {
                const r = route(key);
                assert.strictEqual(r.inputs.authorizationType, "NONE", key);
                assert.strictEqual(r.inputs.authorizerId, undefined, key);
            }
            for (const service of SERVICES) {
                for (const key of [`ANY /${service}`, `ANY /${service}/{proxy+}`]) {
                    const r = route(key);
                    assert.strictEqual(r.inputs.authorizationType, "JWT", key);
                    assert.deepStrictEqual(g.sources(r, "authorizerId"), [authorizer()], key);
                }
            }
            for (const r of routes()) {
                assert.deepStrictEqual(g.sources(r, "target"), [integration()]);
                assert.match(String(r.inputs.target), /^integrations\/\S+$/);
                assert.match(String(r.inputs.routeKey), /^(GET|ANY) \/[a-z]+(\/\{proxy\+\})?$/);
            }
            assert.ok(
                !routes().some((r) => r.inputs.routeKey === "POST /orders"),
                "the asynchronous tier adds POST /orders",
            );
            assert.strictEqual(
                new Set(API_ROUTES.map((r) => routeSlug(r.routeKey))).size,
                API_ROUTES.length,
                "route resource names are unique",
            );
        });

        it("serves the auto-deployed $default stage with JSON access logs and the configured throttling", () => {
            const s = stage();
            assert.deepStrictEqual([s.inputs.name, s.inputs.autoDeploy], [STAGE_NAME, true]);
            const settings = s.inputs.defaultRouteSettings as Record<string, number>;
            assert.deepStrictEqual(
                [settings.throttlingRateLimit, settings.throttlingBurstLimit],
                [config.services.apiRateLimit, config.services.apiBurstLimit],
            );
            const logs = s.inputs.accessLogSettings as { destinationArn: string; format: string };
            assert.strictEqual(logs.format, ACCESS_LOG_FORMAT);
            const fields = JSON.parse(logs.format) as Record<string, string>;
            for (const field of ["requestId", "status", "routeKey", "integrationStatus", "authorizerError"])
                assert.ok(fields[field]?.startsWith("$context."), field);
            const [logGroup] = g.sources(s, "accessLogSettings");
            assert.strictEqual(logGroup.type, "aws:cloudwatch/logGroup:LogGroup");
            assert.strictEqual(logGroup.inputs.retentionInDays, config.stack.logRetentionDays);
            assert.strictEqual(g.sources(logGroup, "kmsKeyId")[0].type, "aws:kms/key:Key");
            assert.ok(!logs.destinationArn.endsWith(":*"));
        });

        it("answers at api.<domain> with a validated regional certificate and TLS 1.2, mapped to the stage", () => {
            const domain = g.one("aws:apigatewayv2/domainName:DomainName");
            assert.strictEqual(domain.inputs.domainName, `api.${apex}`);
            const configuration = domain.inputs.domainNameConfiguration as Record<string, string>;
            assert.deepStrictEqual([configuration.endpointType, configuration.securityPolicy], ["REGIONAL", "TLS_1_2"]);
            const [validation] = g.sources(domain, "domainNameConfiguration");
            assert.strictEqual(
                validation.type,
                "aws:acm/certificateValidation:CertificateValidation",
                "the domain waits for the validated certificate",
            );
            const [certificate] = g.sources(validation, "certificateArn");
            assert.strictEqual(certificate.inputs.domainName, `api.${apex}`);
            assert.strictEqual(
                certificate.region,
                "af-south-1",
                "a regional endpoint needs a certificate of its region",
            );
            const mapping = g.one("aws:apigatewayv2/apiMapping:ApiMapping");
            assert.deepStrictEqual(g.sources(mapping, "stage"), [stage()]);
            assert.ok(g.sources(mapping, "domainName").includes(domain) && g.sources(mapping, "apiId").includes(api()));
            const record = g
                .ofType("aws:route53/record:Record")
                .find((r) => r.inputs.name === `api.${apex}` && r.inputs.type === "A") as PlanResource;
            assert.ok(record, "an alias record for the API");
            assert.ok(
                g.sources(record, "aliases").includes(domain),
                "the alias points at the domain's regional target",
            );
            const [alias] = record.inputs.aliases as Record<string, string>[];
            assert.match(alias.name, /^d-[a-z0-9]+\.execute-api\.af-south-1\.amazonaws\.com$/);
            assert.strictEqual(g.plan.outputs.apiEndpoint, `https://api.${apex}`);
        });
    });
}
