/**
 * The one CSV writer (RFC 4180): fields with a comma, a quote, CR or LF are quoted, quotes are
 * doubled, and every record ends in CRLF. Pure, so the core (impact exports, table reads) and a
 * UI can share it. A cell that is not a string is written as its text: null and undefined as an
 * empty field, arrays and objects as JSON.
 */
export const CSV_LINE_END = '\r\n';

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, line end included. */
export function csvRecord(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + CSV_LINE_END;
}

/** A whole document: a header record, then one record per row. */
export function csvDocument(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return csvRecord(header) + rows.map(csvRecord).join('');
}
