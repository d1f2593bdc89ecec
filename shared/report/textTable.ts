/** A column of a text table; the lower its `keep`, the sooner it is left out when the terminal is too narrow. */
export interface TextColumn {
  header: string;
  keep?: number;
}

/**
 * Columns padded to their widest cell, two spaces apart. Given a `width` (the terminal's), columns are
 * dropped, least kept first, until the table fits, and the last column is cut with an ellipsis.
 */
export function textTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], width?: number): string[] {
  let shown = columns.map((_, i) => i);
  const widthOf = (i: number) => Math.max(columns[i]!.header.length, ...rows.map((r) => r[i]!.length));
  const total = (indexes: number[]) => indexes.reduce((sum, i) => sum + widthOf(i), 0) + 2 * (indexes.length - 1);
  if (width !== undefined) {
    const droppable = shown.filter((i) => columns[i]!.keep !== undefined).sort((a, b) => columns[a]!.keep! - columns[b]!.keep!);
    while (total(shown) > width && droppable.length > 0) {
      const dropped = droppable.shift()!;
      shown = shown.filter((i) => i !== dropped);
    }
  }
  const widths = shown.map(widthOf);
  const line = (cells: readonly string[]) => {
    const text = shown.map((i, n) => (n === shown.length - 1 ? cells[i]! : cells[i]!.padEnd(widths[n]!))).join('  ');
    return width !== undefined && text.length > width ? `${text.slice(0, Math.max(0, width - 1)).trimEnd()}…` : text;
  };
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}
