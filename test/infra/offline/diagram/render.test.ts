/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The page functions run in Chromium: they use the DOM's types.
import * as assert from "assert";
import { chromium, Browser } from "playwright-core";
import { drawDiagram } from "../../../../infra/offline/diagram";
import { planOf, STACKS } from "../../harness";

/** Debian's Chromium, which test/with-services.sh installs when missing and exports. */
function chromiumPath(): string {
    const path = process.env.TEST_CHROMIUM;
    if (!path)
        throw new Error(
            "TEST_CHROMIUM is not set: run the tests through test/with-services.sh (npm test), which provides Chromium",
        );
    return path;
}

describe("the architecture diagrams in a real browser (headless Chromium)", () => {
    let browser: Browser;
    before(async () => {
        browser = await chromium.launch({
            executablePath: chromiumPath(),
            headless: true,
            args: [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        });
    });
    after(async () => browser?.close());

    for (const stack of STACKS)
        it(`renders the ${stack} stack's SVG to a PNG that is not blank, every node drawn`, async () => {
            const svg = await drawDiagram(await planOf(stack));
            const [width, height] = [/ width="(\d+)"/, / height="(\d+)"/].map((re) => Number(re.exec(svg)?.[1]));
            const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 0.5 });
            try {
                await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
                const nodes = await page.evaluate(() =>
                    [...document.querySelectorAll<SVGGElement>("g.node")].map((g) => {
                        const { width, height } = g.getBBox();
                        return { id: g.dataset.id, box: { width, height } };
                    }),
                );
                assert.ok(nodes.length > 30);
                for (const { id, box } of nodes)
                    assert.ok(box.width > 40 && box.height > 40, `${id} is not drawn (${box.width}×${box.height})`);

                const png = await page.screenshot({ type: "png" });
                assert.strictEqual(png.subarray(1, 4).toString("ascii"), "PNG");
                assert.deepStrictEqual(
                    [png.readUInt32BE(16), png.readUInt32BE(20)],
                    [Math.round(width / 2), Math.round(height / 2)],
                );
                // Chromium decodes the PNG again and counts what is on it.
                const pixels = await page.evaluate(async (data) => {
                    const image = new Image();
                    image.src = `data:image/png;base64,${data}`;
                    await image.decode();
                    const canvas = document.createElement("canvas");
                    [canvas.width, canvas.height] = [image.width, image.height];
                    const context = canvas.getContext("2d") as CanvasRenderingContext2D;
                    context.drawImage(image, 0, 0);
                    const { data: rgba } = context.getImageData(0, 0, image.width, image.height);
                    let ink = 0;
                    const colours = new Set<number>();
                    for (let i = 0; i < rgba.length; i += 4) {
                        if (rgba[i] < 240 || rgba[i + 1] < 240 || rgba[i + 2] < 240) ink++;
                        colours.add(((rgba[i] >> 4) << 8) | ((rgba[i + 1] >> 4) << 4) | (rgba[i + 2] >> 4));
                    }
                    return { ink: ink / (rgba.length / 4), colours: colours.size };
                }, png.toString("base64"));
                assert.ok(pixels.ink > 0.03, `only ${(pixels.ink * 100).toFixed(1)} % of the PNG is drawn on`);
                assert.ok(pixels.colours > 50, `only ${pixels.colours} colours: the icons are missing`);
            } finally {
                await page.close();
            }
        });
});
