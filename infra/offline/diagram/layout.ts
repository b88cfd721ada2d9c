import type { ElkExtendedEdge, ElkNode, ElkPort } from "elkjs/lib/elk-api";
import { DiagramEdge, DiagramModel, DiagramNode, subnetId } from "./model";
import { Tier, TIERS } from "./topology";

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 88;
/** Room above a group's content for its title. */
const GROUP_TOP = 40;
const PAD = 20;
/** Space between the zone columns in the VPC, and between the tracks of arrows joining them. */
const COLUMN_GAP = 30;
const TRACK = 8;
const PIN = 2;

export interface Point {
    x: number;
    y: number;
}

/** A drawn box: a group (region, VPC, zone, subnet, band) or a resource node, in absolute coordinates. */
export interface Box extends Point {
    id: string;
    width: number;
    height: number;
}

export type GroupKind = "edge" | "region" | "band" | "vpc" | "zone" | Tier;

export interface Group extends Box {
    kind: GroupKind;
    title: string;
}

export interface Route {
    from: string;
    to: string;
    kind: DiagramEdge["kind"];
    points: Point[];
}

export interface Layout {
    width: number;
    height: number;
    groups: Group[];
    nodes: (Box & { node: DiagramNode })[];
    routes: Route[];
}

interface Elk {
    layout(graph: ElkNode): Promise<ElkNode>;
}

const BAND_TITLES = {
    edge: "Edge: global services",
    regional: "Regional services",
    operations: "Security, audit and operations",
};

const LAYERED: Record<string, string> = {
    "elk.algorithm": "layered",
    "elk.direction": "DOWN",
    "elk.hierarchyHandling": "INCLUDE_CHILDREN",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
    "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
    "elk.spacing.nodeNode": "28",
    "elk.layered.spacing.nodeNodeBetweenLayers": "40",
    "elk.layered.spacing.edgeNodeBetweenLayers": "16",
    "elk.spacing.edgeNode": "14",
    "elk.spacing.edgeEdge": "8",
};

const padded = (extra: Record<string, string> = {}): Record<string, string> => ({
    "elk.padding": `[top=${GROUP_TOP},left=${PAD},bottom=${PAD},right=${PAD}]`,
    ...extra,
});

const leaf = (node: DiagramNode): ElkNode => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT });

/** One end of an arrow that crosses the VPC's or a column's border: where it crosses. */
type End = "source" | "target";
const pinId = (edge: number, end: End) => `pin:${edge}:${end}`;

/** A laid-out zone column, relative to its own top-left corner. */
interface Column {
    zone: string;
    width: number;
    height: number;
    groups: Group[];
    nodes: (Box & { node: DiagramNode })[];
    /** Routes inside the column: whole arrows, and arrow pieces from a pin (`edge:i:source|target`). */
    routes: Map<string, Point[]>;
    /** Pins at the top of the column, by pin id: where arrows leave or enter it. */
    pins: Map<string, Point>;
}

/**
 * Lays the model out with ELK (layered, top to bottom, nested boxes, orthogonal arrows).
 *
 * Each availability zone is a column laid out on its own: the zone box, a subnet box per tier as
 * its rows, the resources in them, and pins at the top where arrows cross its border. It is laid
 * out twice, the second time with every subnet of a tier as large as the largest, and its rows are
 * then aligned on one edge, so that the rows line up across the columns. The VPC places the
 * columns side by side in the zones' order. Then ELK lays out the whole picture (the edge above the
 * region; in the region the regional services, the internet gateway, the VPC as a box with a port
 * for each pin, and the operations band). An arrow that crosses borders is drawn as its pieces
 * joined: inside the source's column, between the columns or across the region, inside the target's.
 */
export async function layOut(model: DiagramModel): Promise<Layout> {
    // elkjs is loaded only when a diagram is drawn.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ELK = require("elkjs/lib/elk.bundled.js") as new () => Elk;
    const elk = new ELK();
    const zoneOf = new Map<string, string>();
    for (const node of model.nodes) if ("zone" in node.place) zoneOf.set(node.id, node.place.zone);
    for (const zone of model.zones) for (const tier of TIERS) zoneOf.set(subnetId(zone, tier), zone);
    const tiers = TIERS.filter(
        (t) => t !== "isolated" || model.nodes.some((n) => "tier" in n.place && n.place.tier === t),
    );

    const first = await Promise.all(model.zones.map((zone) => elk.layout(columnGraph(model, zone, zoneOf, tiers))));
    const minimum = subnetSizes(first);
    const columns = await Promise.all(
        model.zones.map(async (zone) =>
            readColumn(zone, await elk.layout(columnGraph(model, zone, zoneOf, tiers, minimum)), model),
        ),
    );
    const vpc = assembleVpc(model, columns, zoneOf);
    const outer = await elk.layout(outerGraph(model, vpc, zoneOf));
    return compose(model, vpc, outer, zoneOf);
}

