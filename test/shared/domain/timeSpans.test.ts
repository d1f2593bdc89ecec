import { describe, expect, it } from 'vitest';
import { joinSpans, withoutSpans } from '../../../shared/domain/timeSpans.js';

describe('joinSpans', () => {
  it('orders the spans by start and joins those that overlap or touch', () => {
    expect(joinSpans([{ start: 50, end: 60 }, { start: 10, end: 20 }, { start: 20, end: 30 }, { start: 25, end: 28 }, { start: 40, end: 45 }, { start: 44, end: 52 }]))
      .toStrictEqual([{ start: 10, end: 30 }, { start: 40, end: 60 }]);
  });

  it('keeps apart spans with a gap between them, and leaves its input as it was', () => {
    const spans = [{ start: 30, end: 40 }, { start: 10, end: 20 }];
    expect(joinSpans(spans)).toStrictEqual([{ start: 10, end: 20 }, { start: 30, end: 40 }]);
    expect(spans).toStrictEqual([{ start: 30, end: 40 }, { start: 10, end: 20 }]);
    expect(joinSpans([])).toStrictEqual([]);
  });
});

describe('withoutSpans', () => {
  it('cuts out the middle, the start or the end of a span, and removes a span covered whole', () => {
    expect(withoutSpans([{ start: 10, end: 50 }], [{ start: 20, end: 30 }])).toStrictEqual([{ start: 10, end: 20 }, { start: 30, end: 50 }]);
    expect(withoutSpans([{ start: 10, end: 50 }], [{ start: 0, end: 20 }])).toStrictEqual([{ start: 20, end: 50 }]);
    expect(withoutSpans([{ start: 10, end: 50 }], [{ start: 40, end: 60 }])).toStrictEqual([{ start: 10, end: 40 }]);
    expect(withoutSpans([{ start: 10, end: 50 }], [{ start: 10, end: 50 }])).toStrictEqual([]);
  });

  it('leaves spans that a cut does not reach, including one that only touches it', () => {
    expect(withoutSpans([{ start: 10, end: 20 }, { start: 30, end: 40 }], [{ start: 20, end: 30 }])).toStrictEqual([{ start: 10, end: 20 }, { start: 30, end: 40 }]);
    expect(withoutSpans([{ start: 10, end: 20 }], [])).toStrictEqual([{ start: 10, end: 20 }]);
  });

  it('applies every cut', () => {
    expect(withoutSpans([{ start: 0, end: 100 }], [{ start: 10, end: 20 }, { start: 50, end: 60 }])).toStrictEqual([{ start: 0, end: 10 }, { start: 20, end: 50 }, { start: 60, end: 100 }]);
  });
});
