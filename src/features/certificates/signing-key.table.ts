import type { EpochMs } from '../../db/types.js';

/** Every signing key a university has had (#9 §3); the one not retired signs new certificates. */
export interface SigningKeyTable {
  id: string;
  tenant_id: string;
  kind: 'pkcs12' | 'pkcs11';
  /** 1 for the self-signed key Shomei makes outside production; never used in production. */
  development: number;
  /** kind pkcs12: the PKCS#12 with the key and its certificate. */
  p12_base64: string | null;
  /** kind pkcs11: the module (shared library), the token's label and the key's label. */
  pkcs11_module: string | null;
  pkcs11_token: string | null;
  pkcs11_key: string | null;
  /** The PKCS#12 passphrase or the token's user PIN, sealed under SECRET_KEY (AES-256-GCM). */
  passphrase_sealed: string;
  /** The signer's certificate first, then the rest of its chain. */
  certificate_pem: string;
  /** SHA-256 of the signer's certificate (DER), lower-case hex: what the verification page shows. */
  fingerprint_sha256: string;
  not_before: EpochMs;
  not_after: EpochMs;
  /** When it became the university's current key. */
  valid_from: EpochMs;
  /** When a newer key replaced it; null while current. */
  retired_at: EpochMs | null;
}
