/**
 * Where the signed part of an uploaded file ends (#9 §1): the numbers of its `/ByteRange`s, and
 * what follows them. This is all an upload is read for in the server process; anything more
 * is parsed in a worker (untrusted-pdf.ts).
 */

/** What a file holds after a signed revision it starts with, named for the verifier. */
export interface AddedAfterSigning {
  bytes: number;
  /** Another signature or timestamp, other revisions (changed or added objects), or other bytes. */
  kind: 'signature' | 'revision' | 'bytes';
}

/** More signatures than a certificate ever carries: a file with more is not read further. */
const MAX_BYTE_RANGES = 16;
const BYTE_RANGE = /^\/ByteRange\s*\[\s*(\d{1,10})\s+(\d{1,10})\s+(\d{1,10})\s+(\d{1,10})\s*\]/;

/**
 * The ends of the revisions the file's signatures cover (`c + d` of each `/ByteRange [0 b c d]`
 * that lies inside the file), without the file's own end, shortest first. Whether such a prefix
 * is what was issued is then a matter of its hash alone.
 */
export function signedRevisionEnds(pdf: Buffer): number[] {
  const ends = new Set<number>();
  let at = pdf.indexOf('/ByteRange');
  for (let seen = 0; at >= 0 && seen < MAX_BYTE_RANGES; seen++) {
    const match = BYTE_RANGE.exec(pdf.subarray(at, at + 80).toString('latin1'));
    if (match) {
      const [start, signedHead, tailStart, tailLength] = match.slice(1).map(Number) as [number, number, number, number];
      const end = tailStart + tailLength;
      if (start === 0 && signedHead > 0 && tailStart > signedHead && end < pdf.length) ends.add(end);
    }
    at = pdf.indexOf('/ByteRange', at + 1);
  }
  return [...ends].sort((a, b) => a - b);
}

/** What the bytes after `end` are, so the verdict can say what was added after signing. */
export function addedAfter(pdf: Buffer, end: number): AddedAfterSigning {
  const added = pdf.subarray(end);
  const kind = added.includes('/ByteRange')
    ? 'signature'
    : /\d+\s+\d+\s+obj\b|\bxref\b|\bstartxref\b/.test(added.toString('latin1'))
      ? 'revision'
      : 'bytes';
  return { bytes: added.length, kind };
}
