import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleCertificate, sampleIssuedAt } from '../../../../test/helpers/certificate-fixtures.js';
import { pdfsig, skipWithoutPoppler } from '../../../../test/helpers/poppler.js';
import { CertificateRenderer } from './certificate.renderer.js';
import {
  type CertificateSigner,
  createDevelopmentSigner,
  pdfTextLiteral,
  signDocument,
} from './certificate.signing.js';
import { readCertificateIds } from './certificate-ids.js';
import { openPkcs12Signer } from '../signing/pkcs12-signer.js';

let renderer: CertificateRenderer;
let development: ReturnType<typeof createDevelopmentSigner>;
let signer: CertificateSigner;

beforeAll(() => {
  renderer = new CertificateRenderer();
  development = createDevelopmentSigner('デモ大学 証明書発行（開発用）', 'デモ大学', sampleIssuedAt);
  signer = {
    key: openPkcs12Signer(Buffer.from(development.p12Base64, 'base64'), development.passphrase),
    name: 'デモ大学',
  };
});

/** The two signed byte ranges [start, length, start, length] of a signed PDF. */
function byteRange(pdf: Uint8Array): number[] {
  const text = Buffer.from(pdf).toString('latin1');
  const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text);
  if (!match) throw new Error('no /ByteRange');
  return match.slice(1).map(Number);
}

describe('certificate signatures (C-6, #4: PAdES, pdfsig valid and unmodified)', () => {
  it('#4: the development certificate is self-signed RSA 2048, 10 years, for digital signature and non-repudiation', () => {
    const cert = forge.pki.certificateFromPem(development.certificatePem);
    expect((cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
    expect(cert.subject.getField('CN').value).toBe(forge.util.encodeUtf8('デモ大学 証明書発行（開発用）'));
    expect(cert.subject.getField('O').value).toBe(forge.util.encodeUtf8('デモ大学'));
    expect(cert.issuer.hash).toBe(cert.subject.hash);
    expect(cert.verify(cert)).toBe(true);
    const years = (cert.validity.notAfter.getTime() - cert.validity.notBefore.getTime()) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.99);
    expect(years).toBeLessThan(10.01);
    const keyUsage = cert.getExtension('keyUsage') as {
      digitalSignature?: boolean;
      nonRepudiation?: boolean;
      critical?: boolean;
    };
    expect(keyUsage).toMatchObject({ digitalSignature: true, nonRepudiation: true, critical: true });
    expect(cert.getExtension('basicConstraints')).toMatchObject({ cA: false });
    // Its PKCS#12 opens with the passphrase, and only with it.
    const der = forge.util.decode64(development.p12Base64);
    expect(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), development.passphrase)).not.toThrow();
    expect(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), 'wrong passphrase')).toThrow();
  });

  it.skipIf(skipWithoutPoppler)(
    'C-6: pdfsig reports the signature valid, ETSI.CAdES.detached, over the whole document',
    async () => {
      for (const lang of ['ja', 'en'] as const) {
        const pdf = await renderer.render(sampleCertificate('enrollment', lang), sampleIssuedAt, signer);
        const report = await pdfsig(pdf);
        expect(report).toContain('Signature Validation: Signature is Valid.');
        expect(report).toContain('Total document signed');
        expect(report).toContain('Signature Type: ETSI.CAdES.detached');
        expect(report).toContain('Signing Hash Algorithm: SHA-256');
        expect(report).toContain('Signer Certificate Common Name: デモ大学 証明書発行（開発用）');
        // Self-signed: trusted by nobody, which is expected for the development certificate.
        expect(report).toMatch(
          /Certificate Validation: (Certificate issuer is unknown|Certificate is not trusted|Untrusted)/i,
        );
        // The ranges cover the file except the signature value itself.
        const [start, first, second, rest] = byteRange(pdf);
        expect(start).toBe(0);
        expect(second! + rest!).toBe(pdf.byteLength);
        expect(second! - first!).toBeLessThan(20_000);
      }
    },
  );

  it.skipIf(skipWithoutPoppler)(
    'C-6: changing one byte in the signed range makes pdfsig report it invalid',
    async () => {
      const pdf = await renderer.render(sampleCertificate('enrollment', 'ja'), sampleIssuedAt, signer);
      const text = Buffer.from(pdf).toString('latin1');
      // Alter the serial number stated in the Info dictionary (the file stays a well-formed PDF).
      const at = text.indexOf('/ShomeiSerial (DEMO-2026-000123)');
      expect(at).toBeGreaterThan(0);
      const altered = Uint8Array.from(pdf);
      const digit = at + '/ShomeiSerial (DEMO-2026-00012'.length;
      altered[digit] = '9'.charCodeAt(0);
      expect(await readCertificateIds(altered)).toMatchObject({ serial: 'DEMO-2026-000129' });
      const report = await pdfsig(altered);
      expect(report).not.toContain('Signature is Valid.');
      expect(report).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);

      // And one byte inside a compressed stream, in the second signed range.
      const [, , second] = byteRange(pdf);
      const alsoAltered = Uint8Array.from(pdf);
      const streamAt = text.indexOf('stream', second!) + 20;
      alsoAltered[streamAt] = alsoAltered[streamAt]! ^ 0xff;
      expect(await pdfsig(alsoAltered)).not.toContain('Signature is Valid.');
    },
  );

  it.skipIf(skipWithoutPoppler)('#4: without a signer the PDF is unsigned', async () => {
    const report = await pdfsig(await renderer.render(sampleCertificate('enrollment', 'en'), sampleIssuedAt));
    expect(report).toContain('does not contain any signatures');
  });

  it.skipIf(skipWithoutPoppler)(
    '#4: signDocument signs any pdf-lib document; reason and location may be Japanese',
    async () => {
      const doc = await PDFDocument.create();
      doc.addPage();
      const pdf = await signDocument(
        doc,
        { ...signer, reason: '証明書の発行 (test)', location: '東京都' },
        { signingTime: new Date('2026-11-22T01:00:00Z') },
      );
      const report = await pdfsig(pdf);
      expect(report).toContain('Signature is Valid.');
      expect(report).toContain('Total document signed');
      const reloaded = await PDFDocument.load(pdf);
      expect(reloaded.getPageCount()).toBe(1);
    },
  );

  it('#4: pdfTextLiteral writes ASCII as is (escaped) and anything else as UTF-16BE octal escapes', () => {
    expect(pdfTextLiteral('Demo (dev) \\ 1')).toBe('Demo \\(dev\\) \\\\ 1');
    expect(pdfTextLiteral('東')).toBe('\\376\\377\\147\\161');
  });

  it('#4: refuses a PKCS#12 with the wrong passphrase', () => {
    expect(() => openPkcs12Signer(Buffer.from(development.p12Base64, 'base64'), 'not the passphrase')).toThrow();
  });
});