/** The ELK graph of one zone's column. Arrows leaving it are laid out as entering it from their pin. */
function columnGraph(
    model: DiagramModel,
    zone: string,
    zoneOf: Map<string, string>,
    tiers: Tier[],
    minimum?: Map<Tier, { width: number; height: number }>,
): ElkNode {
    const pins: ElkNode[] = [{ id: `pin:${zone}:anchor`, width: PIN, height: PIN }];
    const edges: ElkExtendedEdge[] = [edge(`order:${zone}:anchor`, `pin:${zone}:anchor`, subnetId(zone, tiers[0]))];
    for (let i = 1; i < tiers.length; i++)
        edges.push(edge(`order:${zone}:${i}`, subnetId(zone, tiers[i - 1]), subnetId(zone, tiers[i])));
    model.edges.forEach((e, i) => {
        const [from, to] = [zoneOf.get(e.from), zoneOf.get(e.to)];
        if (from === zone && to === zone) edges.push(edge(`edge:${i}`, e.from, e.to));
        else {
            if (from === zone) {
                pins.push({ id: pinId(i, "source"), width: PIN, height: PIN });
                edges.push(edge(`edge:${i}:source`, pinId(i, "source"), e.from));
            }
            if (to === zone) {
                pins.push({ id: pinId(i, "target"), width: PIN, height: PIN });
                edges.push(edge(`edge:${i}:target`, pinId(i, "target"), e.to));
            }
        }
    });
    const subnets = tiers.map((tier) => {
        const size = minimum?.get(tier);
        const fixed = size && {
            "elk.nodeSize.constraints": "[MINIMUM_SIZE]",
            // Under INCLUDE_CHILDREN, top to bottom, ELK (0.12) reads the minimum transposed: height first.
            "elk.nodeSize.minimum": `(${size.height}, ${size.width})`,
            "elk.contentAlignment": "[H_CENTER, V_CENTER]",
        };
        return {
            id: subnetId(zone, tier),
            layoutOptions: padded(fixed),
            children: model.nodes
                .filter((n) => "zone" in n.place && n.place.zone === zone && n.place.tier === tier)
                .map(leaf),
        };
    });
    return {
        id: "column",
        layoutOptions: { ...LAYERED, "elk.padding": "[top=0,left=0,bottom=0,right=0]" },
        children: [{ id: `zone:${zone}`, layoutOptions: padded(), children: [...pins, ...subnets] }],
        edges,
    };
}

function edge(id: string, from: string, to: string): ElkExtendedEdge {
    return { id, sources: [from], targets: [to] };
}

/** The largest subnet of each tier over the zones (every subnet gets the widest one's width). */
function subnetSizes(columns: ElkNode[]): Map<Tier, { width: number; height: number }> {
    const sizes = new Map<Tier, { width: number; height: number }>();
    let width = 0;
    for (const column of columns)
        for (const subnet of column.children?.[0]?.children ?? []) {
            const tier = /^subnet:.+:(public|private|isolated)$/.exec(subnet.id)?.[1] as Tier | undefined;
            if (!tier) continue;
            const size = sizes.get(tier) ?? { width: 0, height: 0 };
            size.height = Math.max(size.height, subnet.height ?? 0);
            width = Math.max(width, subnet.width ?? 0);
            sizes.set(tier, size);
        }
    for (const size of sizes.values()) size.width = width;
    return sizes;
}

/**
 * Reads a laid-out column and aligns its rows on their left edges: everything within a row's band
 * (and the gap above it) moves with the row, so arrows keep their shape but for a jog in a gap.
 */
