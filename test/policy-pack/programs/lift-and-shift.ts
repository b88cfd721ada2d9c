/**
 * A team moving a VM-based shop to AWS, written the way getting-started guides do: the default
 * provider, public subnets from getAvailabilityZones, an EC2 instance with a public address behind
 * a classic load balancer, a standalone PostgreSQL instance with its password in the program, and
 * a bucket of public images. Its mistakes are the pack's business; see foreign-programs.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export function liftAndShift() {
    const zones = aws.getAvailabilityZonesOutput({ state: "available" });

    const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true });
    const igw = new aws.ec2.InternetGateway("main", { vpcId: vpc.id });
    const routes = new aws.ec2.RouteTable("public", {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
    });
    const subnets = [0, 1].map((i) => {
        const subnet = new aws.ec2.Subnet(`public-${i}`, {
            vpcId: vpc.id,
            cidrBlock: `10.0.${i}.0/24`,
            availabilityZone: zones.names[i],
            mapPublicIpOnLaunch: true,
        });
        new aws.ec2.RouteTableAssociation(`public-${i}`, { subnetId: subnet.id, routeTableId: routes.id });
        return subnet;
    });

    const webSg = new aws.ec2.SecurityGroup("web", {
        vpcId: vpc.id,
        ingress: [
            { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });

    const server = new aws.ec2.Instance("web", {
        ami: "ami-0a1b2c3d4e5f67890",
        instanceType: "t3.small",
        subnetId: subnets[0].id,
        vpcSecurityGroupIds: [webSg.id],
        associatePublicIpAddress: true,
        userData: "#!/bin/bash\nyum install -y nginx && systemctl start nginx",
    });

    const elb = new aws.elb.LoadBalancer("web", {
        subnets: subnets.map((s) => s.id),
        securityGroups: [webSg.id],
        instances: [server.id],
        listeners: [{ lbPort: 80, lbProtocol: "http", instancePort: 80, instanceProtocol: "http" }],
        healthCheck: { target: "HTTP:80/", interval: 30, healthyThreshold: 2, unhealthyThreshold: 2, timeout: 5 },
    });

    const dbSubnets = new aws.rds.SubnetGroup("db", { subnetIds: subnets.map((s) => s.id) });
    const db = new aws.rds.Instance("db", {
        engine: "postgres",
        engineVersion: "16.4",
        instanceClass: "db.t4g.micro",
        allocatedStorage: 20,
        dbSubnetGroupName: dbSubnets.name,
        vpcSecurityGroupIds: [webSg.id],
        username: "postgres",
        password: "ChangeMe123!",
        publiclyAccessible: true,
        skipFinalSnapshot: true,
    });

    const images = new aws.s3.Bucket("images", {});
    new aws.s3.BucketObject("logo", {
        bucket: images.id,
        key: "logo.png",
        source: new pulumi.asset.StringAsset("png"),
        acl: "public-read",
    });

    return { loadBalancer: elb.name, database: db.id };
}
