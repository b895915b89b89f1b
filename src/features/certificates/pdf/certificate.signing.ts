/**
 * The digital signature on every certificate (#4, SPEC C-6, C-12): a PAdES baseline signature —
 * an ETSI.CAdES.detached CMS signature over the whole file but the signature value, with the ESS
 * signing-certificate-v2 attribute that binds the signer's certificate and without the CMS
 * signing-time attribute (PAdES puts the time in the signature dictionary's /M instead). It is a
 * certification signature (DocMDP P=1: no changes). With a TSA configured it goes on to B-T (a
 * signature-time-stamp), B-LT (a DSS with chains and OCSP/CRL) and B-LTA (a document timestamp);
 * see pades/ and docs/operations/signatures.md.
 *
 * Libraries: the signature field and byte-range placeholder are added here (the DocMDP
 * reference is beyond @signpdf/placeholder-pdf-lib), @signpdf/signpdf computes the byte range
 * and splices the signature in, node-forge opens the
 * tenant's PKCS#12 and builds the ASN.1. The CMS itself is built here (CadesSigner) rather than
 * by @signpdf/signer-p12, because that signer writes adbe.pkcs7.detached with a signing-time and
 * no signing-certificate-v2 (not PAdES), re-opens the PKCS#12 for every document, and does the RSA
 * operation in pure JavaScript; here the key is opened once per signer and node:crypto signs.
 */
import crypto from 'node:crypto';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import { PDFArray, type PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import type { KeySigner } from '../signing/key-signer.js';
import { appendDocumentTimestamp, appendDss } from './pades/long-term.js';
import { collectValidationData, type ValidationData } from './pades/revocation.js';
import { type TimestampAuthority, timestampCertificates } from './pades/timestamp.js';

/** The tenant's signing identity: its key (wherever it lives) and how readers see the signer. */
export interface CertificateSigner {
  key: KeySigner;
  /** Who signs, shown by PDF readers in the signature panel (e.g. the university's name). */
  name: string;
  reason?: string;
  location?: string;
}

/** The PAdES level a signed document reached. */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** What takes a signature past B-B: the operator's TSA, and where revocation data comes from. */
export interface LongTermServices {
  timestamps: TimestampAuthority;
  /** Revocation data for the chains (AIA OCSP, else CRL); tests and the bench may replace it. */
  validationData?: (certificates: Buffer[]) => Promise<ValidationData>;
  /**
   * Told when a level could not be reached. The document is issued at the level below (never
   * refused after payment), so the operator hears of it here.
   */
  onShortfall?: (reached: PadesLevel, wanted: PadesLevel, error: unknown) => void;
}

const { asn1 } = forge;
const oid = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

// ---------------------------------------------------------------------------------------------
// Development certificate
// ---------------------------------------------------------------------------------------------

/**
 * A self-signed signing certificate for a demo or development tenant: RSA 2048, valid 10 years
 * from `now` (epoch milliseconds), keyUsage digitalSignature + nonRepudiation. Validators show the
 * signature as valid but the certificate as not trusted (it chains to nothing) — a production
 * tenant brings a certificate from a CA its readers trust.
 */
export function createDevelopmentSigner(
  commonName: string,
  organization: string,
  now: number,
): { p12Base64: string; passphrase: string; certificatePem: string } {
  // node:crypto generates the key in ~50–200 ms; forge's pure-JavaScript generator takes seconds.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive 16-byte serial (RFC 5280 §4.1.2.2: at most 20 octets, non-negative).
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now - 5 * 60 * 1000);
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(cert.validity.notAfter.getUTCFullYear() + 10);
  const subject = [
    { name: 'commonName', value: commonName, valueTagClass: asn1.Type.UTF8 },
    { name: 'organizationName', value: organization, valueTagClass: asn1.Type.UTF8 },
    { name: 'countryName', value: 'JP' },
  ];
  // forge's typings omit valueTagClass, which makes non-ASCII names UTF8String instead of garbage.
  cert.setSubject(subject as forge.pki.CertificateField[]);
  cert.setIssuer(subject as forge.pki.CertificateField[]);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());

  const passphrase = crypto.randomBytes(18).toString('base64url');
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], passphrase, {
    algorithm: 'aes256',
    friendlyName: commonName,
  });
  const p12Der = asn1.toDer(p12Asn1).getBytes();
  return {
    p12Base64: Buffer.from(p12Der, 'binary').toString('base64'),
    passphrase,
    certificatePem: forge.pki.certificateToPem(cert),
  };
}

