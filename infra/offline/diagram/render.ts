import type { Group, GroupKind, Layout, Route } from "./layout";
import type { DiagramModel } from "./model";
import { iconSymbols } from "./icons";

const FONT = "'Amazon Ember', 'Helvetica Neue', Arial, sans-serif";
const HEADER = 64;

/** AWS architecture diagram group styles: border, dash, fill, title colour and icon. */
const GROUP_STYLE: Record<GroupKind, { stroke: string; dash?: string; fill: string; text: string; icon?: string }> = {
    edge: { stroke: "#7D8998", dash: "6 4", fill: "none", text: "#545B64" },
    region: { stroke: "#00A4A6", dash: "6 4", fill: "none", text: "#00A4A6", icon: "region" },
    band: { stroke: "#7D8998", dash: "6 4", fill: "none", text: "#545B64" },
    vpc: { stroke: "#8C4FFF", fill: "none", text: "#8C4FFF", icon: "vpc" },
    zone: { stroke: "#147EBA", dash: "8 5", fill: "none", text: "#147EBA" },
    public: { stroke: "#7AA116", fill: "#F2F6E8", text: "#248814", icon: "public" },
    private: { stroke: "#00A4A6", fill: "#E6F6F7", text: "#007D7F", icon: "private" },
    isolated: { stroke: "#5A6B86", fill: "#EEF1F6", text: "#3F4B5E", icon: "private" },
};

/** The SVG document of a laid-out architecture. */
export function renderSvg(model: DiagramModel, layout: Layout, subtitle: string): string {
    const width = Math.ceil(layout.width);
    const height = Math.ceil(layout.height) + HEADER;
    const icons = [
        ...layout.nodes.map((n) => n.node.icon),
        ...layout.groups.map((g) => GROUP_STYLE[g.kind].icon).filter((i): i is string => !!i),
    ];
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" data-stack="${esc(model.stack)}" data-zones="${esc(model.zones.join(" "))}">`,
        `<title>${esc(`${model.project}/${model.stack} architecture (${model.region})`)}</title>`,
        "<defs>",
        iconSymbols(icons),
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#545B64"/></marker>',
        "</defs>",
        `<rect width="${width}" height="${height}" fill="#FFFFFF"/>`,
        header(model, width, subtitle),
        `<g transform="translate(0 ${HEADER})">`,
        ...layout.groups.map(group),
        ...layout.routes.map(route),
        ...layout.nodes.map(node),
        "</g>",
        "</svg>",
    ];
    return `${parts.join("\n")}\n`;
}

function header(model: DiagramModel, width: number, subtitle: string): string {
    const legendX = width - 330;
    return [
        `<text x="20" y="28" font-size="18" font-weight="bold" fill="#232F3E">${esc(`${model.project}/${model.stack}: architecture in ${model.region}`)}</text>`,
        `<text x="20" y="48" font-size="12" fill="#545B64">${esc(subtitle)}</text>`,
        `<g font-size="11" fill="#545B64">`,
        `<line x1="${legendX}" y1="24" x2="${legendX + 36}" y2="24" stroke="#545B64" stroke-width="1.5" marker-end="url(#arrow)"/>`,
        `<text x="${legendX + 44}" y="28">request or message flow</text>`,
        `<line x1="${legendX}" y1="44" x2="${legendX + 36}" y2="44" stroke="#8C4FFF" stroke-width="1.5" stroke-dasharray="4 3"/>`,
        `<text x="${legendX + 44}" y="48">protects or authorises</text>`,
        "</g>",
    ].join("\n");
}

function group(g: Group): string {
    const style = GROUP_STYLE[g.kind];
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : "";
    const iconSize = g.kind === "zone" || g.kind === "edge" || g.kind === "band" ? 0 : 24;
    const icon = iconSize
        ? `<use href="#icon-${style.icon}" x="${f(g.x)}" y="${f(g.y)}" width="${iconSize}" height="${iconSize}"/>`
        : "";
    const tx = g.x + (iconSize ? iconSize + 8 : 10);
    return (
        `<g class="group" data-id="${esc(g.id)}" data-kind="${g.kind}">` +
        `<rect x="${f(g.x)}" y="${f(g.y)}" width="${f(g.width)}" height="${f(g.height)}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"${dash}/>` +
        icon +
        `<text x="${f(tx)}" y="${f(g.y + 17)}" font-size="13" font-weight="bold" fill="${style.text}">${esc(g.title)}</text>` +
        "</g>"
    );
}

function route(r: Route): string {
    const d = r.points.map((p, i) => `${i === 0 ? "M" : "L"}${f(p.x)} ${f(p.y)}`).join(" ");
    const style =
        r.kind === "flow"
            ? 'stroke="#545B64" stroke-width="1.4" marker-end="url(#arrow)"'
            : 'stroke="#8C4FFF" stroke-width="1.4" stroke-dasharray="4 3"';
    return `<path class="edge" data-from="${esc(r.from)}" data-to="${esc(r.to)}" data-kind="${r.kind}" d="${d}" fill="none" ${style}/>`;
}

function node(n: Layout["nodes"][number]): string {
    const { node: drawn } = n;
    const cx = n.x + n.width / 2;
    const place = "zone" in drawn.place ? ` data-zone="${esc(drawn.place.zone)}" data-tier="${drawn.place.tier}"` : "";
    const band =
        "band" in drawn.place
            ? ` data-band="${drawn.place.band}"`
            : "vpc" in drawn.place
              ? ` data-band="vpc-${drawn.place.vpc}"`
              : "";
    const lines = drawn.detail
        .slice(0, 3)
        .map(
            (line, i) =>
                `<text x="${f(cx)}" y="${f(n.y + 74 + i * 13)}" font-size="10.5" fill="#545B64" text-anchor="middle">${esc(line)}</text>`,
        )
        .join("");
    return (
        `<g class="node" data-id="${esc(drawn.id)}" data-label="${esc(drawn.label)}"${place}${band} data-urns="${esc(drawn.urns.join(" "))}">` +
        `<use href="#icon-${drawn.icon}" x="${f(cx - 22)}" y="${f(n.y + 2)}" width="44" height="44"/>` +
        `<text x="${f(cx)}" y="${f(n.y + 60)}" font-size="12" font-weight="bold" fill="#232F3E" text-anchor="middle">${esc(drawn.label)}</text>` +
        lines +
        "</g>"
    );
}

/** Coordinates with one decimal: enough for a drawing, and stable across runs. */
function f(value: number): string {
    return String(Math.round(value * 10) / 10);
}

function esc(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
