/**
 * Signing keys as a university's CA would hand them over (#9 §3): made by `openssl` (tests only),
 * as PKCS#12 files or PEM, with the key type, key usage and pairing each test needs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export type KeySpec = { rsa: number } | { ec: 'P-256' | 'P-384' | 'P-521' };

export interface FixtureOptions {
  key?: KeySpec;
  /** The keyUsage extension's value; `none` leaves the extension out. */
  keyUsage?: string;
  days?: number;
  subject?: string;
  /** Pack the certificate with another key than its own. */
  mismatched?: boolean;
  /** OpenSSL 1.x's encryption (3DES, RC2) instead of 3.x's (AES, PBKDF2). */
  legacy?: boolean;
  passphrase?: string;
}

export interface KeyFixture {
  p12: Buffer;
  passphrase: string;
  keyPem: string;
  certificatePem: string;
  /** `openssl x509 -fingerprint -sha256`'s answer, e.g. `AB:CD:…`. */
  fingerprint: string;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function newKey(spec: KeySpec, file: string, cwd: string): void {
  const args =
    'rsa' in spec
      ? ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.rsa}`]
      : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${spec.ec}`];
  openssl(['genpkey', ...args, '-out', file], cwd);
}

/** A self-signed certificate valid from now for `days`, and its key in a PKCS#12. */
export function makeKeyFixture(options: FixtureOptions = {}): KeyFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-key-'));
  try {
    const spec = options.key ?? { rsa: 2048 };
    const passphrase = options.passphrase ?? 'fixture-passphrase';
    newKey(spec, 'key.pem', dir);
    const usage = options.keyUsage ?? 'critical,digitalSignature,nonRepudiation';
    openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        String(options.days ?? 30),
        '-subj',
        options.subject ?? '/CN=Fixture University Signing/O=Fixture University/C=JP',
        ...(usage === 'none' ? [] : ['-addext', `keyUsage=${usage}`]),
      ],
      dir,
    );
    if (options.mismatched) {
      // openssl refuses to pack a key with a certificate not its own; forge does (RSA only).
      newKey(spec, 'key.pem', dir);
      const key = forge.pki.privateKeyFromPem(fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'));
      const cert = forge.pki.certificateFromPem(fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'));
      const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: 'aes256' });
      fs.writeFileSync(path.join(dir, 'bundle.p12'), Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
    } else
      openssl(
        [
          'pkcs12',
          '-export',
          ...(options.legacy ? ['-legacy'] : []),
          '-inkey',
          'key.pem',
          '-in',
          'cert.pem',
          '-out',
          'bundle.p12',
          '-passout',
          `pass:${passphrase}`,
        ],
        dir,
      );
    const fingerprint = openssl(['x509', '-in', 'cert.pem', '-noout', '-fingerprint', '-sha256'], dir)
      .trim()
      .replace(/^.*=/, '');
    return {
      p12: fs.readFileSync(path.join(dir, 'bundle.p12')),
      passphrase,
      keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      certificatePem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      fingerprint,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
