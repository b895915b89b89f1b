import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCertificate, sampleIssuedAt } from '../../../../../test/helpers/certificate-fixtures.js';
import { checkPades, signaturesOf } from '../../../../../test/helpers/pades.js';
import { pdfsig, skipWithoutPoppler } from '../../../../../test/helpers/poppler.js';
import { startTrustServices, type TrustServices } from '../../../../../test/helpers/trust-services.js';
import { CertificateRenderer } from '../certificate.renderer.js';
import { type LongTermServices, type PadesLevel, signDocument } from '../certificate.signing.js';
import { collectValidationData } from './revocation.js';
import { HttpTimestampAuthority } from './timestamp.js';

let trust: TrustServices;
let renderer: CertificateRenderer;
let shortfalls: Array<{ reached: PadesLevel; wanted: PadesLevel; error: unknown }>;
let longTerm: LongTermServices;
let ltaPdf: Uint8Array;

beforeAll(async () => {
  trust = await startTrustServices();
  shortfalls = [];
  longTerm = {
    timestamps: new HttpTimestampAuthority({ url: trust.tsaUrl }),
    onShortfall: (reached, wanted, error) => shortfalls.push({ reached, wanted, error }),
  };
  renderer = new CertificateRenderer({ longTerm });
  ltaPdf = await renderer.render(sampleCertificate('enrollment', 'ja'), sampleIssuedAt, {
    key: trust.signer,
    name: 'テスト大学',
  });
});

afterAll(async () => {
  await trust?.stop();
});

