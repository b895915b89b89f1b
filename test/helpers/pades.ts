/**
 * A second, independent check of PAdES files (#9 §3, C-12) besides poppler's pdfsig: the
 * signatures are cut out of the file by their byte ranges and verified by OpenSSL (`openssl cms
 * -verify` for the CAdES signature, `openssl ts -verify` for the signature-time-stamp and the
 * document timestamp, `openssl ocsp -respin` for the DSS's OCSP responses) against the test root.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';

const run = promisify(execFile);

export interface SignedRevision {
  /** [start, length, start, length] */
  byteRange: number[];
  /** The bytes the signature covers. */
  covered: Buffer;
  /** /Contents without its zero padding. */
  contents: Buffer;
  subFilter: string;
}

/** Every signature of the file, in file order. */
export function signaturesOf(pdf: Uint8Array): SignedRevision[] {
  const file = Buffer.from(pdf);
  const text = file.toString('latin1');
  const found: SignedRevision[] = [];
  for (const match of text.matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/g)) {
    const byteRange = match.slice(1).map(Number);
    const [a, b, c, d] = byteRange as [number, number, number, number];
    const covered = Buffer.concat([file.subarray(a, a + b), file.subarray(c, c + d)]);
    const hex = text.slice(b + 1, c - 1);
    const der = Buffer.from(hex, 'hex');
    const dictStart = text.lastIndexOf(' obj', match.index);
    const subFilter = /\/SubFilter\s*\/([\w.]+)/.exec(text.slice(dictStart, c + 200))?.[1] ?? '';
    found.push({ byteRange, covered, contents: der.subarray(0, derLength(der)), subFilter });
  }
  return found;
}

/** The length of the DER element at the start of `der` (its header says where the padding starts). */
function derLength(der: Buffer): number {
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  return 2 + octets + der.subarray(2, 2 + octets).reduce((n, byte) => n * 256 + byte, 0);
}

async function openssl(dir: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run('openssl', args, { cwd: dir });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

export interface PadesCheck {
  /** openssl cms -verify of the CAdES signature over its byte range. */
  signature: boolean;
  /** openssl ts -verify of the signature-time-stamp over the signature value. */
  signatureTimestamp: boolean | undefined;
  /** openssl ts -verify of each document timestamp over its byte range. */
  documentTimestamps: boolean[];
  dss: { certs: number; ocsps: number; crls: number; ocspVerified: boolean[] } | undefined;
  /** P of the DocMDP transform the catalog's /Perms names, if any. */
  docMdp: number | undefined;
  output: string;
}

function streams(doc: PDFDocument, dss: PDFDict, key: string): Buffer[] {
  const array = dss.lookupMaybe(PDFName.of(key), PDFArray);
  if (!array) return [];
  return array.asArray().map((ref) => Buffer.from((doc.context.lookup(ref as PDFRef) as PDFRawStream).contents));
}

export async function checkPades(pdf: Uint8Array, rootPem: string): Promise<PadesCheck> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shomei-pades-'));
  const outputs: string[] = [];
  const verify = async (args: string[]) => {
    const result = await openssl(dir, args);
    outputs.push(`$ openssl ${args.join(' ')}\n${result.output}`);
    return result.ok;
  };
  try {
    const signatures = signaturesOf(pdf);
    const cades = signatures.find((s) => s.subFilter === 'ETSI.CAdES.detached');
    if (!cades) throw new Error('no ETSI.CAdES.detached signature');
    fs.writeFileSync(path.join(dir, 'content.bin'), cades.covered);
    fs.writeFileSync(path.join(dir, 'signature.der'), cades.contents);
    const signature = await verify([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      'signature.der',
      '-content',
      'content.bin',
      '-CAfile',
      rootPem,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);

    const signed = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(Uint8Array.from(cades.contents)).content });
    const signerInfo = signed.signerInfos[0]!;
    const tokenAttribute = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
    let signatureTimestamp: boolean | undefined;
    if (tokenAttribute) {
      fs.writeFileSync(path.join(dir, 'token.der'), Buffer.from(tokenAttribute.values[0]!.toBER()));
      const digest = crypto.createHash('sha256').update(signerInfo.signature.valueBlock.valueHexView).digest('hex');
      signatureTimestamp = await verify([
        'ts',
        '-verify',
        '-in',
        'token.der',
        '-token_in',
        '-digest',
        digest,
        '-CAfile',
        rootPem,
      ]);
    }

    const documentTimestamps: boolean[] = [];
    for (const [i, stamp] of signatures.filter((s) => s.subFilter === 'ETSI.RFC3161').entries()) {
      fs.writeFileSync(path.join(dir, `doc${i}.bin`), stamp.covered);
      fs.writeFileSync(path.join(dir, `doc${i}.der`), stamp.contents);
      documentTimestamps.push(
        await verify(['ts', '-verify', '-in', `doc${i}.der`, '-token_in', '-data', `doc${i}.bin`, '-CAfile', rootPem]),
      );
    }

    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    const dssDict = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
    let dss: PadesCheck['dss'];
    if (dssDict) {
      const ocsps = streams(doc, dssDict, 'OCSPs');
      const ocspVerified: boolean[] = [];
      for (const [i, response] of ocsps.entries()) {
        fs.writeFileSync(path.join(dir, `ocsp${i}.der`), response);
        ocspVerified.push(await verify(['ocsp', '-respin', `ocsp${i}.der`, '-CAfile', rootPem, '-no_cert_checks']));
      }
      dss = {
        certs: streams(doc, dssDict, 'Certs').length,
        ocsps: ocsps.length,
        crls: streams(doc, dssDict, 'CRLs').length,
        ocspVerified,
      };
    }
    const perms = doc.catalog.lookupMaybe(PDFName.of('Perms'), PDFDict);
    const mdp = perms?.lookupMaybe(PDFName.of('DocMDP'), PDFDict);
    const reference = mdp?.lookupMaybe(PDFName.of('Reference'), PDFArray)?.lookup(0, PDFDict);
    const params = reference?.lookupMaybe(PDFName.of('TransformParams'), PDFDict);
    const p = params?.lookupMaybe(PDFName.of('P'), PDFNumber)?.asNumber();
    return { signature, signatureTimestamp, documentTimestamps, dss, docMdp: p, output: outputs.join('\n') };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
