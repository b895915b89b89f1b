/**
 * Cells a spreadsheet would run as a formula: =, +, -, @, and the tab, CR, LF and NUL some readers
 * skip first (ASVS 5.0 V1.2.10); and their full-width forms, which Japanese spreadsheets may read
 * as the ASCII signs.
 */
const FORMULA_START = /^[=+\-@\t\r\n\u0000＝＋－＠]/;

/** A value a spreadsheet would take for a formula, with a leading apostrophe so it shows as text. */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * One cell of a CSV file Shomei writes (OWASP "CSV injection"): a value that a spreadsheet would
 * take for a formula gets a leading apostrophe, so it is shown as text; then it is quoted when it
 * holds a quote, a comma or a line break.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : formulaSafe(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV line of cells, ended with CRLF (RFC 4180). */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