/** The file with one byte at `at` changed. */
function flip(pdf: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(pdf);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('PAdES B-T, B-LT, B-LTA with a real TSA and OCSP responder on loopback (#9 §3, C-12)', () => {
  it.skipIf(skipWithoutPoppler)(
    '#9 C-12: a certificate is B-LTA: timestamped signature, DSS with chains and OCSP, document timestamp; pdfsig and OpenSSL agree',
    async () => {
      expect(shortfalls).toEqual([]);
      const report = await pdfsig(ltaPdf);
      expect(report).toMatch(/Signature #1:[\s\S]*Signature Type: ETSI.CAdES.detached[\s\S]*Signature is Valid\./);
      expect(report).toMatch(/Signature #2:[\s\S]*Signer Certificate Common Name: Test TSA/);

      const check = await checkPades(ltaPdf, trust.rootPem);
      expect(check, check.output).toMatchObject({
        signature: true,
        signatureTimestamp: true,
        documentTimestamps: [true],
      });
      // signer + root + TSA certificates; an OCSP response each for the signer's and the TSA's.
      expect(check.dss).toMatchObject({ ocsps: 2, crls: 0, ocspVerified: [true, true] });
      expect(check.dss!.certs).toBeGreaterThanOrEqual(3);
      // A certification signature: no changes but DSS and document timestamps (ISO 32000-2 §12.8.2.2.2).
      expect(check.docMdp).toBe(1);
      // The document timestamp covers the whole file; the signature covers its own revision.
      const [signature, stamp] = signaturesOf(ltaPdf);
      expect(stamp!.byteRange[2]! + stamp!.byteRange[3]!).toBe(ltaPdf.byteLength);
      expect(signature!.byteRange[2]! + signature!.byteRange[3]!).toBeLessThan(ltaPdf.byteLength);
      expect((await PDFDocument.load(ltaPdf)).getPageCount()).toBe(1);
    },
  );

  it('#9 C-12: OpenSSL finds a byte changed in the signed revision, and one changed in the DSS', async () => {
    const [signature, stamp] = signaturesOf(ltaPdf);
    const text = Buffer.from(ltaPdf).toString('latin1');
    const [, , from, length] = signature!.byteRange as [number, number, number, number];
    const streamAt = text.indexOf('stream\n', from) + 20;
    expect(streamAt).toBeLessThan(from + length);
    const signedCheck = await checkPades(flip(ltaPdf, streamAt), trust.rootPem);
    expect(signedCheck).toMatchObject({ signature: false, documentTimestamps: [false] });

    const dssAt = text.indexOf('/Type /DSS');
    expect(dssAt).toBeGreaterThan(signature!.byteRange[2]! + signature!.byteRange[3]!);
    expect(dssAt).toBeLessThan(stamp!.byteRange[1]!);
    const inDss = flip(ltaPdf, text.indexOf('stream\n', dssAt - 4000) + 30);
    const dssCheck = await checkPades(inDss, trust.rootPem);
    expect(dssCheck.signature).toBe(true);
    expect(dssCheck.documentTimestamps).toEqual([false]);
  });

  it.skipIf(skipWithoutPoppler)(
    '#9 C-12: a TSA that is down leaves a valid B-B signature (issued, never refused after payment) and says so',
    async () => {
      trust.failTsa(true);
      try {
        const failing: Array<[PadesLevel, PadesLevel]> = [];
        const before = trust.stamps();
        const doc = await PDFDocument.create();
        doc.addPage();
        const pdf = await signDocument(
          doc,
          { key: trust.signer, name: 'テスト大学' },
          {
            signingTime: new Date(sampleIssuedAt),
            longTerm: {
              timestamps: new HttpTimestampAuthority({ url: trust.tsaUrl, attempts: 2 }),
              onShortfall: (reached, wanted) => failing.push([reached, wanted]),
            },
          },
        );
        expect(failing).toEqual([['B-B', 'B-T']]);
        expect(trust.stamps()).toBe(before);
        expect(await pdfsig(pdf)).toContain('Signature is Valid.');
        const check = await checkPades(pdf, trust.rootPem);
        expect(check).toMatchObject({
          signature: true,
          signatureTimestamp: undefined,
          documentTimestamps: [],
          dss: undefined,
        });
      } finally {
        trust.failTsa(false);
      }
    },
  );

  it('#9 C-12: validation data: OCSP for each certificate its issuer is known for; what is missing is named', async () => {
    const [own, root] = trust.signer.certificates as [Buffer, Buffer];
    const full = await collectValidationData([own, root]);
    expect(full).toMatchObject({ ocsps: [expect.any(Buffer)], crls: [], missing: [] });
    expect(full.certificates.length).toBeGreaterThanOrEqual(2);
    const alone = await collectValidationData([own]);
    expect(alone.ocsps).toEqual([]);
    expect(alone.missing).toEqual([
      { subject: expect.stringContaining('CN=Test University Signer'), reason: expect.stringContaining('issuer') },
    ]);
  });

  it.skipIf(skipWithoutPoppler)(
    '#9 C-12: a token larger than the room reserved leaves that signature B-B (reported), and the next reserves room',
    async () => {
      trust.bigTokens(true);
      try {
        const tsa = new HttpTimestampAuthority({ url: trust.tsaUrl });
        const levels: Array<[PadesLevel, PadesLevel]> = [];
        const sign = async () => {
          const doc = await PDFDocument.create();
          doc.addPage();
          return signDocument(
            doc,
            { key: trust.signer, name: 'テスト大学' },
            {
              signingTime: new Date(sampleIssuedAt),
              longTerm: {
                timestamps: tsa,
                validationData: async () => ({ certificates: [], ocsps: [], crls: [], missing: [] }),
                onShortfall: (reached, wanted) => levels.push([reached, wanted]),
              },
            },
          );
        };
        const first = await sign();
        expect(levels).toEqual([['B-B', 'B-T']]);
        expect(await pdfsig(first)).toContain('Signature is Valid.');
        levels.length = 0;
        const second = await sign();
        expect(levels).toEqual([]);
        const check = await checkPades(second, trust.rootPem);
        expect(check, check.output).toMatchObject({
          signature: true,
          signatureTimestamp: true,
          documentTimestamps: [true],
        });
      } finally {
        trust.bigTokens(false);
      }
    },
  );
});