function readColumn(zone: string, laidOut: ElkNode, model: DiagramModel): Column {
    const zoneBox = laidOut.children?.[0] as ElkNode;
    const byId = new Map(model.nodes.map((n) => [n.id, n]));
    const rows = (zoneBox.children ?? [])
        .filter((c) => c.id.startsWith("subnet:"))
        .sort((a, b) => (a.y ?? 0) - (b.y ?? 0));
    const left = Math.min(...rows.map((r) => r.x ?? 0));
    const shiftAt = (y: number) => {
        const row = rows.find((r) => y <= (r.y ?? 0) + (r.height ?? 0)) ?? rows[rows.length - 1];
        return left - (row.x ?? 0);
    };
    const origin = { x: zoneBox.x ?? 0, y: zoneBox.y ?? 0 };
    const move = (p: Point): Point => ({ x: p.x - origin.x + shiftAt(p.y - origin.y), y: p.y - origin.y });

    const column: Column = {
        zone,
        width: 0,
        height: zoneBox.height ?? 0,
        groups: [],
        nodes: [],
        routes: new Map(),
        pins: new Map(),
    };
    const visit = (node: ElkNode, ox: number, oy: number) => {
        const x = ox + (node.x ?? 0);
        const y = oy + (node.y ?? 0);
        const at = move({ x, y });
        const box = { id: node.id, ...at, width: node.width ?? 0, height: node.height ?? 0 };
        const drawn = byId.get(node.id);
        if (drawn) column.nodes.push({ ...box, node: drawn });
        else if (node.id.startsWith("pin:")) column.pins.set(node.id, { x: at.x + PIN / 2, y: at.y });
        else if (node.id.startsWith("subnet:")) column.groups.push({ ...box, ...groupInfo(node.id, model) });
        node.children?.forEach((child) => visit(child, x, y));
    };
    (zoneBox.children ?? []).forEach((child) => visit(child, origin.x, origin.y));
    for (const e of (laidOut.edges ?? []) as (ElkExtendedEdge & { container?: string })[])
        if (e.id.startsWith("edge:"))
            column.routes.set(e.id, orthogonal(sectionPoints(e, containerOffset(laidOut, e.container)).map(move)));

    const right = Math.max(
        ...column.groups.map((g) => g.x + g.width),
        ...[...column.routes.values()].flat().map((p) => p.x),
        ...[...column.pins.values()].map((p) => p.x),
    );
    column.width = right + PAD;
    column.groups.unshift({
        id: `zone:${zone}`,
        x: 0,
        y: 0,
        width: column.width,
        height: column.height,
        ...groupInfo(`zone:${zone}`, model),
    });
    return column;
}

/** The absolute offset of an ELK container (edges' coordinates are relative to it). */
function containerOffset(root: ElkNode, id: string | undefined): Point {
    let found: Point = { x: 0, y: 0 };
    const visit = (node: ElkNode, ox: number, oy: number) => {
        const x = ox + (node.x ?? 0);
        const y = oy + (node.y ?? 0);
        if (node.id === id) found = { x, y };
        node.children?.forEach((c) => visit(c, x, y));
    };
    if (id && id !== root.id) root.children?.forEach((c) => visit(c, 0, 0));
    return found;
}

/** The VPC's contents, relative to its top-left corner: columns side by side, and where arrows cross its top. */
interface Vpc {
    width: number;
    height: number;
    columns: { column: Column; x: number; y: number }[];
    nodes: (Box & { node: DiagramNode })[];
    /** Arrows between two columns (or a column and a node of the VPC itself), routed over the columns. */
    routes: Map<string, Point[]>;
    /** Pins whose arrow leaves the VPC: their x on its top border. */
    ports: Map<string, number>;
    /** Absolute-to-VPC position of every pin. */
    pins: Map<string, Point>;
}

