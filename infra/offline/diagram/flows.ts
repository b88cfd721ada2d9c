import type { PlanResource } from "../graph";
import type { GraphLinks } from "../links";
import type { DiagramEdge } from "./model";
import { T } from "./resource-types";

/** A flow between two parts (before the parts in several zones are drawn once per zone). */
export interface Flow {
    from: string;
    to: string;
    kind: DiagramEdge["kind"];
}

/** The request flows between parts, from the graph's references. */
export function readFlows(links: GraphLinks, partOf: Map<string, string>): Flow[] {
    const reader = new FlowReader(links, partOf);
    reader.addFlows();
    return reader.flows;
}

class FlowReader {
    readonly flows: Flow[] = [];

    constructor(
        private readonly links: GraphLinks,
        private readonly partOf: Map<string, string>,
    ) {}

    private of(type: string): PlanResource[] {
        return this.links.ofType(type);
    }

    /** The part a resource is drawn in, if any. */
    private partFor(resource: PlanResource | undefined): string | undefined {
        return resource && this.partOf.get(resource.urn);
    }

    private flow(from: string | undefined, to: string | undefined, kind: DiagramEdge["kind"] = "flow"): void {
        if (from && to && from !== to && !this.flows.some((f) => f.from === from && f.to === to))
            this.flows.push({ from, to, kind });
    }

    /** Follows records, API mappings and pass-through resources to the part they stand for. */
    private target(resource: PlanResource): string | undefined {
        if (resource.type === T.record)
            return this.links
                .sources(resource, "aliases")
                .map((r) => this.target(r))
                .find(Boolean);
        if (resource.type === T.apiMapping) return this.partFor(this.links.source(resource, "apiId", T.api));
        const direct = this.partFor(resource);
        if (direct) return direct;
        return this.links
            .sources(resource, "bucket")
            .map((r) => this.target(r))
            .find(Boolean);
    }

    addFlows(): void {
        this.flow("users", "route53");
        for (const record of this.of(T.record))
            for (const alias of this.links.sources(record, "aliases"))
                if (alias.type !== T.lb) this.flow("route53", this.target(alias));
        for (const distribution of this.of(T.distribution)) {
            const cdn = this.partFor(distribution);
            for (const acl of this.links.sources(distribution, "webAclId", T.acl))
                this.flow(this.partFor(acl), cdn, "attach");
            // Origins are linked by URN (a bucket, an API mapping) or by DNS name: a custom origin's
            // domain is the name of a record of the plan (the load balancer's origin record).
            const names = ((distribution.inputs.origins ?? []) as { domainName?: string }[]).map((o) => o.domainName);
            const byName = this.of(T.record).filter((r) => names.includes(String(r.inputs.name).replace(/\.$/, "")));
            for (const origin of [...this.links.sources(distribution, "origins"), ...byName]) {
                const to = this.target(origin);
                if (!to) continue;
                const lb = this.links.get(this.lbUrn(to) ?? "");
                const regionalAcl =
                    lb &&
                    this.links
                        .dependents(lb, T.aclAssociation, "resourceArn")
                        .flatMap((a) => this.links.sources(a, "webAclArn", T.acl))[0];
                if (regionalAcl) {
                    this.flow(cdn, this.partFor(regionalAcl));
                    this.flow(this.partFor(regionalAcl), to);
                } else this.flow(cdn, to);
            }
        }
        for (const lb of this.of(T.lb))
            for (const listener of this.links.dependents(lb, T.listener, "loadBalancerArn")) {
                const groups = [
                    ...this.links.sources(listener, "defaultActions", T.targetGroup),
                    ...this.links
                        .dependents(listener, T.listenerRule, "listenerArn")
                        .flatMap((r) => this.links.sources(r, "actions", T.targetGroup)),
                ];
                for (const group of groups) {
                    for (const asg of this.links.dependents(group, T.asg, "targetGroupArns"))
                        this.flow(this.partFor(lb), this.partFor(asg));
                    for (const service of this.links.dependents(group, T.service, "loadBalancers"))
                        this.flow(this.partFor(lb), this.partFor(service));
                }
            }
        for (const integration of this.of(T.integration)) {
            const api = this.partFor(this.links.source(integration, "apiId", T.api));
            const link = this.partFor(this.links.source(integration, "connectionId", T.vpcLink));
            for (const target of this.links.sources(integration, "integrationUri")) {
                const to =
                    target.type === T.listener
                        ? this.partFor(this.links.source(target, "loadBalancerArn", T.lb))
                        : this.partFor(target);
                if (link) {
                    this.flow(api, link);
                    this.flow(link, to);
                } else this.flow(api, to);
            }
        }
        for (const authorizer of this.of(T.authorizer))
            for (const pool of this.links.sources(authorizer, "jwtConfiguration", T.userPool))
                this.flow(this.partFor(pool), this.partFor(this.links.source(authorizer, "apiId", T.api)), "attach");
        for (const mapping of this.of(T.mapping))
            this.flow(
                this.partFor(this.links.source(mapping, "eventSourceArn", T.queue)),
                this.partFor(this.links.source(mapping, "functionName", T.fn)),
            );
        // Producers: a function given a queue that it does not consume sends to it, unless it is
        // also given that queue's DLQ (then it moves dead letters back: an operator's tool).
        for (const fn of this.of(T.fn)) {
            const consumed = new Set(
                this.links
                    .dependents(fn, T.mapping, "functionName")
                    .flatMap((m) => this.links.sources(m, "eventSourceArn").map((q) => q.urn)),
            );
            const given = this.links.sources(fn, "environment", T.queue);
            for (const queue of given) {
                const dlq = this.links.source(queue, "redrivePolicy", T.queue);
                if (dlq && !consumed.has(queue.urn) && !given.includes(dlq))
                    this.flow(this.partFor(fn), this.partFor(queue));
            }
        }
        for (const notification of this.of(T.notification))
            for (const fn of this.links.sources(notification, "lambdaFunctions", T.fn))
                this.flow(this.target(notification), this.partFor(fn));
        for (const schedule of this.of(T.schedule))
            for (const fn of this.links.sources(schedule, "target", T.fn))
                this.flow(this.partFor(schedule), this.partFor(fn));
        this.addDataStoreFlows();
        for (const nat of this.of(T.nat)) this.flow(this.partFor(nat), "igw");
    }

