import type { ClusterStatus } from '../domain/verdict.js';
import { DAY_MS } from '../domain/time.js';
import type { StatusSample } from '../audit/fleetTimeline.js';
import { STATUS_LABEL, timeOf } from './components.js';
import { html, type SafeHtml } from './html.js';

/** Bottom to top: the healthy part of the fleet at the base, violations on top where the eye lands. */
const STACK: readonly ClusterStatus[] = ['compliant', 'unknown', 'warning', 'violation'];
const FILL: Record<ClusterStatus, string> = { compliant: '#2f8a4a', unknown: '#8d99a6', warning: '#e0a100', violation: '#c0262d' };

const WIDTH = 960;
const HEIGHT = 260;
const PLOT = { left: 44, right: WIDTH - 16, top: 14, bottom: HEIGHT - 34 };

/**
 * Counts by status over time as an inline SVG stacked area chart. The fleet keeps a recorded state
 * until the next record, so the areas are steps, not slopes. The SVG is an image with a title and a
 * description; the legend names every status in text with its latest count, and the same numbers
 * are in a table below for anyone who cannot see the chart.
 */
export function complianceChart(samples: readonly StatusSample[]): SafeHtml {
  if (samples.length === 0) {
    return html`<p>No history recorded yet: the chart appears after the first scan.</p>`;
  }
  const first = samples[0]!.at.getTime();
  const last = samples.at(-1)!.at.getTime();
  const span = Math.max(last - first, 1);
  // The last record's state holds until now, so it gets a stretch of its own at the right edge.
  const tail = samples.length === 1 ? 0 : 0.06 * (PLOT.right - PLOT.left);
  const x = (t: number) => (samples.length === 1 ? PLOT.left : PLOT.left + ((t - first) / span) * (PLOT.right - tail - PLOT.left));
  const totals = samples.map((s) => STACK.reduce((sum, status) => sum + s.counts[status], 0));
  const top = niceCeiling(Math.max(1, ...totals));
  const y = (count: number) => PLOT.bottom - (count / top) * (PLOT.bottom - PLOT.top);

  // Step outline of a cumulative series: each value holds until the next sample, the last one to the right edge.
  const stepPoints = (values: number[]) => {
    const points: [number, number][] = [];
    values.forEach((value, i) => {
      const from = x(samples[i]!.at.getTime());
      const to = i + 1 < values.length ? x(samples[i + 1]!.at.getTime()) : PLOT.right;
      points.push([from, y(value)], [to, y(value)]);
    });
    return points;
  };
  let below = samples.map(() => 0);
  const bands = STACK.map((status) => {
    const above = below.map((base, i) => base + samples[i]!.counts[status]);
    const upper = stepPoints(above);
    const lower = stepPoints(below).reverse();
    below = above;
    const d = [...upper, ...lower].map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ') + ' Z';
    return html`<path d="${d}" fill="${FILL[status]}" stroke="#ffffff" stroke-width="0.75"><title>${STATUS_LABEL[status]}</title></path>`;
  });

  const ticks = [0, top / 2, top].map((value) => html`<g><line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(value)}" y2="${y(value)}" stroke="#d5dbe1"></line><text x="${PLOT.left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text></g>`);
  const latest = samples.at(-1)!;
  const labels = [samples[0]!.at, ...(samples.length > 2 ? [new Date((first + last) / 2)] : []), latest.at].map((at, i, all) => {
    const anchor = i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle';
    const px = samples.length === 1 ? (i === 0 ? PLOT.left : PLOT.right) : x(at.getTime());
    return html`<text x="${px}" y="${PLOT.bottom + 20}" text-anchor="${anchor}">${axisLabel(at, span)}</text>`;
  });
  const description = `From ${axisLabel(samples[0]!.at, span)} to ${axisLabel(latest.at, span)}: ` +
    STACK.slice().reverse().map((s) => `${STATUS_LABEL[s].toLowerCase()} ${samples[0]!.counts[s]} to ${latest.counts[s]}`).join(', ') + '.';

  return html`<figure>
<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-size="12" fill="#1b1f24">
<title id="chart-title">Clusters by status over time</title>
<desc id="chart-desc">${description}</desc>
${ticks}
${bands}
<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#4a5560"></line>
${labels}
</svg>
<figcaption>
<ul class="legend">${STACK.slice().reverse().map((status) => html`<li><span class="swatch" style="${`background:${FILL[status]}`}"></span>${STATUS_LABEL[status]}: <strong>${latest.counts[status]}</strong> now</li>`)}</ul>
</figcaption>
</figure>
<details>
<summary>The chart's numbers as a table</summary>
<div class="table-wrap"><table>
<caption>Clusters by status at each recorded moment</caption>
<thead><tr><th scope="col">Recorded at</th>${STACK.slice().reverse().map((s) => html`<th scope="col" class="num">${STATUS_LABEL[s]}</th>`)}<th scope="col" class="num">Total</th></tr></thead>
<tbody>${samples.map((sample, i) => html`<tr><th scope="row">${timeOf(sample.at)}</th>${STACK.slice().reverse().map((s) => html`<td class="num">${sample.counts[s]}</td>`)}<td class="num">${totals[i]}</td></tr>`)}</tbody>
</table></div>
</details>`;
}

/** A round, even number at or above the maximum, so the axis reads 0, half and top in whole clusters. */
export function niceCeiling(max: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, max)));
  const step = [1, 2, 4, 6, 8, 10].find((s) => s * magnitude >= max) ?? 10;
  return Math.max(2, step * magnitude);
}

function axisLabel(at: Date, span: number): string {
  const iso = at.toISOString();
  return span < 2 * DAY_MS ? `${iso.slice(5, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}
