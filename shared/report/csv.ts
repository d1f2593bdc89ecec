/** The one CSV writer: a header row, RFC 4180 quoting, CRLF line ends (reports, history, verification). */
export function csvDocument(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A signed integer or decimal (`-12`, `+7`, `-3.5`): what a cell may start with + or - and still be
 * data. Nothing else is exempt, not even `-2e3` or `-1 `: a formula can start with a number
 * (`-1+HYPERLINK(...)`), so only a cell that is nothing but a number is left as it is.
 */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/** RFC 4180 quoting; a leading = + - @ (or tab, CR) is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
