import crypto from 'node:crypto';
import forge from 'node-forge';
import type { KeySigner } from './key-signer.js';

const { asn1 } = forge;

/** The longest DER ECDSA signature on a curve of `bits`: two integers of its size, each with a sign byte, and their headers. */
export function maxEcdsaSignatureBytes(bits: number): number {
  return 2 * (Math.ceil(bits / 8) + 1) + 7;
}

const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

/** A private key held in this process as a node:crypto KeyObject, which signs (RSA or ECDSA). */
class InProcessSigner implements KeySigner {
  readonly keyType: 'rsa' | 'ec';
  readonly maxSignatureBytes: number;

  constructor(
    private readonly key: crypto.KeyObject,
    readonly certificates: readonly Buffer[],
  ) {
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === 'rsa') {
      this.keyType = 'rsa';
      this.maxSignatureBytes = Math.ceil((details.modulusLength ?? 0) / 8);
    } else if (key.asymmetricKeyType === 'ec') {
      this.keyType = 'ec';
      this.maxSignatureBytes = maxEcdsaSignatureBytes(curveBits[details.namedCurve ?? ''] ?? 521);
    } else {
      throw new Error(
        `the private key is ${key.asymmetricKeyType ?? 'of an unknown type'}; Shomei signs with RSA or ECDSA (P-256, P-384)`,
      );
    }
  }

  async sign(data: Buffer): Promise<Buffer> {
    return crypto.sign('sha256', data, { key: this.key, dsaEncoding: 'der' });
  }
}

const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');

/**
 * forge decrypts every PKCS#12 encryption in use (OpenSSL 3's AES/PBKDF2 and the legacy 3DES and
 * RC2 ones) but understands only RSA keys and certificates; it hands any other kind over as ASN.1,
 * which node:crypto reads. So forge opens the container and node:crypto reads what is inside.
 */
function open(p12: Buffer, passphrase: string): KeySigner {
  const parsed = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(p12.toString('binary')), false, passphrase);
  const keys: crypto.KeyObject[] = [];
  const certificates: Buffer[] = [];
  for (const contents of parsed.safeContents)
    for (const bag of contents.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        if (bag.cert) certificates.push(der(forge.pki.certificateToAsn1(bag.cert)));
        else if (bag.asn1) certificates.push(der(bag.asn1));
      } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        const pkcs8 = bag.key
          ? der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)))
          : bag.asn1 && der(bag.asn1);
        if (pkcs8) keys.push(crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
      }
    }
  const key = keys[0];
  if (!key) throw new Error('the PKCS#12 holds no private key');
  if (keys.length > 1) throw new Error(`the PKCS#12 holds ${keys.length} private keys; export only the signing key`);
  const publicKey = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
  const own = certificates.find((cert) =>
    new crypto.X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey),
  );
  if (!own)
    throw new Error('the PKCS#12 holds no certificate for its private key (the key does not match the certificate)');
  return new InProcessSigner(key, [own, ...certificates.filter((cert) => cert !== own)]);
}

// Opening a PKCS#12 (its key derivation and key parsing) costs ~20 ms; each order reads the
// stored one again as a fresh Buffer, so the cache is keyed by content, not by object.
const opened = new Map<string, KeySigner>();
const MAX_OPENED = 64;

/** The PKCS#12's key and chain, opened once per content and passphrase. */
export function openPkcs12Signer(p12: Buffer, passphrase: string): KeySigner {
  const id = crypto.createHash('sha256').update(p12).update('\0').update(passphrase).digest('hex');
  const cached = opened.get(id);
  if (cached) return cached;
  const signer = open(p12, passphrase);
  if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
  opened.set(id, signer);
  return signer;
}
