import { describe, expect, it } from 'vitest';
import { reservationNumberCandidate } from './ordering.service.js';

describe('#8 reservation numbers', () => {
  it('#8 are 12 digits whose first digit is 1–9 with equal chance (1 was twice as likely)', () => {
    const counts = new Map<string, number>();
    const samples = 18_000;
    for (let i = 0; i < samples; i++) {
      const number = reservationNumberCandidate();
      expect(number).toMatch(/^[1-9]\d{11}$/);
      counts.set(number[0]!, (counts.get(number[0]!) ?? 0) + 1);
    }
    // 2,000 expected per digit, standard deviation about 42: ±400 is far outside chance.
    for (const digit of '123456789') expect(Math.abs((counts.get(digit) ?? 0) - samples / 9)).toBeLessThan(400);
  });
});
