import { describe, expect, it } from 'vitest';
import { negotiatedContentType } from '../../../../shared/handlers/api/metricsHandler.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const OPEN_METRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

describe('the metrics format a scraper gets', () => {
  it.each([
    [null, TEXT],
    ['', TEXT],
    ['*/*', TEXT],
    ['text/plain;version=0.0.4', TEXT],
    ['application/openmetrics-text', OPEN_METRICS],
    ['Application/OpenMetrics-Text; Version=1.0.0', OPEN_METRICS],
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', OPEN_METRICS],
    ['application/openmetrics-text;version=0.0.1', TEXT],
    ['application/openmetrics-text;q=0', TEXT],
    ['application/openmetrics-text;q=0.4,text/plain;q=0.5', TEXT],
    ['text/plain;q=0.5,application/openmetrics-text;q=0.5', OPEN_METRICS],
    ['application/openmetrics-text;q=zero', TEXT],
  ])('Accept %j gives %s', (accept, expected) => {
    expect(negotiatedContentType(accept)).toBe(expected);
  });
});
