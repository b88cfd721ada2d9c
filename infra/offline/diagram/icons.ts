import { readFileSync } from "fs";
import * as path from "path";

/**
 * AWS Architecture Icons (the `aws-icons` package's copy of the official set): the diagram uses
 * each as a `<symbol>`, so every icon's paths appear once in the SVG.
 */
const FILES: Record<string, string> = {
    users: "resource/Users.svg",
    route53: "architecture-service/AmazonRoute53.svg",
    cloudfront: "architecture-service/AmazonCloudFront.svg",
    waf: "architecture-service/AWSWAF.svg",
    cognito: "architecture-service/AmazonCognito.svg",
    apigateway: "architecture-service/AmazonAPIGateway.svg",
    s3: "architecture-service/AmazonSimpleStorageService.svg",
    sqs: "architecture-service/AmazonSimpleQueueService.svg",
    lambda: "architecture-service/AWSLambda.svg",
    scheduler: "architecture-service/AmazonEventBridge.svg",
    ecr: "architecture-service/AmazonElasticContainerRegistry.svg",
    secrets: "architecture-service/AWSSecretsManager.svg",
    guardduty: "architecture-service/AmazonGuardDuty.svg",
    cloudtrail: "architecture-service/AWSCloudTrail.svg",
    cloudwatch: "architecture-service/AmazonCloudWatch.svg",
    kms: "architecture-service/AWSKeyManagementService.svg",
    sns: "architecture-service/AmazonSimpleNotificationService.svg",
    budgets: "architecture-service/AWSBudgets.svg",
    igw: "resource/AmazonVPCInternetGateway.svg",
    nat: "resource/AmazonVPCNATGateway.svg",
    endpoints: "resource/AmazonVPCEndpoints.svg",
    vpclink: "resource/AmazonAPIGatewayEndpoint.svg",
    alb: "resource/ElasticLoadBalancingApplicationLoadBalancer.svg",
    autoscaling: "architecture-service/AmazonEC2AutoScaling.svg",
    fargate: "architecture-service/AWSFargate.svg",
    aurora: "architecture-service/AmazonAurora.svg",
    elasticache: "architecture-service/AmazonElastiCache.svg",
    efs: "architecture-service/AmazonEFS.svg",
    region: "architecture-group/Region.svg",
    vpc: "architecture-group/VirtualprivatecloudVPC.svg",
    public: "architecture-group/Publicsubnet.svg",
    private: "architecture-group/Privatesubnet.svg",
};

export function iconDirectory(): string {
    return path.join(path.dirname(require.resolve("aws-icons/package.json")), "icons");
}

/** `<symbol id="icon-NAME">` definitions of the named icons. */
export function iconSymbols(names: Iterable<string>): string {
    const directory = iconDirectory();
    return [...new Set(names)]
        .sort()
        .map((name) => {
            const file = FILES[name];
            if (!file) throw new Error(`no icon named ${name}`);
            const svg = readFileSync(path.join(directory, file), "utf8");
            const viewBox = /viewBox="([^"]+)"/.exec(svg)?.[1] ?? "0 0 64 64";
            const inner = svg
                .replace(/^[\s\S]*?<svg[^>]*>/, "")
                .replace(/<\/svg>\s*$/, "")
                .replace(/<title>[\s\S]*?<\/title>/, "");
            return `<symbol id="icon-${name}" viewBox="${viewBox}">${inner}</symbol>`;
        })
        .join("\n");
}
