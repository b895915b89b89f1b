/**
 * Deflating with node's zlib instead of pdf-lib's pako (JavaScript), which does the same several
 * times slower: the font subsets as they are embedded, the page content when drawing is done.
 */
import zlib from 'node:zlib';
import { PDFContentStream, PDFName, PDFRawStream, type PDFDocument } from 'pdf-lib';

/** Makes the document's flate streams (the font subset is the largest) use node's zlib. */
export function deflateWithZlib(doc: PDFDocument): void {
  const { context } = doc;
  context.flateStream = (contents, dict = {}) =>
    context.stream(zlib.deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), {
      ...dict,
      Filter: 'FlateDecode',
    });
}

/**
 * pdf-lib deflates page content with pako when it writes the file; this deflates it with zlib
 * instead. Called once drawing is finished, just before saving.
 */
export function recompressContentStreams(doc: PDFDocument): void {
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFContentStream)) continue;
    const dict = object.dict.clone(doc.context);
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    doc.context.assign(ref, PDFRawStream.of(dict, zlib.deflateSync(object.getUnencodedContents())));
  }
}
