import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import type { KeySigner } from '../certificates/signing/key-signer.js';
import { ecdsaDerToRaw, signVcJwt, verifyVcJwt } from './vc-jose.js';

/** An RSA KeySigner with a self-signed certificate, as a PKCS#12 or an HSM would give one. */
function rsaSigner(): KeySigner {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'test' }]);
  cert.setIssuer([{ name: 'commonName', value: 'test' }]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    forge.md.sha256.create(),
  );
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certificates: [der],
    keyType: 'rsa',
    maxSignatureBytes: 256,
    sign: async (data) => crypto.sign('sha256', data, privateKey),
  };
}

describe('VC-JOSE-COSE through a KeySigner (#9 §5)', () => {
  it('#9 signs an RS256 vc+jwt with x5c and kid that jose verifies; a changed payload is refused', async () => {
    const signer = rsaSigner();
    const jwt = await signVcJwt(signer, 'did:web:example.test:u#k', { type: ['VerifiableCredential'], n: 1 });
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'vc+jwt', kid: 'did:web:example.test:u#k' });
    const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c![0]}\n-----END CERTIFICATE-----`;
    await compactVerify(jwt, await importX509(pem, 'RS256'));
    expect((await verifyVcJwt(jwt)).payload).toEqual({ type: ['VerifiableCredential'], n: 1 });

    const [h, , s] = jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ type: ['VerifiableCredential'], n: 2 })).toString('base64url')}.${s}`;
    await expect(verifyVcJwt(forged)).rejects.toThrow();
  });

  it('#9 signs ES256 with a P-256 key whose KeySigner returns DER signatures', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vc-ec-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-subj',
          '/CN=ec test',
          '-days',
          '2',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const privateKey = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem')));
      const signer: KeySigner = {
        certificates: [Buffer.from(new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'cert.pem'))).raw)],
        keyType: 'ec',
        maxSignatureBytes: 72,
        sign: async (data) => crypto.sign('sha256', data, privateKey),
      };
      const jwt = await signVcJwt(signer, 'did:web:example.test:u#k', { ok: true });
      expect(decodeProtectedHeader(jwt).alg).toBe('ES256');
      expect((await verifyVcJwt(jwt)).payload).toEqual({ ok: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('#9 turns a DER ECDSA signature into raw r||s that verifies as ES256', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 20; i++) {
      const data = crypto.randomBytes(32);
      const der = crypto.sign('sha256', data, privateKey);
      const raw = ecdsaDerToRaw(der, 32);
      expect(raw.length).toBe(64);
      expect(crypto.verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    }
  });
});