// ---------------------------------------------------------------------------------------------
// The CMS (CAdES-BES) signature
// ---------------------------------------------------------------------------------------------

const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const objectId = (id: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: Buffer) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
const integer = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(n));
const nullValue = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const algorithm = (id: string, withNull: boolean) => seq(withNull ? [objectId(id), nullValue()] : [objectId(id)]);
const attribute = (type: string, value: forge.asn1.Asn1) => seq([objectId(type), set([value])]);
const der = (node: forge.asn1.Asn1) => asn1.toDer(node).getBytes();

/**
 * Bytes to reserve for a TSA's token: tokens carry the TSA's certificates, so their size is only
 * known from a first one; until then a commercial TSA's token with a chain fits in 8 KB.
 */
const tokenSizes = new WeakMap<TimestampAuthority, number>();
function tokenReserve(tsa: TimestampAuthority): number {
  return Math.max(8192, Math.ceil((tokenSizes.get(tsa) ?? 0) * 1.25));
}

/** A TSA's token over `digest`, remembering its size for the next reservation. */
async function stamp(tsa: TimestampAuthority, digest: Buffer): Promise<Buffer> {
  const token = await tsa.stamp(digest);
  tokenSizes.set(tsa, Math.max(tokenSizes.get(tsa) ?? 0, token.length));
  return token;
}

/**
 * A @signpdf Signer that returns a detached CAdES-BES SignedData over the given bytes, with a
 * signature-time-stamp (RFC 3161 Appendix A, over the signature value) when given a TSA. A TSA
 * that fails leaves the signature without it: `timestampError` says why.
 */
export class CadesSigner extends Signer {
  private readonly issuer: forge.asn1.Asn1;
  private readonly serialNumber: forge.asn1.Asn1;
  /**
   * Bytes reserved for the signature: the certificates, two signatures' worth, room, and the
   * token. Fixed when the signer is made, because the placeholder is written with it.
   */
  readonly estimatedLength: number;
  /** The signature-time-stamp token of the last signature, if it got one. */
  token: Buffer | undefined;
  timestampError: unknown;

  constructor(
    private readonly key: KeySigner,
    private readonly timestamps?: TimestampAuthority,
  ) {
    super();
    const tbs = (asn1.fromDer(key.certificates[0]!.toString('binary')).value as forge.asn1.Asn1[])[0]!;
    const fields = tbs.value as forge.asn1.Asn1[];
    const offset = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version
    this.serialNumber = fields[offset]!;
    this.issuer = fields[offset + 2]!;
    const certs = key.certificates.reduce((sum, cert) => sum + cert.length, 0);
    this.estimatedLength = certs + 2 * key.maxSignatureBytes + 1024 + (timestamps ? tokenReserve(timestamps) : 0);
  }

