import * as pulumi from "@pulumi/pulumi";
import { GuardDutySettings, TrailSettings } from "../config";
import { createAuditTrail } from "./audit-trail";
import { createCisAlarms } from "./cis-alarms";
import { createThreatDetection } from "./threat-detection";

export interface SecurityMonitoringArgs {
    accountId: string;
    /** The region of the provider the component is created with. */
    region: string;
    namePrefix: string;
    guardDuty: GuardDutySettings;
    trail: TrailSettings;
    auditKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    alertTopicArn: pulumi.Input<string>;
    /** The assets bucket (edge tier), for its object-level data events. */
    assetsBucketArn?: pulumi.Input<string>;
    /** Protect the audit bucket from deletion (production). */
    protectAuditLogs: boolean;
}

/**
 * Account-level security monitoring: GuardDuty with findings routed to the alert topic, the
 * CloudTrail trail (unless an existing trail records the account: an organization's or another stack's), and the CIS Foundations
 * metric filters and alarms on the trail's log group.
 */
export class SecurityMonitoring extends pulumi.ComponentResource {
    constructor(name: string, args: SecurityMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:observability:SecurityMonitoring", name, {}, opts);

        createThreatDetection(
            name,
            { namePrefix: args.namePrefix, settings: args.guardDuty, alertTopicArn: args.alertTopicArn },
            this,
        );

        const logGroupName =
            args.trail.source === "stack"
                ? createAuditTrail(
                      name,
                      {
                          accountId: args.accountId,
                          region: args.region,
                          namePrefix: args.namePrefix,
                          settings: args.trail,
                          auditKeyArn: args.auditKeyArn,
                          logsKeyArn: args.logsKeyArn,
                          logRetentionDays: args.logRetentionDays,
                          assetsBucketArn: args.assetsBucketArn,
                          protect: args.protectAuditLogs,
                      },
                      this,
                  )
                : args.trail.existingLogGroupName;
        if (logGroupName !== undefined)
            createCisAlarms(name, logGroupName, { namePrefix: args.namePrefix, topicArn: args.alertTopicArn }, this);
        this.registerOutputs({});
    }
}
