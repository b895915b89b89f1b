/**
 * Validation data for PAdES B-LT (#9 §3, C-12): for every certificate of the signer's and the
 * TSA's chains, an OCSP response from the responder its AIA names, else the CRL its CRL
 * distribution point names. A trust anchor (self-signed) needs none. What cannot be fetched is
 * reported, not thrown: the signature is valid without it, only less self-contained.
 */
import crypto from 'node:crypto';
import * as pkijs from 'pkijs';

const OCSP_METHOD = '1.3.6.1.5.5.7.48.1';
const AIA = '1.3.6.1.5.5.7.1.1';
const CDP = '2.5.29.31';
const URI = 6;

export interface ValidationData {
  certificates: Buffer[];
  ocsps: Buffer[];
  crls: Buffer[];
  /** Certificates (subject, reason) for which no revocation data was found. */
  missing: Array<{ subject: string; reason: string }>;
}

export interface RevocationFetchOptions {
  timeoutMs?: number;
}

function urls(cert: pkijs.Certificate, extension: string): string[] {
  const found = cert.extensions?.find((ext) => ext.extnID === extension);
  if (!found?.parsedValue) return [];
  const names: pkijs.GeneralName[] =
    extension === AIA
      ? (found.parsedValue as pkijs.InfoAccess).accessDescriptions
          .filter((access) => access.accessMethod === OCSP_METHOD)
          .map((access) => access.accessLocation)
      : ((found.parsedValue as pkijs.CRLDistributionPoints).distributionPoints ?? []).flatMap((point) =>
          Array.isArray(point.distributionPoint) ? point.distributionPoint : [],
        );
  return names
    .filter((name) => name.type === URI && typeof name.value === 'string')
    .map((name) => name.value as string)
    .filter((url) => /^https?:\/\//.test(url));
}

async function post(url: string, body: Buffer | undefined, contentType: string, timeoutMs: number): Promise<Buffer> {
  const response = await fetch(url, {
    method: body ? 'POST' : 'GET',
    ...(body && { body: Uint8Array.from(body), headers: { 'content-type': contentType } }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** An OCSP response saying "good" for `cert`, signed by its issuer or a responder it delegated to. */
async function ocsp(cert: pkijs.Certificate, issuer: pkijs.Certificate, url: string, timeoutMs: number) {
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
  const bytes = await post(url, Buffer.from(request.toSchema(true).toBER()), 'application/ocsp-request', timeoutMs);
  const response = pkijs.OCSPResponse.fromBER(Uint8Array.from(bytes));
  if (response.responseStatus.valueBlock.valueDec !== 0 || !response.responseBytes)
    throw new Error(`${url} refused (OCSP status ${response.responseStatus.valueBlock.valueDec})`);
  const basic = pkijs.BasicOCSPResponse.fromBER(
    Uint8Array.from(response.responseBytes.response.valueBlock.valueHexView),
  );
  const status = await basic.getCertificateStatus(cert, issuer);
  if (!status.isForCertificate) throw new Error(`${url} answered for another certificate`);
  if (status.status === 1) throw new Error('the certificate is revoked');
  if (status.status !== 0) throw new Error('the responder does not know the certificate');
  if (!(await basic.verify({ trustedCerts: [issuer] })))
    throw new Error(`${url} answered with a response its issuer did not authorise`);
  const responders = (basic.certs ?? []).map((c) => Buffer.from(c.toSchema().toBER()));
  return { response: bytes, responders };
}

async function crl(cert: pkijs.Certificate, issuer: pkijs.Certificate, url: string, timeoutMs: number) {
  const bytes = await post(url, undefined, '', timeoutMs);
  const list = pkijs.CertificateRevocationList.fromBER(Uint8Array.from(bytes));
  if (!(await list.verify({ issuerCertificate: issuer })))
    throw new Error(`${url}: the CRL is not signed by the issuer`);
  if (list.isCertificateRevoked(cert)) throw new Error('the certificate is revoked');
  return bytes;
}

function subjectOf(cert: Buffer): string {
  return new crypto.X509Certificate(cert).subject.replace(/\n/g, ', ');
}

/** Every distinct certificate once, in the order first seen. */
function distinct(certs: Buffer[]): Buffer[] {
  const seen = new Set<string>();
  return certs.filter((cert) => {
    const id = crypto.createHash('sha256').update(cert).digest('hex');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Revocation data for `certs` (their issuers must be among them to be checked). */
export async function collectValidationData(
  certs: Buffer[],
  options: RevocationFetchOptions = {},
): Promise<ValidationData> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const all = distinct(certs);
  const x509 = all.map((der) => new crypto.X509Certificate(der));
  const result: ValidationData = { certificates: [...all], ocsps: [], crls: [], missing: [] };
  for (const [index, der] of all.entries()) {
    const self = x509[index]!;
    const issuerIndex = x509.findIndex((candidate) => self.checkIssued(candidate) && self.verify(candidate.publicKey));
    if (issuerIndex === index) continue;
    if (issuerIndex === -1) {
      result.missing.push({ subject: subjectOf(der), reason: 'its issuer’s certificate is not in the chain' });
      continue;
    }
    const cert = pkijs.Certificate.fromBER(Uint8Array.from(der));
    const issuer = pkijs.Certificate.fromBER(Uint8Array.from(all[issuerIndex]!));
    const reasons: string[] = [];
    let done = false;
    for (const url of urls(cert, AIA)) {
      try {
        const { response, responders } = await ocsp(cert, issuer, url, timeoutMs);
        result.ocsps.push(response);
        result.certificates.push(...responders);
        done = true;
        break;
      } catch (error) {
        reasons.push(error instanceof Error ? error.message : String(error));
      }
    }
    for (const url of done ? [] : urls(cert, CDP)) {
      try {
        result.crls.push(await crl(cert, issuer, url, timeoutMs));
        done = true;
        break;
      } catch (error) {
        reasons.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (!done)
      result.missing.push({
        subject: subjectOf(der),
        reason: reasons.join('; ') || 'its certificate names no OCSP responder or CRL',
      });
  }
  result.certificates = distinct(result.certificates);
  return result;
}
