/** A university's signing key as stored: the PKCS#12, its sealed passphrase, and its certificate. */
export interface StoredSigner {
  p12Base64: string;
  passphraseSealed: string;
  certificatePem: string;
}
