import { html, trustedHtml, type HtmlValue, type SafeHtml } from './html.js';

/**
 * The page shell: one HTML document with its stylesheet inline (no build step, no requests for
 * assets, no JavaScript). Colours meet WCAG AA contrast against their backgrounds, and status is
 * always written out, never shown by colour alone.
 */
const STYLESHEET = trustedHtml(`
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5560; --line: #d5dbe1; --paper: #ffffff; --wash: #f4f6f8; --link: #0b57a8;
  --violation: #a4161a; --violation-bg: #fde8e8; --warning: #7a4b00; --warning-bg: #fff2cc;
  --unknown: #3d4852; --unknown-bg: #e9edf1; --compliant: #1e6a32; --compliant-bg: #e3f4e6; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; color: var(--ink); background: var(--wash); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
header.site { background: #12263a; color: #fff; padding: 0.9rem 1.5rem; display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; align-items: baseline; }
header.site a { color: #fff; }
header.site .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; }
main { max-width: 1440px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.25rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
.lede { color: var(--muted); margin: 0 0 1.25rem; }
section.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1.25rem; }
.cards { list-style: none; display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 0.75rem; margin: 0; padding: 0; }
.cards a, .cards div { display: block; text-decoration: none; border-radius: 8px; padding: 0.75rem 1rem; border: 1px solid var(--line); color: inherit; }
.cards .count { display: block; font-size: 2rem; font-weight: 700; line-height: 1.1; }
.cards .label { font-weight: 600; }
.card-violation { background: var(--violation-bg); color: var(--violation) !important; }
.card-warning { background: var(--warning-bg); color: var(--warning) !important; }
.card-unknown { background: var(--unknown-bg); color: var(--unknown) !important; }
.card-compliant { background: var(--compliant-bg); color: var(--compliant) !important; }
.card-total { background: var(--paper); }
.status { display: inline-block; font-weight: 600; font-size: 0.85rem; padding: 0.05rem 0.5rem; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; }
.status-violation { color: var(--violation); background: var(--violation-bg); }
.status-warning { color: var(--warning); background: var(--warning-bg); }
.status-unknown { color: var(--unknown); background: var(--unknown-bg); }
.status-compliant { color: var(--compliant); background: var(--compliant-bg); }
.status-deleted { color: var(--muted); background: var(--wash); }
.status-problem { color: var(--violation); background: var(--violation-bg); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 0.5rem; color: var(--muted); }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--wash); font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.clusters th[scope=row] a, table.clusters time { white-space: nowrap; }
table.clusters td.finding { min-width: 16rem; max-width: 30rem; }
table.clusters td.reasons .sub { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.78rem; }
.sub { display: block; color: var(--muted); font-size: 0.82rem; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.82rem; overflow-wrap: break-word; }
.long { word-break: break-all; }
.expired { color: var(--violation); font-weight: 600; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
form.filters label { display: block; font-weight: 600; font-size: 0.85rem; margin-bottom: 0.2rem; }
select, input[type=search] { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a96a3; border-radius: 6px; background: #fff; color: var(--ink); min-width: 11rem; }
button { font: inherit; font-weight: 600; padding: 0.4rem 1rem; border-radius: 6px; border: 1px solid #0b4a8f; background: #0b57a8; color: #fff; cursor: pointer; }
nav.pages { display: flex; gap: 1rem; align-items: center; margin-top: 0.75rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.25rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
figure { margin: 0; }
svg.chart { width: 100%; height: auto; max-height: 320px; display: block; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; padding: 0; margin: 0.5rem 0 0; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 3px; vertical-align: -0.1rem; margin-right: 0.35rem; border: 1px solid rgba(0,0,0,0.35); }
details { margin-top: 0.75rem; }
summary { cursor: pointer; color: var(--link); }
.notice { border-left: 4px solid var(--violation); background: var(--violation-bg); padding: 0.5rem 0.75rem; }
.ok { border-left: 4px solid var(--compliant); background: var(--compliant-bg); padding: 0.5rem 0.75rem; }
@media print { header.site nav, form.filters, nav.pages { display: none; } body { background: #fff; } }
`);

export interface PageParts {
  title: string;
  /** Site-wide navigation (links to the fleet page and the exports); omitted in standalone reports. */
  nav?: SafeHtml;
  body: HtmlValue;
}

export function page(parts: PageParts): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} · AKS certificate compliance</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header class="site"><span class="brand">AKS certificate compliance</span>${parts.nav ?? ''}</header>
<main id="main">
${parts.body}
</main>
</body>
</html>`.text}\n`;
}
