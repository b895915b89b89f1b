/**
 * Where a university's private key is used (#9 §3): the certificate documents only need its
 * certificate chain and a signature over some bytes, so the key can stay in a PKCS#12 opened in
 * this process or in an HSM that never lets it out.
 */
export interface KeySigner {
  /** DER certificates: the signer's own first, then the rest of its chain. */
  readonly certificates: readonly Buffer[];
  /** RSA signs with PKCS#1 v1.5, EC with ECDSA (DER-encoded r and s); both over SHA-256. */
  readonly keyType: 'rsa' | 'ec';
  /** An upper bound on the length of one signature, for reserving room in the PDF. */
  readonly maxSignatureBytes: number;
  /** Signs `data` (hashing it with SHA-256 first). */
  sign(data: Buffer): Promise<Buffer>;
}
