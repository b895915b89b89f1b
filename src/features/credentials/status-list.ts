/**
 * The Bitstring Status List (W3C, 2025): one bit per credential, index 0 the most significant bit
 * of the first byte, GZIP-compressed, base64url without padding, with the multibase prefix 'u'.
 * Pure: the list is made from the set indices, and read back from the encoded form.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

/** The Recommendation's minimum: in a list this long one revoked credential hides among many (herd privacy). */
export const STATUS_LIST_LENGTH = 131_072;
/** Beyond this a random free index costs more draws, so the next list is opened. */
export const STATUS_LIST_FILL = STATUS_LIST_LENGTH / 2;
/** A decoded list larger than this is refused, so a hostile list cannot inflate without bound. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

export function encodeStatusList(setIndices: Iterable<number>, length = STATUS_LIST_LENGTH): string {
  const bytes = new Uint8Array(length / 8);
  for (const index of setIndices) {
    if (!Number.isInteger(index) || index < 0 || index >= length) throw new RangeError(`status index ${index}`);
    bytes[index >> 3]! |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** Whether the bit at `index` is set; refuses a list that is not 'u' + base64url(gzip(bits)). */
export function statusBit(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u') || !/^[A-Za-z0-9_-]*$/.test(encodedList.slice(1)))
    throw new Error('the status list is not multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: MAX_DECODED_BYTES });
  if (!Number.isInteger(index) || index < 0 || index >= bytes.length * 8) throw new RangeError(`status index ${index}`);
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
