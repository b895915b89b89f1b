import { describe, expect, it } from 'vitest';
import { addedAfter, signedRevisionEnds } from './signed-revisions.js';

/** A file of `length` bytes whose signature dictionary claims `range`. */
function fileWith(range: string, length = 400): Buffer {
  const head = Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange ${range} /Contents <00> >>\nendobj\n`);
  return Buffer.concat([head, Buffer.alloc(length - head.length, 0x20)]);
}

describe('#9 C-13 the signed revisions of an upload, read without parsing it', () => {
  it('#9 the end of each /ByteRange [0 b c d] inside the file, shortest first, the file end itself left out', () => {
    expect(signedRevisionEnds(fileWith('[0 10 20 180]'))).toEqual([200]);
    expect(signedRevisionEnds(fileWith('[ 0 10 20 380 ]'))).toEqual([]);
    const two = Buffer.concat([fileWith('[0 10 20 280]', 300), fileWith('[0 10 20 80]', 200)]);
    expect(signedRevisionEnds(two)).toEqual([100, 300]);
  });

  it('#9 ranges that do not start at 0, overlap, run past the file or are not numbers are ignored', () => {
    for (const range of ['[5 10 20 30]', '[0 20 10 30]', '[0 10 20 999]', '[0 0 20 30]', '[0 a 20 30]', '[0 10 20]'])
      expect(signedRevisionEnds(fileWith(range))).toEqual([]);
  });

  it('#9 says what follows the signed revision: another signature, a later revision, or other bytes', () => {
    const signed = fileWith('[0 10 20 180]', 200);
    expect(addedAfter(Buffer.concat([signed, Buffer.from('\n% edited\n')]), 200)).toEqual({ bytes: 10, kind: 'bytes' });
    const revision = Buffer.from('\n9 0 obj\n<< >>\nendobj\nxref\n0 1\ntrailer\n<< >>\nstartxref\n200\n%%EOF\n');
    expect(addedAfter(Buffer.concat([signed, revision]), 200)).toEqual({ bytes: revision.length, kind: 'revision' });
    const timestamp = Buffer.from('\n9 0 obj\n<< /Type /DocTimeStamp /ByteRange [0 1 2 3] >>\nendobj\n');
    expect(addedAfter(Buffer.concat([signed, timestamp]), 200)).toEqual({
      bytes: timestamp.length,
      kind: 'signature',
    });
  });
});
