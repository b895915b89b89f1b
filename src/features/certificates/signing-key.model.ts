import { X509Certificate, createHash } from 'node:crypto';

/** Where a PKCS#11 token keeps a university's key: the module, the token's label, the key's label. */
export interface Pkcs11Location {
  module: string;
  token: string;
  key: string;
}

/**
 * A university's signing key as stored: a PKCS#12 with its sealed passphrase, or a key in a
 * PKCS#11 token with its sealed user PIN. `certificatePem` is the signer's certificate first, then
 * the rest of its chain.
 */
export type StoredSigner =
  | { p12Base64: string; passphraseSealed: string; certificatePem: string }
  | { pkcs11: Pkcs11Location; passphraseSealed: string; certificatePem: string };

/** The key that signs new certificates, and whether Shomei made it itself (never in production). */
export type CurrentSigner = StoredSigner & { development: boolean };

/** One certificate a university has signed with, as the verification page lists it (#9 §3). */
export interface SigningCertificate {
  /** SHA-256 of the certificate's DER encoding, lower-case hex. */
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  /** When it started signing this university's certificates. */
  validFrom: number;
  /** When a newer key took over; null while it signs. */
  retiredAt: number | null;
  development: boolean;
}

/** The PEM blocks of a chain, each as DER, in order. */
export function chainFromPem(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) =>
    Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'),
  );
}

export function chainToPem(chain: readonly Buffer[]): string {
  return chain.map((der) => new X509Certificate(der).toString()).join('');
}

/** What is kept beside a key so its certificate can be listed without opening the key. */
export function certificateFacts(certificatePem: string): {
  fingerprintSha256: string;
  notBefore: number;
  notAfter: number;
} {
  const certificate = new X509Certificate(chainFromPem(certificatePem)[0] ?? certificatePem);
  return {
    fingerprintSha256: createHash('sha256').update(certificate.raw).digest('hex'),
    notBefore: Date.parse(certificate.validFrom),
    notAfter: Date.parse(certificate.validTo),
  };
}

/** `AB:CD:…`, the way `openssl x509 -fingerprint -sha256` and browsers print it. */
export function formatFingerprint(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?=.)/g, '$1:');
}
