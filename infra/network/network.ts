import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NatStrategy, SubnetLayer, SubnetPlan } from "../config";
import { createFlowLogs } from "./flow-logs";
import { createEndpoints } from "./endpoints";

export interface NetworkArgs {
    vpcCidr: string;
    /** Every subnet; each zone needs one of each layer. */
    subnets: readonly SubnetPlan[];
    natStrategy: NatStrategy;
    interfaceEndpoints: boolean;
    region: string;
    accountId: string;
    flowLogGroupName: string;
    flowLogRetentionInDays: number;
    /** Key for the flow log group; its policy must admit logs.<region>.amazonaws.com. */
    logsKeyArn: pulumi.Input<string>;
}

/**
 * The VPC: public, private (application) and isolated (data) subnets in every zone, an internet
 * gateway, NAT per the strategy, a route table per private subnet pointing at the NAT of its own
 * zone, isolated subnets with no route out, the default security group stripped of its rules,
 * flow logs of all traffic, an S3 gateway endpoint and, when enabled, interface endpoints.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    /** The zones, in the order of the subnet id lists below. */
    readonly zones: string[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly isolatedSubnetIds: pulumi.Output<string>[];
    /** The S3 gateway endpoint's prefix list, for egress rules to S3 without the internet. */
    readonly s3PrefixListId: pulumi.Output<string>;
    /** The security group of the interface endpoints, when they are enabled. */
    readonly endpointSecurityGroupId?: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:network:Network", name, {}, opts);
        this.zones = validateLayout(name, args.subnets);
        this.vpcCidr = args.vpcCidr;
        const child = { parent: this };

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.vpcCidr,
                // Both are needed for the interface endpoints' private DNS names.
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: { Name: name },
            },
            child,
        );
        this.vpcId = vpc.id;

        // Adopting the default security group removes its allow-all rules; nothing may use it.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, tags: { Name: `${name}-default-unused` } },
            child,
        );

        const subnetIds = {} as Record<SubnetLayer, pulumi.Output<string>[]>;
        const subnetOf = (layer: SubnetLayer, zone: string) =>
            args.subnets.find((s) => s.layer === layer && s.zone === zone) as SubnetPlan;
        for (const layer of ["public", "private", "isolated"] as const) {
            subnetIds[layer] = this.zones.map(
                (zone) =>
                    new aws.ec2.Subnet(
                        `${name}-${layer}-${zone}`,
                        {
                            vpcId: vpc.id,
                            cidrBlock: subnetOf(layer, zone).cidr,
                            availabilityZone: zone,
                            // Load balancers and NAT gateways get their addresses explicitly; nothing else is public.
                            mapPublicIpOnLaunch: false,
                            tags: { Name: `${name}-${layer}-${zone}`, Layer: layer },
                        },
                        child,
                    ).id,
            );
        }
        this.publicSubnetIds = subnetIds.public;
        this.privateSubnetIds = subnetIds.private;
        this.isolatedSubnetIds = subnetIds.isolated;

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: name } }, child);
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: { Name: `${name}-public`, Layer: "public" },
            },
            child,
        );
        this.zones.forEach((zone, i) => this.associate(`${name}-public-${zone}`, publicRoutes.id, subnetIds.public[i]));

        // NAT gateways live in public subnets; AWS needs the internet gateway attached first.
        const natZones = args.natStrategy === "one-per-az" ? this.zones : this.zones.slice(0, 1);
        const natIds = natZones.map((zone) => {
            const eip = new aws.ec2.Eip(
                `${name}-nat-${zone}`,
                { domain: "vpc", tags: { Name: `${name}-nat-${zone}` } },
                child,
            );
            return new aws.ec2.NatGateway(
                `${name}-nat-${zone}`,
                {
                    allocationId: eip.id,
                    subnetId: subnetIds.public[this.zones.indexOf(zone)],
                    connectivityType: "public",
                    tags: { Name: `${name}-nat-${zone}` },
                },
                { parent: this, dependsOn: [igw] },
            ).id;
        });

        const privateRouteTableIds = this.zones.map((zone, i) => {
            const table = new aws.ec2.RouteTable(
                `${name}-private-${zone}`,
                {
                    vpcId: vpc.id,
                    routes: [
                        { cidrBlock: "0.0.0.0/0", natGatewayId: natIds[args.natStrategy === "one-per-az" ? i : 0] },
                    ],
                    tags: { Name: `${name}-private-${zone}`, Layer: "private" },
                },
                child,
            );
            this.associate(`${name}-private-${zone}`, table.id, subnetIds.private[i]);
            return table.id;
        });

        // The isolated layer only has the VPC's local route: no internet, no NAT, no endpoints.
        const isolatedRoutes = new aws.ec2.RouteTable(
            `${name}-isolated`,
            {
                vpcId: vpc.id,
                tags: { Name: `${name}-isolated`, Layer: "isolated" },
            },
            child,
        );
        this.zones.forEach((zone, i) =>
            this.associate(`${name}-isolated-${zone}`, isolatedRoutes.id, subnetIds.isolated[i]),
        );

        const endpoints = createEndpoints(
            name,
            {
                vpcId: vpc.id,
                vpcCidr: args.vpcCidr,
                region: args.region,
                routeTableIds: privateRouteTableIds,
                subnetIds: subnetIds.private,
                interfaceEndpoints: args.interfaceEndpoints,
            },
            this,
        );
        this.s3PrefixListId = endpoints.s3PrefixListId;
        this.endpointSecurityGroupId = endpoints.securityGroupId;

        createFlowLogs(
            name,
            {
                vpcId: vpc.id,
                region: args.region,
                accountId: args.accountId,
                logGroupName: args.flowLogGroupName,
                retentionInDays: args.flowLogRetentionInDays,
                kmsKeyArn: args.logsKeyArn,
            },
            this,
        );

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
        });
    }

    /** Named after the subnet it binds, so reordering zones never replaces an association. */
    private associate(subnetName: string, routeTableId: pulumi.Output<string>, subnetId: pulumi.Output<string>): void {
        new aws.ec2.RouteTableAssociation(subnetName, { routeTableId, subnetId }, { parent: this });
    }
}

/** Every zone must have exactly one subnet of each layer; returns the zones in order. */
function validateLayout(name: string, subnets: readonly SubnetPlan[]): string[] {
    const zones = [...new Set(subnets.map((s) => s.zone))];
    if (zones.length < 2)
        throw new Error(`Network ${name}: subnets must span at least 2 zones, got ${zones.join(", ") || "none"}`);
    for (const zone of zones) {
        for (const layer of ["public", "private", "isolated"] as const) {
            const count = subnets.filter((s) => s.zone === zone && s.layer === layer).length;
            if (count !== 1)
                throw new Error(`Network ${name}: zone ${zone} has ${count} ${layer} subnets; exactly 1 is required`);
        }
    }
    return zones;
}
