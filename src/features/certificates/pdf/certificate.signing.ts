/**
 * The digital signature on every certificate (#4, SPEC C-6): PAdES baseline B-B style — an
 * ETSI.CAdES.detached CMS signature over the whole file but the signature value, with the ESS
 * signing-certificate-v2 attribute that binds the signer's certificate and without the CMS
 * signing-time attribute (PAdES puts the time in the signature dictionary's /M instead).
 *
 * Libraries: @signpdf/placeholder-pdf-lib adds the signature field and byte-range placeholder,
 * @signpdf/signpdf computes the byte range and splices the signature in, node-forge opens the
 * tenant's PKCS#12 and builds the ASN.1. The CMS itself is built here (CadesSigner) rather than
 * by @signpdf/signer-p12, because that signer writes adbe.pkcs7.detached with a signing-time and
 * no signing-certificate-v2 (not PAdES), re-opens the PKCS#12 for every document, and does the RSA
 * operation in pure JavaScript; here the key is opened once per signer and node:crypto signs.
 */
import crypto from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import type { PDFDocument } from 'pdf-lib';
import type { KeySigner } from '../signing/key-signer.js';

/** The tenant's signing identity: its key (wherever it lives) and how readers see the signer. */
export interface CertificateSigner {
  key: KeySigner;
  /** Who signs, shown by PDF readers in the signature panel (e.g. the university's name). */
  name: string;
  reason?: string;
  location?: string;
}

const { asn1 } = forge;
const oid = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
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

/** A @signpdf Signer that returns a detached CAdES-BES SignedData over the given bytes. */
export class CadesSigner extends Signer {
  private readonly issuer: forge.asn1.Asn1;
  private readonly serialNumber: forge.asn1.Asn1;

  constructor(private readonly key: KeySigner) {
    super();
    const tbs = (asn1.fromDer(key.certificates[0]!.toString('binary')).value as forge.asn1.Asn1[])[0]!;
    const fields = tbs.value as forge.asn1.Asn1[];
    const offset = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version
    this.serialNumber = fields[offset]!;
    this.issuer = fields[offset + 2]!;
  }

  /** Bytes the signature may take: the certificates, two signatures' worth, and room. */
  get estimatedLength(): number {
    const certs = this.key.certificates.reduce((sum, cert) => sum + cert.length, 0);
    return certs + 2 * this.key.maxSignatureBytes + 1024;
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
    const isRsa = this.key.keyType === 'rsa';

    const signerInfo = seq([
      integer(1),
      seq([issuer, serialNumber]),
      algorithm(oid.sha256, false),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
      isRsa ? algorithm(oid.rsaEncryption, true) : algorithm(oid.ecdsaWithSha256, false),
      octets(signature),
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
}

// ---------------------------------------------------------------------------------------------
// Signing a document
// ---------------------------------------------------------------------------------------------

/**
 * The contents of a PDF literal string for any text. @signpdf/placeholder-pdf-lib passes Reason,
 * Name and Location to PDFString.of, which writes them byte for byte; Japanese would come out as
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

/**
 * Adds the signature field to the document, saves it and signs it. The signature covers every
 * byte of the file except its own value, so any later change shows as "modified" in validators.
 */
export async function signDocument(
  doc: PDFDocument,
  signer: CertificateSigner,
  options: { signingTime: Date; contactInfo?: string },
): Promise<Uint8Array> {
  const cades = new CadesSigner(signer.key);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: pdfTextLiteral(signer.reason ?? 'Certificate issued'),
    contactInfo: pdfTextLiteral(options.contactInfo ?? ''),
    name: pdfTextLiteral(signer.name),
    location: pdfTextLiteral(signer.location ?? ''),
    signingTime: options.signingTime,
    // Counted in hex digits of the /Contents placeholder: two per byte.
    signatureLength: 2 * cades.estimatedLength,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'Shomei',
  });
  // The placeholder must stay a plain object (not inside an object stream) to be found and filled.
  const unsigned = await doc.save({ useObjectStreams: false });
  const signed = await signPdf.sign(Buffer.from(unsigned.buffer, unsigned.byteOffset, unsigned.byteLength), cades);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