    private lbUrn(partId: string): string | undefined {
        return partId.startsWith("lb:") ? partId.slice(3) : undefined;
    }

    /** Compute → Aurora, Valkey and EFS: the security group rules that let a workload open connections to a data store. */
    private addDataStoreFlows(): void {
        const owners = new Map<string, Set<string>>();
        const own = (sgs: PlanResource[], part: string | undefined) => {
            if (!part) return;
            for (const sg of sgs) (owners.get(sg.urn) ?? owners.set(sg.urn, new Set()).get(sg.urn))?.add(part);
        };
        for (const service of this.of(T.service))
            own(this.links.sources(service, "networkConfiguration", T.securityGroup), this.partFor(service));
        for (const fn of this.of(T.fn)) own(this.links.sources(fn, "vpcConfig", T.securityGroup), this.partFor(fn));
        for (const group of this.of(T.asg)) {
            const template = this.links.source(group, "launchTemplate", T.launchTemplate);
            if (template) own(this.links.sources(template, "networkInterfaces", T.securityGroup), this.partFor(group));
        }
        const stores = new Map<string, string[]>();
        const store = (sgs: PlanResource[], parts: string[]) =>
            sgs.forEach((sg) => stores.set(sg.urn, [...(stores.get(sg.urn) ?? []), ...parts]));
        for (const cluster of this.of(T.rdsCluster))
            store(
                this.links.sources(cluster, "vpcSecurityGroupIds", T.securityGroup),
                this.links
                    .dependents(cluster, T.rdsInstance, "clusterIdentifier")
                    .map((i) => this.partFor(i))
                    .filter((p): p is string => !!p),
            );
        for (const group of this.of(T.cacheGroup))
            store(
                this.links.sources(group, "securityGroupIds", T.securityGroup),
                [this.partFor(group)].filter((p): p is string => !!p),
            );
        for (const target of this.of(T.mountTarget))
            store(
                this.links.sources(target, "securityGroups", T.securityGroup),
                [this.partFor(target)].filter((p): p is string => !!p),
            );
        for (const rule of this.of(T.egressRule)) {
            const from = this.links.source(rule, "securityGroupId", T.securityGroup);
            const to = this.links.source(rule, "referencedSecurityGroupId", T.securityGroup);
            if (!from || !to) continue;
            for (const source of owners.get(from.urn) ?? [])
                for (const target of stores.get(to.urn) ?? []) this.flow(source, target);
        }
    }
}
