import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STATUS_LIST_LENGTH, encodeStatusList, statusBit } from './status-list.js';

describe('Bitstring Status List (#9 §5)', () => {
  it('#9 encodes 131,072 bits as multibase base64url of GZIP, index 0 the leftmost bit', () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_LENGTH - 1]);
    expect(encoded[0]).toBe('u');
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes.length * 8).toBe(131_072);
    expect(bytes[0]).toBe(0x80);
    expect(bytes[1]).toBe(0x40);
    expect(bytes[bytes.length - 1]).toBe(0x01);
    expect([0, 1, 8, 9, 10, STATUS_LIST_LENGTH - 1].map((i) => statusBit(encoded, i))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
  });

  it('#9 refuses a list that is not multibase base64url, and an index outside it', () => {
    expect(() => statusBit('zABC', 1)).toThrow();
    expect(() => statusBit(encodeStatusList([]), STATUS_LIST_LENGTH)).toThrow(RangeError);
  });
});
