import crypto from 'node:crypto';
import { AppError } from '../../../platform/errors.js';
import * as pkijs from 'pkijs';
import type { KeySigner } from './key-signer.js';

const KEY_USAGE = '2.5.29.15';
const DIGITAL_SIGNATURE = 0x80;
const NON_REPUDIATION = 0x40;
const curves: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384' };

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The certificate's keyUsage bits (first octet), or undefined when it names none (no restriction, RFC 5280 §4.2.1.3). */
function keyUsage(der: Buffer): number | undefined {
  const extension = pkijs.Certificate.fromBER(new Uint8Array(der)).extensions?.find((ext) => ext.extnID === KEY_USAGE);
  const bits = extension?.parsedValue as { valueBlock: { valueHexView: Uint8Array } } | undefined;
  return bits ? (bits.valueBlock.valueHexView[0] ?? 0) : undefined;
}

/**
 * What stops `signer` from signing a university's certificates, each named so an operator can
 * act on it (#9 §3): a key type or size readers do not accept, a certificate not valid at `now`,
 * one whose key usage excludes signing, and a key that does not belong to the certificate — shown
 * by a test signature that the certificate's public key does not verify. Empty when it can sign.
 */
export async function signerProblems(signer: KeySigner, now: number): Promise<string[]> {
  const own = signer.certificates[0];
  if (!own) return ['no certificate for the key'];
  const certificate = new crypto.X509Certificate(own);
  const problems: string[] = [];

  const { publicKey } = certificate;
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (publicKey.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048)
      problems.push(`the RSA key has ${details.modulusLength} bits; at least 2048 are needed`);
  } else if (publicKey.asymmetricKeyType === 'ec') {
    if (!curves[details.namedCurve ?? ''])
      problems.push(`the EC key is on ${details.namedCurve ?? 'an unnamed curve'}; Shomei accepts P-256 and P-384`);
  } else {
    problems.push(
      `the key is ${publicKey.asymmetricKeyType ?? 'of an unknown type'}; Shomei accepts RSA (2048 bits or more) and ECDSA (P-256, P-384)`,
    );
  }
  if (publicKey.asymmetricKeyType !== signer.keyType)
    problems.push(`the private key is ${signer.keyType} but the certificate's key is ${publicKey.asymmetricKeyType}`);

  const notBefore = Date.parse(certificate.validFrom);
  const notAfter = Date.parse(certificate.validTo);
  if (now < notBefore) problems.push(`the certificate is not valid before ${isoDate(notBefore)}`);
  if (now > notAfter) problems.push(`the certificate expired on ${isoDate(notAfter)}`);

  const usage = keyUsage(own);
  if (usage !== undefined && (usage & (DIGITAL_SIGNATURE | NON_REPUDIATION)) === 0)
    problems.push('the certificate’s key usage allows neither digitalSignature nor nonRepudiation');

  if (problems.length === 0) {
    let verified = false;
    try {
      verified = await signsVerifiably(signer, publicKey);
    } catch (error) {
      problems.push(`a test signature failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!verified && problems.length === 0)
      problems.push(
        'the private key does not match the certificate: a test signature does not verify with its public key',
      );
  }
  return problems;
}

/** Whether the key makes a signature the public key verifies, within the room reserved for one. */
async function signsVerifiably(signer: KeySigner, publicKey: crypto.KeyObject): Promise<boolean> {
  const probe = crypto.randomBytes(32);
  const signature = await signer.sign(probe);
  return (
    signature.length <= signer.maxSignatureBytes &&
    crypto.verify('sha256', probe, { key: publicKey, dsaEncoding: 'der' }, signature)
  );
}

/** Signers that made a signature their own certificate verifies: asked once per signer, not per order. */
const working = new WeakSet<KeySigner>();

/**
 * Refuses (`signer_unavailable`) a signer that cannot make a signature its certificate verifies —
 * a key that does not match its certificate, an HSM that refuses — so the refusal comes before
 * the order and the payment, not when the paid documents are signed (C-11).
 */
export async function assertSignerWorks(signer: KeySigner, tenantSlug: string): Promise<void> {
  if (working.has(signer)) return;
  let verified = false;
  let cause: unknown;
  try {
    const certificate = signer.certificates[0];
    if (!certificate) throw new Error('the signer has no certificate');
    verified = await signsVerifiably(signer, new crypto.X509Certificate(certificate).publicKey);
  } catch (error) {
    cause = error;
  }
  if (!verified)
    throw new AppError('signer_unavailable', {
      detail: `the signing key of ${tenantSlug} makes no signature its certificate verifies${cause instanceof Error ? ` (${cause.message})` : ''}: import a key that matches its certificate (shomei signer import)`,
      cause,
    });
  working.add(signer);
}
