import { describe, expect, it } from 'vitest';
import { complianceChart, niceCeiling } from '../../../shared/dashboard/complianceChart.js';

const sample = (iso: string, violation: number, warning: number, compliant: number) => ({ at: new Date(iso), counts: { violation, warning, compliant, unknown: 0 } });

describe('complianceChart', () => {
  const samples = [sample('2026-06-01T00:00:00Z', 1, 2, 7), sample('2026-06-02T00:00:00Z', 3, 2, 5), sample('2026-06-03T00:00:00Z', 4, 1, 5)];
  const text = complianceChart(samples).text;

  it('draws one stacked band per status in an SVG image with a title and a description', () => {
    expect(text).toMatch(/<svg class="chart"[^>]*role="img" aria-labelledby="chart-title chart-desc"/);
    expect(text.match(/<path d="M/g)).toHaveLength(4);
    expect(text).toContain('<desc id="chart-desc">From 2026-06-01 to 2026-06-03: violation 1 to 4, warning 2 to 1, unknown 0 to 0, compliant 7 to 5.</desc>');
  });

  it('names each status with its latest count in the legend and gives the numbers as a table', () => {
    expect(text).toContain('Violation: <strong>4</strong> now');
    expect(text).toContain('<caption>Clusters by status at each recorded moment</caption>');
    expect(text.match(/<tr><th scope="row">/g)).toHaveLength(3);
  });

  it('says so when there is no history yet', () => {
    expect(complianceChart([]).text).toMatch(/No history recorded yet/);
  });

  it.each([[1, 2], [3, 4], [7, 8], [10, 10], [11, 20], [41, 60], [950, 1000]])('rounds an axis of %i up to %i', (max, top) => {
    expect(niceCeiling(max)).toBe(top);
  });
});
