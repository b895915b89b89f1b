/**
 * VC-JOSE-COSE (W3C, 2025), enveloped: the credential's JSON is the payload of a compact JWS
 * whose header says `typ: vc+jwt` and carries the signer's certificate chain (x5c) and a key id
 * that the university's DID document resolves.
 *
 * Why JOSE rather than a Data Integrity proof: Data Integrity over JSON-LD needs RDF dataset
 * canonicalization, and its libraries (jsonld, @digitalbazaar/*) fetch contexts from the network
 * unless every context is preloaded, have a heavy dependency tree, and have no suite for RSA
 * keys, which is what universities' signing certificates mostly are. A JWS signs the bytes as
 * they are — nothing to canonicalize, no document loader — works with RSA and P-256 keys, and
 * goes through the tenant's KeySigner like the PDF signature, so a key in an HSM signs both.
 * `jose` (panva, no dependencies) verifies it here, and any JOSE library can elsewhere.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import type { KeySigner } from '../certificates/signing/key-signer.js';

export const VC_MEDIA_TYPE = 'application/vc+jwt';
/** Far above any certificate's credential (a transcript's is a few kilobytes). */
export const MAX_VC_JWT_BYTES = 256 * 1024;

export type JoseAlgorithm = 'RS256' | 'ES256';

/**
 * The JOSE algorithm of a KeySigner. It always hashes with SHA-256, so an EC key must be P-256
 * (ES256); a P-384 key would need ES384 (SHA-384), which it cannot make.
 */
export function joseAlgorithm(key: KeySigner): JoseAlgorithm | undefined {
  if (key.keyType === 'rsa') return 'RS256';
  const leaf = key.certificates[0];
  if (!leaf) return undefined;
  const jwk = new X509Certificate(leaf).publicKey.export({ format: 'jwk' });
  return jwk.crv === 'P-256' ? 'ES256' : undefined;
}

/** The signing certificate's public key as a JWK with its chain, and its RFC 7638 thumbprint. */
export async function publicJwk(key: KeySigner): Promise<{ jwk: Record<string, unknown>; thumbprint: string }> {
  const leaf = key.certificates[0];
  if (!leaf) throw new Error('the signer has no certificate');
  const jwk = new X509Certificate(leaf).publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const thumbprint = await calculateJwkThumbprint(jwk as never, 'sha256');
  return { jwk: { ...jwk, x5c: key.certificates.map((der) => der.toString('base64')) }, thumbprint };
}

/**
 * ECDSA signatures come from the KeySigner as DER `SEQUENCE { r INTEGER, s INTEGER }`; JWS wants
 * r and s as fixed-width big-endian integers side by side (RFC 7518 §3.4).
 */
export function ecdsaDerToRaw(der: Buffer, size: number): Buffer {
  let at = 0;
  const header = (tag: number): number => {
    if (der[at++] !== tag) throw new Error('not a DER ECDSA signature');
    let length = der[at++] ?? 0;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = (length << 8) | (der[at++] ?? 0);
    }
    return length;
  };
  const integer = (): Buffer => {
    const length = header(0x02);
    const value = der.subarray(at, at + length);
    at += length;
    const first = value.findIndex((byte) => byte !== 0);
    const trimmed = first === -1 ? Buffer.alloc(0) : value.subarray(first);
    if (trimmed.length > size) throw new Error('ECDSA integer longer than the curve');
    return Buffer.concat([Buffer.alloc(size - trimmed.length), trimmed]);
  };
  header(0x30);
  return Buffer.concat([integer(), integer()]);
}

/** Signs `payload` as a compact JWS through the KeySigner (which may be an HSM). */
export async function signVcJwt(key: KeySigner, kid: string, payload: object): Promise<string> {
  const alg = joseAlgorithm(key);
  if (!alg) throw new Error('the signing key is neither RSA nor ECDSA P-256');
  const header = { alg, typ: 'vc+jwt', cty: 'vc', kid, x5c: key.certificates.map((der) => der.toString('base64')) };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = await key.sign(Buffer.from(input, 'ascii'));
  return `${input}.${(alg === 'ES256' ? ecdsaDerToRaw(signature, 32) : signature).toString('base64url')}`;
}

export interface VerifiedVcJwt {
  payload: Record<string, unknown>;
  /** SHA-256 of the DER certificate whose key verified the signature. */
  signerFingerprint: string;
}

/**
 * Checks a `vc+jwt`'s signature with the key of the certificate in its own header; the caller
 * decides whether that certificate is one it trusts (by its fingerprint). Throws on anything
 * malformed, a wrong type or algorithm, or a signature that does not verify.
 */
export async function verifyVcJwt(jwt: string): Promise<VerifiedVcJwt> {
  if (jwt.length > MAX_VC_JWT_BYTES || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jwt))
    throw new Error('not a compact JWS');
  const header = decodeProtectedHeader(jwt);
  if (header.typ !== 'vc+jwt') throw new Error(`typ ${String(header.typ)} is not vc+jwt`);
  const alg = header.alg;
  if (alg !== 'RS256' && alg !== 'ES256') throw new Error(`algorithm ${String(alg)} is not accepted`);
  const leaf = header.x5c?.[0];
  if (typeof leaf !== 'string') throw new Error('no x5c certificate');
  const der = Buffer.from(leaf, 'base64');
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----`;
  const { payload } = await compactVerify(jwt, await importX509(pem, alg), { algorithms: [alg] });
  const parsed: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the payload is not an object');
  return {
    payload: parsed as Record<string, unknown>,
    signerFingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

export function certificateFingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
