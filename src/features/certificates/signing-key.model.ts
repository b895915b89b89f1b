import { X509Certificate } from 'node:crypto';

/** A university's signing key as stored: the PKCS#12, its sealed passphrase, and its certificate. */
export interface StoredSigner {
  p12Base64: string;
  passphraseSealed: string;
  certificatePem: string;
}

/** The self-signed key Shomei makes for a university without its own names itself so (createDevelopmentSigner). */
export function isDevelopmentSigner(certificatePem: string): boolean {
  const subject = new X509Certificate(certificatePem).subject;
  return /^CN=.*\(development\)$/m.test(subject);
}
