/**
 * A real PKI on loopback for PAdES tests (#9 §3, C-12): a root CA made by openssl in a temp dir,
 * a signing certificate and a TSA certificate issued by it (both naming the OCSP responder in
 * their AIA), an RFC 3161 TSA (`openssl ts -reply` behind node:http) and an OCSP responder
 * (`openssl ocsp -port`). Nothing here is Shomei code: the tests check Shomei against it.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KeySigner } from '../../src/features/certificates/signing/key-signer.js';

const run = promisify(execFile);

export interface TrustServices {
  dir: string;
  tsaUrl: string;
  ocspUrl: string;
  /** The root CA (PEM file), the trust anchor for `openssl cms/ts -verify`. */
  rootPem: string;
  /** A KeySigner whose certificate the root issued: [signer, root]. */
  signer: KeySigner;
  /** TSA requests answered so far. */
  stamps(): number;
  /** Makes the TSA answer 503 (true) or work again (false). */
  failTsa(fail: boolean): void;
  /** Makes the TSA's tokens carry an extra 9 KB certificate (true), larger than any seen before. */
  bigTokens(big: boolean): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function openssl(dir: string, ...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, extensions: string): void {
  openssl(
    dir,
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-set_serial',
    `0x${crypto.randomBytes(8).toString('hex')}`,
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

function der(dir: string, name: string): Buffer {
  const pem = fs.readFileSync(path.join(dir, `${name}.pem`), 'utf8');
  return new crypto.X509Certificate(pem).raw;
}

/** index.txt of `openssl ocsp`: every certificate the root issued, valid. */
function writeIndex(dir: string, names: string[]): void {
  const lines = names.map((name) => {
    const cert = new crypto.X509Certificate(fs.readFileSync(path.join(dir, `${name}.pem`)));
    const expiry = new Date(cert.validTo).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
    return ['V', expiry, '', cert.serialNumber, 'unknown', `/CN=${name}`].join('\t');
  });
  fs.writeFileSync(path.join(dir, 'index.txt'), lines.join('\n') + '\n');
}

/**
 * Waits for `openssl ocsp` to say it accepts connections. Not by connecting: a connection that
 * closes without a request leaves OpenSSL 3.0's responder stuck, answering nothing more.
 */
async function waitForAccept(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${seen}`)), 10_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!seen.includes('ACCEPT')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`openssl ocsp exited: ${seen}`)));
  });
}

export async function startTrustServices(): Promise<TrustServices> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-pki-'));
  const ocspPort = await freePort();
  const ocspUrl = `http://127.0.0.1:${ocspPort}`;
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'root.key',
    '-out',
    'root.pem',
    '-days',
    '3650',
    '-sha256',
    '-subj',
    '/CN=Shomei Test Root CA/O=Shomei Test',
    '-addext',
    'basicConstraints=critical,CA:true',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const aia = `authorityInfoAccess=OCSP;URI:${ocspUrl}\n`;
  issue(
    dir,
    'signer',
    '/CN=Test University Signer/O=Test University',
    `basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n${aia}`,
  );
  issue(
    dir,
    'tsa',
    '/CN=Test TSA/O=Shomei Test',
    `basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n${aia}`,
  );
  issue(
    dir,
    'ocsp',
    '/CN=Test OCSP Responder/O=Shomei Test',
    'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,OCSPSigning\nnoCheck=ignored\n',
  );
  writeIndex(dir, ['signer', 'tsa', 'ocsp']);
  fs.writeFileSync(path.join(dir, 'tsaserial'), '01\n');
  // A filler certificate with a 9 KB comment, for tokens larger than a TSA has sent before.
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'filler.key',
    '-out',
    'filler.pem',
    '-days',
    '30',
    '-subj',
    '/CN=Filler',
    '-addext',
    `nsComment=${'x'.repeat(9000)}`,
  );
  fs.writeFileSync(
    path.join(dir, 'bundle.pem'),
    fs.readFileSync(path.join(dir, 'root.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'filler.pem'), 'utf8'),
  );
  const section = (name: string, certs: string) => [
    `[ ${name} ]`,
    `dir = ${dir}`,
    'serial = $dir/tsaserial',
    'crypto_device = builtin',
    'signer_cert = $dir/tsa.pem',
    `certs = $dir/${certs}`,
    'signer_key = $dir/tsa.key',
    'signer_digest = sha256',
    'default_policy = 1.3.6.1.4.1.99999.1',
    'digests = sha256, sha384, sha512',
    'accuracy = secs:1',
    'ordering = yes',
    'tsa_name = yes',
    'ess_cert_id_chain = no',
    'ess_cert_id_alg = sha256',
  ];
  fs.writeFileSync(
    path.join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      ...section('tsa_config', 'root.pem'),
      ...section('tsa_big', 'bundle.pem'),
      '',
    ].join('\n'),
  );

  const ocsp = spawn(
    'openssl',
    [
      'ocsp',
      '-port',
      String(ocspPort),
      '-index',
      'index.txt',
      '-CA',
      'root.pem',
      '-rsigner',
      'ocsp.pem',
      '-rkey',
      'ocsp.key',
      '-nmin',
      '60',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitForAccept(ocsp);
  ocsp.stdout?.resume();
  ocsp.stderr?.resume();

  let stamps = 0;
  let failing = false;
  let big = false;
  let sequence = 0;
  const tsa = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failing || request.method !== 'POST') {
        response.writeHead(503).end();
        return;
      }
      const id = ++sequence;
      const query = path.join(dir, `q${id}.tsq`);
      const reply = path.join(dir, `r${id}.tsr`);
      fs.writeFileSync(query, Buffer.concat(chunks));
      run(
        'openssl',
        [
          'ts',
          '-reply',
          '-config',
          'tsa.cnf',
          ...(big ? ['-section', 'tsa_big'] : []),
          '-queryfile',
          query,
          '-out',
          reply,
        ],
        { cwd: dir },
      ).then(
        () => {
          stamps++;
          response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(fs.readFileSync(reply));
        },
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => tsa.listen(0, '127.0.0.1', resolve));
  const tsaUrl = `http://127.0.0.1:${(tsa.address() as net.AddressInfo).port}/tsa`;

  const key = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'signer.key')));
  const signer: KeySigner = {
    certificates: [der(dir, 'signer'), der(dir, 'root')],
    keyType: 'rsa',
    maxSignatureBytes: 256,
    sign: async (data) => crypto.sign('sha256', data, key),
  };

  return {
    dir,
    tsaUrl,
    ocspUrl,
    rootPem: path.join(dir, 'root.pem'),
    signer,
    stamps: () => stamps,
    failTsa: (fail) => {
      failing = fail;
    },
    bigTokens: (on) => {
      big = on;
    },
    stop: async () => {
      ocsp.kill();
      await new Promise<void>((resolve) => tsa.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
