/**
 * Reading a registrar's CSV file, whichever it is: the bytes decoded, the rows with their line
 * numbers, the header checked, each field read and checked with every problem collected.
 */
import { type CsvError, parse } from 'csv-parse/sync';
import type { Lang } from '../../platform/i18n.js';
import { INVISIBLE_CONTROL, codePointName } from '../../platform/terminal-text.js';
import { isIsoDate } from './record.model.js';
import type { ImportFile, ImportIssue, ImportIssueCode } from './records-csv.model.js';

const MAX_TEXT = 200;

interface Row {
  line: number;
  values: string[];
}

/** Text of an uploaded file: UTF-8 (a BOM is dropped), every line ending turned into \n. */
function decode(file: ImportFile, input: string | Uint8Array, errors: ImportIssue[]): string | undefined {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const lossy = new TextDecoder('utf-8').decode(input);
      const before = lossy.slice(0, lossy.indexOf('\uFFFD'));
      errors.push({
        file,
        line: before.split(/\r\n|\r|\n/).length,
        code: 'encoding',
        reason: 'the file is not UTF-8 text (Shift_JIS?): save it as "CSV UTF-8"',
      });
      return undefined;
    }
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** The line a csv-parse error happened on (its context carries `lines`). */
function lineOf(error: unknown, fallback: number): number {
  const lines = (error as CsvError | undefined)?.lines;
  return typeof lines === 'number' && lines > 0 ? lines : fallback;
}

