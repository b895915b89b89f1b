import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-cell.js';

describe('#8 CSV cells written for staff', () => {
  it.each([
    '=1+1',
    '+81 3',
    '-2+3',
    '@SUM(A1)',
    '\t=cmd',
    '\r=cmd',
    '\u0000=cmd',
    '=HYPERLINK("http://x","y")',
    '\n=cmd',
    '＝1+1',
    '＋1',
    '－1',
    '＠x',
  ])('#8 %j cannot run as a formula', (value) => {
    const cell = csvCell(value);
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('#8 ordinary text, numbers and empty values stay as they are; quotes, commas and lines are quoted', () => {
    expect(csvCell('山田 太郎')).toBe('山田 太郎');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvLine(['=x', 'y'])).toBe("'=x,y\r\n");
  });
});
