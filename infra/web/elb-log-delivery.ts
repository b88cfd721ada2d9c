import { Statement } from "../shared/iam";

/**
 * The Elastic Load Balancing account that writes access logs in each region available before
 * August 2022 (from the ELB access-log documentation). Regions launched since then deliver as the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead. The bucket policy
 * names the writer the documentation gives for the region: with the wrong one, enabling access
 * logs fails ("Access Denied for bucket").
 */
const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Who writes a region's load balancer access logs. */
export function elbLogWriter(region: string): NonNullable<Statement["Principal"]> {
    const account = ELB_LOG_ACCOUNTS[region];
    return account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}
