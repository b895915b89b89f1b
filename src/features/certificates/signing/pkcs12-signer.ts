import crypto from 'node:crypto';
import forge from 'node-forge';
import type { KeySigner } from './key-signer.js';

const { asn1 } = forge;

function certificateDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** A PKCS#12 opened in this process: the key is held as a node:crypto KeyObject, which signs. */
class Pkcs12Signer implements KeySigner {
  readonly keyType = 'rsa' as const;

  constructor(
    private readonly key: crypto.KeyObject,
    readonly certificates: readonly Buffer[],
    readonly maxSignatureBytes: number,
  ) {}

  async sign(data: Buffer): Promise<Buffer> {
    return crypto.sign('sha256', data, this.key);
  }
}

function open(p12: Buffer, passphrase: string): KeySigner {
  const parsed = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(p12.toString('binary')), false, passphrase);
  const keyBag =
    parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]?.[0] ??
    parsed.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!]?.[0];
  const forgeKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!forgeKey) throw new Error('the PKCS#12 holds no RSA private key');
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  const own = certs.find((cert) => {
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(forgeKey.n) === 0 && pub.e?.compareTo(forgeKey.e) === 0;
  });
  if (!own) throw new Error('the PKCS#12 holds no certificate for its private key');
  return new Pkcs12Signer(
    crypto.createPrivateKey(forge.pki.privateKeyToPem(forgeKey)),
    [certificateDer(own), ...certs.filter((cert) => cert !== own).map(certificateDer)],
    forgeKey.n.bitLength() / 8,
  );
}

// Opening a PKCS#12 (its key derivation and RSA parsing) costs ~20 ms; each order reads the
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
