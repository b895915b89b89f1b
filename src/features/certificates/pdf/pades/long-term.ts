/**
 * PAdES B-LT and B-LTA (#9 §3, C-12, ETSI EN 319 142-1 §5.4–5.5), each an incremental update of
 * the signed file: a Document Security Store with the certificates and revocation data a
 * verifier needs once the signer's certificate has expired (B-LT), then a document timestamp
 * over the whole file including that store (B-LTA), which a later archive timestamp can renew.
 */
import crypto from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { Revision } from './incremental.js';
import type { ValidationData } from './revocation.js';
import type { TimestampAuthority } from './timestamp.js';

/** Appends the /DSS dictionary (ISO 32000-2 §12.8.4.3) to the catalog. */
export async function appendDss(pdf: Buffer, data: Omit<ValidationData, 'missing'>): Promise<Buffer> {
  const revision = await Revision.of(pdf);
  const refs = (items: Buffer[]) => `[${items.map((item) => revision.addStream(item).toString()).join(' ')}]`;
  const entries = [`/Certs ${refs(data.certificates)}`];
  if (data.ocsps.length > 0) entries.push(`/OCSPs ${refs(data.ocsps)}`);
  if (data.crls.length > 0) entries.push(`/CRLs ${refs(data.crls)}`);
  const dss = revision.add(`<< /Type /DSS ${entries.join(' ')} >>`);
  const rootRef = revision.doc.context.trailerInfo.Root as PDFRef;
  const catalog = revision.dict(rootRef);
  catalog.set(PDFName.of('DSS'), dss);
  revision.set(rootRef, catalog);
  return revision.finish();
}

/** A @signpdf Signer whose "signature" is a TSA token over the byte range (ETSI.RFC3161). */
class DocumentTimestamper extends Signer {
  constructor(private readonly tsa: TimestampAuthority) {
    super();
  }

  override async sign(bytes: Buffer): Promise<Buffer> {
    return this.tsa.stamp(crypto.createHash('sha256').update(bytes).digest());
  }
}

const signPdf = new SignPdf();
const BYTE_RANGE_PLACEHOLDER = '**********';

/**
 * Appends a document timestamp (ISO 32000-2 §12.8.5): an invisible signature field on page 1
 * whose /DocTimeStamp dictionary holds a token over every byte but its own value.
 */
export async function appendDocumentTimestamp(
  pdf: Buffer,
  tsa: TimestampAuthority,
  reserveBytes: number,
): Promise<Buffer> {
  const revision = await Revision.of(pdf);
  const { doc } = revision;
  const context = doc.context;
  const page = doc.getPage(0);
  const placeholder = `/${BYTE_RANGE_PLACEHOLDER}`;
  const timestamp = revision.add(
    `<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 ` +
      `/ByteRange [0 ${placeholder} ${placeholder} ${placeholder}] /Contents <${'00'.repeat(reserveBytes)}> >>`,
  );
  const widget = revision.add(
    `<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 /T (DocumentTimestamp${context.largestObjectNumber}) ` +
      `/V ${timestamp.toString()} /P ${page.ref.toString()} >>`,
  );

  // The page's /Annots and the form's /Fields gain the widget, wherever those arrays live.
  const addTo = (owner: PDFRef, key: string) => {
    const dict = revision.dict(owner);
    const value = dict.get(PDFName.of(key));
    if (value instanceof PDFRef) {
      const array = context.lookup(value, PDFArray).clone(context);
      array.push(widget);
      revision.set(value, array);
      return;
    }
    const array = value instanceof PDFArray ? value.clone(context) : context.obj([]);
    array.push(widget);
    dict.set(PDFName.of(key), array);
    revision.set(owner, dict);
  };
  addTo(page.ref, 'Annots');
  const rootRef = context.trailerInfo.Root as PDFRef;
  const form = doc.catalog.get(PDFName.of('AcroForm'));
  if (form instanceof PDFRef) {
    addTo(form, 'Fields');
  } else {
    const catalog = revision.dict(rootRef);
    const inline = form instanceof PDFDict ? form.clone(context) : context.obj({ SigFlags: 3 });
    const fields = inline.get(PDFName.of('Fields'));
    const array = fields instanceof PDFArray ? fields.clone(context) : context.obj([]);
    array.push(widget);
    inline.set(PDFName.of('Fields'), array);
    catalog.set(PDFName.of('AcroForm'), inline);
    revision.set(rootRef, catalog);
  }
  return signPdf.sign(revision.finish(), new DocumentTimestamper(tsa));
}