  override async sign(pdf: Buffer): Promise<Buffer> {
    const { certificates } = this.key;
    const { issuer, serialNumber } = this;
    const messageDigest = crypto.createHash('sha256').update(pdf).digest();
    const certHash = crypto.createHash('sha256').update(certificates[0]!).digest();
    const issuerSerial = seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer])]), serialNumber]);
    // ESSCertIDv2 with the default hash algorithm (SHA-256) left out, as DER requires.
    const signingCertificateV2 = seq([seq([seq([octets(certHash), issuerSerial])])]);
    const attributes = [
      attribute(oid.contentType, objectId(oid.data)),
      attribute(oid.messageDigest, octets(messageDigest)),
      attribute(oid.signingCertificateV2, signingCertificateV2),
    ]
      .map((node) => ({ node, bytes: der(node) }))
      // SET OF in DER: members in the order of their encodings.
      .sort((a, b) => Buffer.compare(Buffer.from(a.bytes, 'binary'), Buffer.from(b.bytes, 'binary')))
      .map(({ node }) => node);
    // The signature covers the attributes encoded as a SET; the SignerInfo carries them as [0].
    const signedAttributes = Buffer.from(der(set(attributes)), 'binary');
    const signature = await this.key.sign(signedAttributes);
    const unsigned = await this.signatureTimestamp(signature);
    const signed = this.encode(attributes, signature, unsigned);
    if (!unsigned || signed.length <= this.estimatedLength) return signed;
    // A token larger than any this TSA sent before: this signature goes without it (B-B, reported),
    // and the next one reserves room for it.
    this.timestampError = new Error(
      `the TSA’s token (${this.token?.length} bytes) is larger than the room reserved for it`,
    );
    this.token = undefined;
    return this.encode(attributes, signature);
  }

  private encode(attributes: forge.asn1.Asn1[], signature: Buffer, unsigned?: forge.asn1.Asn1): Buffer {
    const { certificates } = this.key;
    const { issuer, serialNumber } = this;
    const isRsa = this.key.keyType === 'rsa';
    const signerInfo = seq([
      integer(1),
      seq([issuer, serialNumber]),
      algorithm(oid.sha256, false),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
      isRsa ? algorithm(oid.rsaEncryption, true) : algorithm(oid.ecdsaWithSha256, false),
      octets(signature),
      ...(unsigned ? [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, [unsigned])] : []),
    ]);
    const signedData = seq([
      integer(1),
      set([algorithm(oid.sha256, false)]),
      seq([objectId(oid.data)]),
      asn1.create(
        asn1.Class.CONTEXT_SPECIFIC,
        0,
        true,
        certificates.map((cert) => asn1.fromDer(cert.toString('binary'))),
      ),
      set([signerInfo]),
    ]);
    const contentInfo = seq([
      objectId(oid.signedData),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]),
    ]);
    return Buffer.from(der(contentInfo), 'binary');
  }

  private async signatureTimestamp(signature: Buffer): Promise<forge.asn1.Asn1 | undefined> {
    this.token = undefined;
    this.timestampError = undefined;
    if (!this.timestamps) return undefined;
    try {
      const token = await stamp(this.timestamps, crypto.createHash('sha256').update(signature).digest());
      // The token goes in as the TSA wrote it: forge re-encodes what it parsed, which is only
      // safe when that gives back the same bytes (DER); a BER token would lose its signature.
      // forge's typings omit the options object its fromDer takes.
      const fromDer = asn1.fromDer as unknown as (
        bytes: string,
        options: { decodeBitStrings: boolean },
      ) => forge.asn1.Asn1;
      const parsed = fromDer(token.toString('binary'), { decodeBitStrings: false });
      if (der(parsed) !== token.toString('binary')) throw new Error('the TSA’s token is not DER-encoded');
      this.token = token;
      return attribute(oid.signatureTimeStampToken, parsed);
    } catch (error) {
      this.timestampError = error;
      return undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Signing a document
// ---------------------------------------------------------------------------------------------

/**
 * The contents of a PDF literal string for any text. The signature dictionary's Reason, Name and
 * Location go through PDFString.of, which writes them byte for byte; Japanese would come out as
 * garbage. ASCII is escaped; anything else becomes UTF-16BE with a BOM, every byte as \ooo.
 */
export function pdfTextLiteral(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text.replace(/[\\()]/g, (c) => `\\${c}`);
  const bytes = [0xfe, 0xff];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes.push(unit >> 8, unit & 0xff);
  }
  return bytes.map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

const signPdf = new SignPdf();
const BYTE_RANGE_PLACEHOLDER = '**********';
const SUBFILTER = 'ETSI.CAdES.detached';
/** AcroForm /SigFlags: SignaturesExist | AppendOnly. */
const SIGNATURES_EXIST_APPEND_ONLY = 3;
/** Annotation flags: Print | Locked. */
const PRINT_LOCKED = 132;

/**
 * The signature field, an invisible widget on page 1, and a signature dictionary whose /Contents
 * and /ByteRange are placeholders. It certifies the document: the DocMDP transform with P=1
 * (ISO 32000-2 §12.8.2.2) says no change is permitted — §12.8.2.2.2 exempts increments that
 * only add a DSS or document timestamps, which is all B-LT and B-LTA append.
 */
function addCertificationPlaceholder(
  doc: PDFDocument,
  fields: { reason: string; contactInfo: string; name: string; location: string; signingTime: Date },
  contentsBytes: number,
): void {
  const { context } = doc;
  const byteRange = PDFArray.withContext(context);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_PLACEHOLDER));
  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER,
    ByteRange: byteRange,
    Contents: PDFHexString.of('00'.repeat(contentsBytes)),
    Reference: [
      {
        Type: 'SigRef',
        TransformMethod: 'DocMDP',
        TransformParams: { Type: 'TransformParams', P: 1, V: '1.2' },
      },
    ],
    Reason: PDFString.of(fields.reason),
    M: PDFString.fromDate(fields.signingTime),
    ContactInfo: PDFString.of(fields.contactInfo),
    Name: PDFString.of(fields.name),
    Location: PDFString.of(fields.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'Shomei' } },
  });
  // Written as raw bytes, so pdf-lib never moves it into an object stream or reformats it.
  const bytes = new Uint8Array(signature.sizeInBytes());
  signature.copyBytesInto(bytes, 0);
  const signatureRef = context.register(PDFInvalidObject.of(bytes));

  const page = doc.getPage(0);
  const widget = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      V: signatureRef,
      T: PDFString.of('Signature1'),
      F: PRINT_LOCKED,
      P: page.ref,
      AP: { N: context.register(context.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} })) },
    }),
  );
  const annotations = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray) ?? context.obj([]);
  annotations.push(widget);
  page.node.set(PDFName.of('Annots'), annotations);
  doc.catalog.set(
    PDFName.of('AcroForm'),
    context.register(context.obj({ Fields: [widget], SigFlags: SIGNATURES_EXIST_APPEND_ONLY })),
  );
  doc.catalog.set(PDFName.of('Perms'), context.obj({ DocMDP: signatureRef }));
}

