/**
 * GuardDuty protection plans (detector features) this program may enable, and where AWS does not
 * offer them. Source: the GuardDuty user guide, "Regions and endpoints", section "Region-specific
 * feature availability": every plan below is offered in every commercial region this program knows
 * (infra/config/regions.ts), af-south-1 included; the only exception it lists is RDS Protection in
 * Asia Pacific (Taipei). Enabling a plan where it is not offered fails the deployment, so a new
 * exception goes in this table.
 */
export const GUARDDUTY_FEATURES = [
    "S3_DATA_EVENTS", // S3 Protection: data-plane events on every bucket
    "RDS_LOGIN_EVENTS", // RDS Protection: Aurora login activity
    "RUNTIME_MONITORING", // Runtime Monitoring: ECS Fargate tasks and EC2 web servers (agent managed by GuardDuty)
    "EBS_MALWARE_PROTECTION", // Malware Protection for EC2: scans the web servers' volumes on suspicious findings
    "LAMBDA_NETWORK_LOGS", // Lambda Protection: network activity of the functions
    "EKS_AUDIT_LOGS", // EKS Protection: offered, but this platform runs no EKS cluster
] as const;
export type GuardDutyFeature = (typeof GUARDDUTY_FEATURES)[number];

const NOT_OFFERED_IN: Readonly<Record<GuardDutyFeature, readonly string[]>> = {
    S3_DATA_EVENTS: [],
    RDS_LOGIN_EVENTS: ["ap-east-2"],
    RUNTIME_MONITORING: [],
    EBS_MALWARE_PROTECTION: [],
    LAMBDA_NETWORK_LOGS: [],
    EKS_AUDIT_LOGS: [],
};

export function featureOfferedIn(feature: GuardDutyFeature, region: string): boolean {
    return !NOT_OFFERED_IN[feature].includes(region);
}

/** What the platform enables by default: every plan that protects a workload it runs. */
export function defaultGuardDutyFeatures(region: string): GuardDutyFeature[] {
    return GUARDDUTY_FEATURES.filter((f) => f !== "EKS_AUDIT_LOGS" && featureOfferedIn(f, region));
}
