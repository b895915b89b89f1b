import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/platform/clock.js';
import { type Harness, TestBrowser, startHarness } from './helpers/harness.js';

function runServer(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'development', SEED_DEMO: 'false', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('#3 start-up and readiness', () => {
  it('#3 an unreachable PostgreSQL stops the start with one clear line, password hidden', () => {
    const result = runServer({ DATABASE_URL: 'postgres://shomei:secret-pw@127.0.0.1:1/shomei', PORT: '0' });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('Cannot use the database at postgres://shomei:***@127.0.0.1:1/shomei');
    expect(result.stderr).not.toContain('secret-pw');
  });

  it('#2 a wrong setting stops the start naming the variable', () => {
    const result = runServer({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL');
  });

  it('#3 /readyz fails while the database is unreachable, /healthz still answers', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://shomei:x@127.0.0.1:1/none' });
    const database = openDatabase(config.databaseUrl, { connectTimeoutMs: 500 });
    const app = await buildApp({ config, database, clock: systemClock, secretKey: 'k'.repeat(40) });
    try {
      expect((await app.server.inject({ url: '/readyz' })).statusCode).toBe(503);
      expect((await app.server.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.server.close();
      await database.close();
    }
  });
});

describe('#3 X-Forwarded-For is believed only from configured proxies', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  async function failedLoginIp(env: Record<string, string>): Promise<string | null> {
    const h = await startHarness({ env });
    harnesses.push(h);
    const browser = new TestBrowser(h);
    await browser.get('/tu/login');
    await h.app.server.inject({
      method: 'POST',
      url: '/tu/login',
      payload: new URLSearchParams({
        _csrf: browser.csrf(),
        userId: 'nobody',
        password: 'x',
        secondPassword: '',
      }).toString(),
      headers: {
        cookie: [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '203.0.113.7',
      },
      remoteAddress: '127.0.0.1',
    });
    const row = await h.database.db
      .selectFrom('audit_log')
      .select('ip')
      .where('event', '=', 'login.failure')
      .executeTakeFirstOrThrow();
    return row.ip;
  }

  it('#3 without TRUST_PROXY the header is ignored (a client cannot pick its address)', async () => {
    expect(await failedLoginIp({})).toBe('127.0.0.1');
  });

  it('#3 with TRUST_PROXY naming the proxy the client address comes from the header', async () => {
    expect(await failedLoginIp({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.7');
  });
});
