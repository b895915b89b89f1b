/**
 * A real PKCS#11 token for the HSM signer's tests (#9 §3): SoftHSM2 with its token directory in a
 * temporary folder (SOFTHSM2_CONF), keys imported with softhsm2-util and certificates written with
 * pkcs11-tool (opensc). Absent on a developer's machine the tests skip, naming what to install;
 * under CI=true they fail instead.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'vitest';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const tools = ['/usr/bin/softhsm2-util', '/usr/bin/pkcs11-tool', SOFTHSM_MODULE];

export function needsSoftHsm(context: TestContext): void {
  const missing = tools.filter((tool) => !fs.existsSync(tool));
  if (missing.length === 0) return;
  const reason = `${missing.join(', ')} missing: install softhsm2 and opensc`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true never skips)`);
  context.skip(reason);
}

export interface SoftHsmToken {
  label: string;
  pin: string;
  /** Imports a PKCS#8 PEM private key under `label`. */
  importKey(keyPem: string, label: string, id: string): void;
  /** Stores a PEM certificate on the token under `label`, beside its key. */
  writeCertificate(certificatePem: string, label: string, id: string): void;
  remove(): void;
}

/**
 * A fresh token in a folder of its own. SOFTHSM2_CONF is set for this process, since the module
 * reads it when the signer first initialises it: one token folder per test file.
 */
export function createSoftHsmToken(label = 'shomei-test', pin = '123456'): SoftHsmToken {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-softhsm-'));
  fs.mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const run = (tool: string, args: string[]) => execFileSync(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '87654321']);
  const file = (name: string, content: string | Buffer) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, content);
    return at;
  };
  return {
    label,
    pin,
    importKey(keyPem, keyLabel, id) {
      run('softhsm2-util', [
        '--import',
        file('key.pem', keyPem),
        '--token',
        label,
        '--label',
        keyLabel,
        '--id',
        id,
        '--pin',
        pin,
      ]);
      fs.rmSync(path.join(dir, 'key.pem'));
    },
    writeCertificate(certificatePem, certLabel, id) {
      const der = Buffer.from(certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      run('pkcs11-tool', [
        '--module',
        SOFTHSM_MODULE,
        '--token-label',
        label,
        '--login',
        '--pin',
        pin,
        '--write-object',
        file('cert.der', der),
        '--type',
        'cert',
        '--label',
        certLabel,
        '--id',
        id,
      ]);
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