function assembleVpc(model: DiagramModel, columns: Column[], zoneOf: Map<string, string>): Vpc {
    const vpcNodes = model.nodes.filter((n) => "vpc" in n.place && n.place.vpc === "inside");
    const nodes = vpcNodes.map((node, i) => ({
        id: node.id,
        x: PAD + i * (NODE_WIDTH + 28),
        y: GROUP_TOP,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        node,
    }));
    const inside = (id: string) => zoneOf.has(id) || vpcNodes.some((n) => n.id === id);
    // Arrows with both ends in the VPC but not in one column run on tracks above the columns.
    const crossing = model.edges
        .map((e, i) => ({ e, i }))
        .filter(
            ({ e }) =>
                inside(e.from) && inside(e.to) && !(zoneOf.has(e.from) && zoneOf.get(e.from) === zoneOf.get(e.to)),
        );
    const top =
        GROUP_TOP + (nodes.length > 0 ? NODE_HEIGHT + 20 : 0) + crossing.length * TRACK + (crossing.length ? 12 : 0);
    const placed: Vpc["columns"] = [];
    let x = PAD;
    for (const column of columns) {
        placed.push({ column, x, y: top });
        x += column.width + COLUMN_GAP;
    }
    const pins = new Map<string, Point>();
    for (const { column, x: cx, y: cy } of placed)
        for (const [id, p] of column.pins) pins.set(id, { x: p.x + cx, y: p.y + cy });
    // A VPC node's arrows leave from its top (to the outside) or its bottom (to a column).
    model.edges.forEach((e, i) => {
        for (const end of ["source", "target"] as const) {
            const node = nodes.find((n) => n.id === (end === "source" ? e.from : e.to));
            if (!node) continue;
            const other = end === "source" ? e.to : e.from;
            pins.set(pinId(i, end), { x: node.x + NODE_WIDTH / 2, y: inside(other) ? node.y + NODE_HEIGHT : node.y });
        }
    });
    const routes = new Map<string, Point[]>();
    crossing.forEach(({ i }, k) => {
        const a = pins.get(pinId(i, "source")) as Point;
        const b = pins.get(pinId(i, "target")) as Point;
        const y = top - 10 - k * TRACK;
        routes.set(`edge:${i}`, [a, { x: a.x, y }, { x: b.x, y }, b]);
    });
    const ports = new Map<string, number>();
    model.edges.forEach((e, i) => {
        if (inside(e.from) && !inside(e.to)) ports.set(pinId(i, "source"), (pins.get(pinId(i, "source")) as Point).x);
        if (inside(e.to) && !inside(e.from)) ports.set(pinId(i, "target"), (pins.get(pinId(i, "target")) as Point).x);
    });
    const width = Math.max(x - COLUMN_GAP + PAD, PAD + nodes.length * (NODE_WIDTH + 28));
    const height = top + Math.max(0, ...columns.map((c) => c.height)) + PAD;
    return { width, height, columns: placed, nodes, routes, ports, pins };
}

function outerGraph(model: DiagramModel, vpc: Vpc, zoneOf: Map<string, string>): ElkNode {
    const inBand = (band: string) => model.nodes.filter((n) => "band" in n.place && n.place.band === band).map(leaf);
    const isInside = (id: string) => zoneOf.has(id) || vpc.nodes.some((n) => n.id === id);
    const ports: ElkPort[] = [...vpc.ports].map(([id, x]) => ({
        id: `port:${id}`,
        x: x - PIN / 2,
        y: 0,
        width: PIN,
        height: PIN,
        layoutOptions: { "elk.port.side": "NORTH" },
    }));
    const edges: ElkExtendedEdge[] = [];
    model.edges.forEach((e, i) => {
        const [inFrom, inTo] = [isInside(e.from), isInside(e.to)];
        if (inFrom && inTo) return;
        // Every arrow crossing the VPC's border is laid out as entering it, so that whatever it
        // connects to is placed above the VPC; compose() turns the route of one leaving it round.
        if (inFrom) edges.push(edge(`edge:${i}`, e.to, `port:${pinId(i, "source")}`));
        else edges.push(edge(`edge:${i}`, e.from, inTo ? `port:${pinId(i, "target")}` : e.to));
    });
    // The internet gateway sits just above the VPC, on the way out of it.
    const gateway = model.nodes.filter((n) => "vpc" in n.place && n.place.vpc === "border").map(leaf);
    return {
        id: "root",
        layoutOptions: { ...LAYERED, "elk.padding": `[top=${PAD},left=${PAD},bottom=${PAD},right=${PAD}]` },
        children: [
            ...inBand("edge").filter((n) => n.id === "users"),
            { id: "band:edge", layoutOptions: padded(), children: inBand("edge").filter((n) => n.id !== "users") },
            {
                id: "region",
                layoutOptions: padded(),
                children: [
                    { id: "band:regional", layoutOptions: padded(), children: inBand("regional") },
                    ...gateway,
                    {
                        id: "vpc",
                        width: vpc.width,
                        height: vpc.height,
                        ports,
                        layoutOptions: { "elk.portConstraints": "FIXED_POS" },
                    },
                    { id: "band:operations", layoutOptions: padded(), children: inBand("operations") },
                ],
            },
        ],
        edges: [
            ...edges,
            edge("order:regional", "band:regional", "vpc"),
            ...gateway.map((g) => edge(`order:${g.id}`, g.id, "vpc")),
            edge("order:operations", "vpc", "band:operations"),
        ],
    };
}

