/**
 * Incremental updates (ISO 32000-2 §7.5.6): new and changed objects appended after a signed
 * file's %%EOF with their own xref section and a trailer pointing back (/Prev), so the bytes an
 * earlier signature covers stay exactly as they were. pdf-lib only reads the file here; it never
 * writes it again.
 */
import { PDFDict, PDFDocument, type PDFObject, PDFRef } from 'pdf-lib';

export class Revision {
  private readonly parts: Array<{ number: number; body: Buffer }> = [];
  private next: number;

  private constructor(
    readonly doc: PDFDocument,
    private readonly original: Buffer,
  ) {
    this.next = doc.context.largestObjectNumber + 1;
  }

  /** Reads the file (not its signatures: those bytes are only copied). */
  static async of(pdf: Buffer): Promise<Revision> {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true });
    return new Revision(doc, pdf);
  }

  /** A number for an object written later with `set`. */
  reserve(): PDFRef {
    return PDFRef.of(this.next++);
  }

  /** Writes `body` (a PDF object's text or bytes) as object `ref`, new or replacing the old one. */
  set(ref: PDFRef, body: string | Buffer | PDFObject): void {
    const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : body.toString();
    this.parts.push({ number: ref.objectNumber, body: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1') });
  }

  add(body: string | Buffer | PDFObject): PDFRef {
    const ref = this.reserve();
    this.set(ref, body);
    return ref;
  }

  /** A new stream object holding `data` as is. */
  addStream(data: Buffer): PDFRef {
    return this.add(
      Buffer.concat([Buffer.from(`<< /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]),
    );
  }

  /** A copy of an indirect dictionary, to be changed and written back with `set`. */
  dict(ref: PDFRef): PDFDict {
    const found = this.doc.context.lookup(ref, PDFDict);
    return found.clone(this.doc.context);
  }

  /** The whole file: the original bytes, then the new objects, xref, trailer. */
  finish(): Buffer {
    const text = this.original.toString('latin1');
    const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-1024));
    if (!startxref) throw new Error('the file has no startxref at its end');
    const chunks: Buffer[] = [this.original, Buffer.from('\n')];
    let offset = this.original.length + 1;
    const offsets = new Map<number, number>();
    for (const { number, body } of this.parts) {
      offsets.set(number, offset);
      const object = Buffer.concat([Buffer.from(`${number} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
      chunks.push(object);
      offset += object.length;
    }
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    let xref = 'xref\n0 1\n0000000000 65535 f \n';
    for (let i = 0; i < numbers.length;) {
      let j = i;
      while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
      xref += `${numbers[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) xref += `${String(offsets.get(numbers[k]!)).padStart(10, '0')} 00000 n \n`;
      i = j + 1;
    }
    const { Root, Info, ID } = this.doc.context.trailerInfo;
    if (!Root) throw new Error('the file’s trailer names no catalog');
    const size = Math.max(this.next, this.doc.context.largestObjectNumber + 1);
    const trailer = [
      `/Size ${size}`,
      `/Root ${Root.toString()}`,
      Info ? `/Info ${Info.toString()}` : '',
      ID ? `/ID ${ID.toString()}` : '',
      `/Prev ${startxref[1]}`,
    ]
      .filter(Boolean)
      .join(' ');
    chunks.push(Buffer.from(`${xref}trailer\n<< ${trailer} >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(chunks);
  }
}