/**
 * Adds the signature field to the document, saves it and signs it. The signature covers every
 * byte of the file except its own value, so any later change shows as "modified" in validators.
 * With `longTerm`, the signature is timestamped and the validation data and a document
 * timestamp are appended (B-LTA); what the TSA or the responders could not give is reported
 * through `onShortfall` and the document keeps the level reached.
 */
export async function signDocument(
  doc: PDFDocument,
  signer: CertificateSigner,
  options: { signingTime: Date; contactInfo?: string; longTerm?: LongTermServices },
): Promise<Uint8Array> {
  const tsa = options.longTerm?.timestamps;
  const cades = new CadesSigner(signer.key, tsa);
  addCertificationPlaceholder(
    doc,
    {
      reason: pdfTextLiteral(signer.reason ?? 'Certificate issued'),
      contactInfo: pdfTextLiteral(options.contactInfo ?? ''),
      name: pdfTextLiteral(signer.name),
      location: pdfTextLiteral(signer.location ?? ''),
      signingTime: options.signingTime,
    },
    cades.estimatedLength,
  );
  // The placeholder must stay a plain object (not inside an object stream) to be found and filled.
  const unsigned = await doc.save({ useObjectStreams: false });
  let signed = await signPdf.sign(Buffer.from(unsigned.buffer, unsigned.byteOffset, unsigned.byteLength), cades);
  if (options.longTerm) signed = await extend(signed, signer.key, cades, options.longTerm);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}

/** B-T → B-LT → B-LTA, as far as the services allow. */
async function extend(pdf: Buffer, key: KeySigner, cades: CadesSigner, services: LongTermServices): Promise<Buffer> {
  const shortfall = (reached: PadesLevel, wanted: PadesLevel, error: unknown) =>
    services.onShortfall?.(reached, wanted, error);
  if (!cades.token) {
    shortfall('B-B', 'B-T', cades.timestampError);
    return pdf;
  }
  const tsa = services.timestamps;
  let withDss: Buffer;
  try {
    const collect = services.validationData ?? ((certs: Buffer[]) => collectValidationData(certs));
    const data = await collect([...key.certificates, ...timestampCertificates(cades.token)]);
    withDss = await appendDss(pdf, data);
    if (data.missing.length > 0)
      shortfall(
        'B-T',
        'B-LT',
        new Error(`no revocation data for ${data.missing.map((m) => `${m.subject} (${m.reason})`).join('; ')}`),
      );
  } catch (error) {
    shortfall('B-T', 'B-LT', error);
    return pdf;
  }
  try {
    return await appendDocumentTimestamp(
      withDss,
      { url: tsa.url, stamp: (digest) => stamp(tsa, digest) },
      tokenReserve(tsa),
    );
  } catch (error) {
    shortfall('B-LT', 'B-LTA', error);
    return withDss;
  }
}
