import { describe, expect, it } from 'vitest';
import { placedRangeOf, receiptNumberOf, refundNoteOf, trackingNumberOf } from './order-console.rules.js';

describe('#12 A-5 C-4 the registrar order forms', () => {
  it('#12 A-5 a Japan Post tracking number has 11 to 13 digits, hyphens and full-width digits allowed', () => {
    expect(trackingNumberOf('1234-5678-9012')).toEqual({ value: '1234-5678-9012' });
    expect(trackingNumberOf(' １２３４５６７８９０１ ')).toEqual({ value: '12345678901' });
    expect(trackingNumberOf('1234567890123')).toEqual({ value: '1234567890123' });
    expect(trackingNumberOf('1234－5678－9012')).toEqual({ value: '1234-5678-9012' });
    for (const bad of ['1234567890', '12345678901234', 'AB123456789JP', '1234--5678-9012', '-12345678901'])
      expect(trackingNumberOf(bad)).toEqual({ violation: { code: 'orders.tracking.invalid', path: 'tracking' } });
    expect(trackingNumberOf('  ')).toEqual({ violation: { code: 'orders.tracking.required', path: 'tracking' } });
  });

  it('#12 C-4 a receipt number is required and short; a refund note is required', () => {
    expect(receiptNumberOf(' r-2026-0042 ')).toEqual({ value: 'R-2026-0042' });
    expect(receiptNumberOf('')).toEqual({ violation: { code: 'orders.receipt.required', path: 'receipt' } });
    expect(receiptNumberOf('<script>')).toEqual({ violation: { code: 'orders.receipt.invalid', path: 'receipt' } });
    expect(receiptNumberOf('1'.repeat(41))).toEqual({ violation: { code: 'orders.receipt.invalid', path: 'receipt' } });
    expect(refundNoteOf('  Refunded\n in cash ')).toEqual({ value: 'Refunded in cash' });
    expect(refundNoteOf(' ')).toEqual({ violation: { code: 'orders.refundNote.required', path: 'refundNote' } });
  });

  it('#12 A-5 a date range is Japan calendar days, the end day included', () => {
    expect(placedRangeOf('2026-11-22', '2026-11-22')).toEqual({
      placedFrom: Date.UTC(2026, 10, 21, 15),
      placedBefore: Date.UTC(2026, 10, 22, 15),
      violations: [],
    });
    expect(placedRangeOf('', '')).toEqual({ violations: [] });
    expect(placedRangeOf('2026-02-30', 'x').violations.map((v) => v.path)).toEqual(['from', 'to']);
    expect(placedRangeOf('2026-11-23', '2026-11-22').violations).toEqual([
      { code: 'orders.search.rangeReversed', path: 'to' },
    ]);
  });
});