function compose(model: DiagramModel, vpc: Vpc, outer: ElkNode, zoneOf: Map<string, string>): Layout {
    const byId = new Map(model.nodes.map((n) => [n.id, n]));
    const layout: Layout = { width: outer.width ?? 0, height: outer.height ?? 0, groups: [], nodes: [], routes: [] };
    const offsets = new Map<string, Point>();
    const visit = (node: ElkNode, ox: number, oy: number) => {
        const x = ox + (node.x ?? 0);
        const y = oy + (node.y ?? 0);
        offsets.set(node.id, { x, y });
        const box = { id: node.id, x, y, width: node.width ?? 0, height: node.height ?? 0 };
        const drawn = byId.get(node.id);
        if (drawn) layout.nodes.push({ ...box, node: drawn });
        else if (node.id !== "root") layout.groups.push({ ...box, ...groupInfo(node.id, model) });
        node.children?.forEach((child) => visit(child, x, y));
    };
    visit(outer, 0, 0);

    const at = offsets.get("vpc") as Point;
    const shift = (p: Point, dx: number, dy: number) => ({ x: p.x + dx, y: p.y + dy });
    for (const n of vpc.nodes) layout.nodes.push({ ...n, ...shift(n, at.x, at.y) });
    const inner = new Map<string, Point[]>();
    for (const [id, route] of vpc.routes)
        inner.set(
            id,
            route.map((p) => shift(p, at.x, at.y)),
        );
    for (const { column, x, y } of vpc.columns) {
        const [dx, dy] = [at.x + x, at.y + y];
        for (const g of column.groups) layout.groups.push({ ...g, ...shift(g, dx, dy) });
        for (const n of column.nodes) layout.nodes.push({ ...n, ...shift(n, dx, dy) });
        for (const [id, route] of column.routes)
            inner.set(
                id,
                route.map((p) => shift(p, dx, dy)),
            );
    }
    const outerRoutes = new Map<string, Point[]>();
    for (const e of (outer.edges ?? []) as (ElkExtendedEdge & { container?: string })[]) {
        if (!e.id.startsWith("edge:")) continue;
        const points = sectionPoints(e, offsets.get(e.container ?? "root") ?? { x: 0, y: 0 });
        outerRoutes.set(
            e.id,
            e.targets[0].startsWith(`port:${pinId(Number(e.id.slice(5)), "source")}`) ? points.reverse() : points,
        );
    }

    model.edges.forEach((e, i) => {
        const whole = inner.get(`edge:${i}`) && zoneOf.has(e.from) && zoneOf.get(e.from) === zoneOf.get(e.to);
        const pin = (end: End) => vpc.pins.get(pinId(i, end));
        const absolute = (p: Point | undefined) => (p ? [shift(p, at.x, at.y)] : []);
        const points = whole
            ? (inner.get(`edge:${i}`) as Point[])
            : [
                  // Out of the source's column (its piece from the pin, reversed), across, into the target's.
                  ...[...(inner.get(`edge:${i}:source`) ?? [])].reverse(),
                  ...absolute(pin("source")),
                  ...(inner.get(`edge:${i}`) ?? outerRoutes.get(`edge:${i}`) ?? []),
                  ...absolute(pin("target")),
                  ...(inner.get(`edge:${i}:target`) ?? []),
              ];
        if (points.length >= 2)
            layout.routes.push({ from: e.from, to: e.to, kind: e.kind, points: orthogonal(points) });
    });
    return layout;
}

function sectionPoints(edge: ElkExtendedEdge, base: Point): Point[] {
    return (edge.sections ?? [])
        .flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint])
        .map((p) => ({ x: p.x + base.x, y: p.y + base.y }));
}

/** Joins route pieces with right angles where two points are not in line, and drops repeated points. */
function orthogonal(points: Point[]): Point[] {
    const out: Point[] = [points[0]];
    for (const p of points.slice(1)) {
        const last = out[out.length - 1];
        if (Math.abs(last.x - p.x) < 0.5 && Math.abs(last.y - p.y) < 0.5) continue;
        if (Math.abs(last.x - p.x) >= 0.5 && Math.abs(last.y - p.y) >= 0.5) out.push({ x: last.x, y: p.y });
        out.push(p);
    }
    return out;
}

function groupInfo(id: string, model: DiagramModel): { kind: GroupKind; title: string } {
    if (id === "region") return { kind: "region", title: `Region ${model.region}` };
    if (id === "vpc") return { kind: "vpc", title: "VPC" };
    if (id === "band:edge") return { kind: "edge", title: BAND_TITLES.edge };
    if (id.startsWith("band:")) return { kind: "band", title: BAND_TITLES[id.slice(5) as keyof typeof BAND_TITLES] };
    if (id.startsWith("zone:")) return { kind: "zone", title: `Availability Zone ${id.slice(5)}` };
    const tier = (/^subnet:.+:(public|private|isolated)$/.exec(id)?.[1] ?? "private") as Tier;
    return { kind: tier, title: `${tier[0].toUpperCase()}${tier.slice(1)} subnet` };
}