/** Records of the file with the line each starts on; syntax errors become issues. */
function readRows(file: ImportFile, text: string, errors: ImportIssue[]): Row[] {
  const skipped = new Set<number>();
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        const line = lineOf(error, 0);
        if (skipped.has(line)) return;
        skipped.add(line);
        errors.push({ file, line, code: 'csv_syntax', reason: error?.message ?? 'unreadable CSV' });
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    errors.push({
      file,
      line: lineOf(error, 1),
      code: 'csv_syntax',
      reason: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
  return records
    .map(({ record, info }) => {
      const inner = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
      return { line: info.lines - inner, values: record.map((value) => value.trim()) };
    })
    .filter((row) => row.values.some((value) => value !== ''));
}

interface Table {
  rows: Row[];
  /** Header name → index. */
  columns: Map<string, number>;
}

export function readTable(
  file: ImportFile,
  input: string | Uint8Array,
  required: readonly string[],
  optional: readonly string[],
  errors: ImportIssue[],
): Table | undefined {
  const text = decode(file, input, errors);
  if (text === undefined) return undefined;
  const [header, ...rows] = readRows(file, text, errors);
  if (!header) {
    errors.push({ file, line: 1, code: 'empty_file', reason: 'the file has no header row' });
    return undefined;
  }
  const columns = new Map<string, number>();
  header.values.forEach((raw, index) => {
    const name = raw.toLowerCase();
    if (columns.has(name)) {
      errors.push({
        file,
        line: header.line,
        column: raw,
        code: 'duplicate_column',
        reason: `column ${raw} appears twice`,
      });
    } else if (!required.includes(name) && !optional.includes(name)) {
      errors.push({
        file,
        line: header.line,
        column: raw,
        code: 'unknown_column',
        reason: `unknown column ${raw || '(empty)'}`,
      });
    } else {
      columns.set(name, index);
    }
  });
  for (const name of required) {
    if (!columns.has(name))
      errors.push({
        file,
        line: header.line,
        column: name,
        code: 'missing_column',
        reason: `column ${name} is missing`,
      });
  }
  const width = header.values.length;
  const good: Row[] = [];
  // Every value is checked before anything reads it (#8): PostgreSQL refuses NUL, and an escape
  // or a bidi override would reach names on certificates and the operator's terminal.
  const controlIssues = (row: Row): ImportIssue[] =>
    row.values.flatMap((value, index) => {
      const found = INVISIBLE_CONTROL.exec(value);
      if (!found) return [];
      const column = header.values[index] || `column ${index + 1}`;
      return [
        {
          file,
          line: row.line,
          column,
          code: 'control_character' as const,
          reason: `${column} contains the control character ${codePointName(found[0])}: remove it`,
          params: { character: codePointName(found[0]) },
        },
      ];
    });
  errors.push(...controlIssues(header));
  for (const row of rows) {
    const controls = controlIssues(row);
    if (row.values.length !== width) {
      errors.push({
        file,
        line: row.line,
        code: 'column_count',
        reason: `${row.values.length} fields where the header has ${width} (a comma inside a value needs "quotes")`,
        params: { count: row.values.length, width },
      });
    } else if (controls.length > 0) {
      errors.push(...controls);
    } else {
      good.push(row);
    }
  }
  return { rows: good, columns };
}

/** Reads and checks one row's fields; collects every problem, not just the first. */
export class RowReader {
  readonly issues: ImportIssue[] = [];
  constructor(
    private readonly file: ImportFile,
    private readonly row: Row,
    private readonly columns: Map<string, number>,
  ) {}

  has(column: string): boolean {
    return this.columns.has(column);
  }

  private fail(
    column: string,
    code: ImportIssueCode,
    reason: string,
    params: Record<string, string | number> = {},
  ): undefined {
    this.issues.push({ file: this.file, line: this.row.line, column, code, reason, params });
    return undefined;
  }

  /** The value, or undefined (with an issue) when empty or too long; a missing column is the header's issue. */
  text(column: string, max = MAX_TEXT): string | undefined {
    const index = this.columns.get(column);
    if (index === undefined) return undefined;
    const value = this.row.values[index] ?? '';
    if (value === '') return this.fail(column, 'required', `${column} is required`);
    if (value.length > max) return this.fail(column, 'too_long', `${column} is longer than ${max} characters`, { max });
    return value;
  }

  matching(
    column: string,
    pattern: RegExp,
    reason: string,
    code: ImportIssueCode = 'invalid_value',
  ): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    return pattern.test(value) ? value : this.fail(column, code, `${column} ${reason}: ${value}`, { value });
  }

  date(column: string): string | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    return isIsoDate(value)
      ? value
      : this.fail(column, 'invalid_date', `${column} is not a valid date YYYY-MM-DD: ${value}`, { value });
  }

  integer(column: string, min: number, max: number): number | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value))
      return this.fail(column, 'invalid_value', `${column} must be a whole number: ${value}`, { value });
    const number = Number(value);
    if (number < min || number > max)
      return this.fail(column, 'out_of_range', `${column} must be ${min} to ${max}: ${value}`, { value, min, max });
    return number;
  }

  oneOf<T extends string>(
    column: string,
    allowed: readonly T[],
    aliases: Record<string, T>,
    transform = (v: string) => v,
  ): T | undefined {
    const value = this.text(column);
    if (value === undefined) return undefined;
    const key = transform(value);
    if ((allowed as readonly string[]).includes(key)) return key as T;
    const alias = aliases[value];
    if (alias) return alias;
    return this.fail(column, 'invalid_value', `${column} must be one of ${allowed.join(', ')}: ${value}`, { value });
  }

  gpaHundredths(): number | undefined {
    if (this.has('gpa_hundredths')) return this.integer('gpa_hundredths', 0, 400);
    const value = this.text('gpa');
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d{1,2})?$/.test(value))
      return this.fail('gpa', 'invalid_value', `gpa must be a number like 3.25: ${value}`, { value });
    const hundredths = Math.round(Number(value) * 100);
    if (hundredths > 400)
      return this.fail('gpa', 'out_of_range', `gpa must be 0.00 to 4.00: ${value}`, {
        value,
        min: '0.00',
        max: '4.00',
      });
    return hundredths;
  }

  check(
    condition: boolean,
    column: string,
    code: ImportIssueCode,
    reason: string,
    params: Record<string, string | number> = {},
  ): void {
    if (!condition) this.fail(column, code, reason, params);
  }
}

export function localized(ja: string | undefined, en: string | undefined): Record<Lang, string> | undefined {
  return ja !== undefined && en !== undefined ? { ja, en } : undefined;
}

/** Duplicate keys within a file: every later occurrence is an issue naming the first line. */
export function noteDuplicate(
  seen: Map<string, number>,
  key: string,
  line: number,
  onDuplicate: (firstLine: number) => void,
): void {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, line);
  else onDuplicate(first);
}
