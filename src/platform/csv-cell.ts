/**
 * Cells a spreadsheet would run as a formula: =, +, -, @, and the tab, CR and NUL some readers
 * skip first (ASVS 5.0 V1.2.10).
 */
const FORMULA_START = /^[=+\-@\t\r\u0000]/;

/**
 * One cell of a CSV file Shomei writes (OWASP "CSV injection"): a value that a spreadsheet would
 * take for a formula gets a leading apostrophe, so it is shown as text; then it is quoted when it
 * holds a quote, a comma or a line break.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV line of cells, ended with CRLF (RFC 4180). */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
