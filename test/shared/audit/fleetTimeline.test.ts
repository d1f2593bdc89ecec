import { describe, expect, it } from 'vitest';
import { sampleInstants, statusSamples, type StatusEvent } from '../../../shared/audit/fleetTimeline.js';

const at = (day: number) => new Date(Date.UTC(2026, 5, day));
const event = (day: number, status: StatusEvent['status']): StatusEvent => ({ at: at(day), status });

describe('fleet status over time', () => {
  it('counts each cluster in its last status at each instant, and a deleted cluster not at all', () => {
    const clusters = [[event(1, 'compliant'), event(3, 'violation')], [event(2, 'warning'), event(4, 'deleted')]];
    const samples = statusSamples(clusters, sampleInstants(clusters.flat(), at(5), 60));
    expect(samples.map((s) => [s.at.getUTCDate(), s.counts.compliant, s.counts.warning, s.counts.violation])).toEqual([
      [1, 1, 0, 0], [2, 1, 1, 0], [3, 0, 1, 1], [4, 0, 0, 1], [5, 0, 0, 1],
    ]);
  });

  it('spreads at most the given number of instants from the first record to the present', () => {
    const events = Array.from({ length: 20 }, (_, i) => event(i + 1, 'compliant'));
    const instants = sampleInstants(events, at(25), 5);
    expect(instants.map((d) => d.getUTCDate())).toEqual([1, 7, 13, 19, 25]);
  });
});
