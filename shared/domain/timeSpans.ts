/** A stretch of time, `start` included and `end` excluded, in milliseconds since the epoch. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The spans joined where they overlap or touch (one ending at 02:00, the next starting at 02:00), in
 * order of start: time covered without a gap is one window, whichever occurrences or slots made it.
 */
export function joinSpans(spans: readonly Span[]): Span[] {
  const joined: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = joined.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else joined.push({ ...span });
  }
  return joined;
}

/** The parts of `spans` that no span of `removed` covers. */
export function withoutSpans(spans: readonly Span[], removed: readonly Span[]): Span[] {
  return removed.reduce<Span[]>(
    (kept, cut) =>
      kept.flatMap((span) => [
        { start: span.start, end: Math.min(span.end, cut.start) },
        { start: Math.max(span.start, cut.end), end: span.end },
      ].filter((part) => part.start < part.end)),
    [...spans],
  );
}
