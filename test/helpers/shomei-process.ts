import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './throwaway-postgres.js';

export interface ShomeiProcess {
  readonly process: ChildProcess;
  readonly base: string;
  /** SIGTERM, and wait for it to end (a no-op once it has ended). */
  stop(): Promise<void>;
}

/** A real Shomei server (`src/server.ts`) in a process of its own, ready when `/readyz` says so. */
export async function startShomei(env: { DATABASE_URL: string; SMTP_URL: string }): Promise<ShomeiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      SECRET_KEY: 'fault-test-secret-key-0123456789abcdef-0123',
      PUBLIC_URL: 'http://shomei.test',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { process: child, base, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error('Shomei did not start');
}
