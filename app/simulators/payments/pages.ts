// The few HTML pages a customer sees at the simulated providers: plain, escaped, no scripts, so a
// real browser (the local shop's end-to-end tests) can click through them.
import { escapeHtml, money } from "../../functions/notifier/templates";

export { escapeHtml, money };

export function page(title: string, body: string): string {
    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
form{display:inline}button{font-size:1rem;padding:.5rem 1.2rem;margin:.3rem}.amount{font-size:1.6rem;font-weight:600}</style>
</head>
<body>
<p><small>Payment simulator: no money moves.</small></p>
${body}
</body>
</html>`;
}

/** A button that posts to `action`. */
export function button(action: string, label: string, id: string): string {
    return `<form method="post" action="${escapeHtml(action)}"><button type="submit" id="${escapeHtml(id)}">${escapeHtml(label)}</button></form>`;
}
