import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format.js';

describe('formatDateTime (#13)', () => {
  // 2026-12-06T15:21Z is 00:21 on 7 December in Japan: the hour is 00, never 24.
  const justAfterMidnightJst = Date.UTC(2026, 11, 6, 15, 21);

  it('#13 shows 00:xx JST in English as 00:21, not 24:21', () => {
    expect(formatDateTime(justAfterMidnightJst, 'en')).toBe('Dec 7, 2026, 00:21 (JST)');
  });

  it('#13 shows 00:xx JST in Japanese as 00:21', () => {
    expect(formatDateTime(justAfterMidnightJst, 'ja')).toBe('2026/12/07 00:21（日本時間）');
  });

  it('#13 keeps 23:59 and 12:00 as they are', () => {
    expect(formatDateTime(Date.UTC(2026, 11, 7, 14, 59), 'en')).toBe('Dec 7, 2026, 23:59 (JST)');
    expect(formatDateTime(Date.UTC(2026, 11, 7, 3, 0), 'en')).toBe('Dec 7, 2026, 12:00 (JST)');
  });
});
