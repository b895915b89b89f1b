import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealMail } from '../src/features/mail/mail.seal.js';
import { newId } from '../src/platform/crypto.js';
import { AppError } from '../src/platform/errors.js';
import { checkAtStart } from '../src/runtime.js';
import { type Harness, startHarness } from './helpers/harness.js';

describe('#13 one university with bad stored settings is refused alone', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.tenants.create({ slug: 'broken', name: { ja: '壊れた大学', en: 'Broken University' } });
    // What hand-written SQL left behind: a directory the schema refuses (an http:// URL, no bind settings).
    await h.database.db
      .updateTable('tenants')
      .set({ directory: JSON.stringify({ kind: 'ldap', urls: ['http://ldap.example.ac.jp'] }) })
      .where('slug', '=', 'broken')
      .execute();
  });

  afterAll(async () => {
    await h.close();
  });

  it('#13 its pages answer 503; another university and / answer 200', async () => {
    const broken = await h.app.server.inject({ url: '/broken/login' });
    expect(broken.statusCode).toBe(503);
    expect(broken.body).toContain('この大学のページは利用できません');
    expect((await h.app.server.inject({ url: '/tu/login' })).statusCode).toBe(200);
    const index = await h.app.server.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('/tu/');
    expect(index.body).not.toContain('/broken/');
  });

  it('#13 start-up goes on and logs the reason; readiness counts it', async () => {
    const lines: Array<{ msg: string; tenant?: string; reason?: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const started = await checkAtStart(h.app.services, log);
    expect(started.slugs).toEqual(['broken', 'tu']);
    const logged = lines.find((line) => line.tenant === 'broken');
    expect(logged?.reason).toMatch(/^directory/);
    const ready = await h.app.server.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', universities: { ok: 1, invalid: 1 } });
  });

  it('#13 settings are validated when written: a bad directory is refused with what is wrong', async () => {
    const refusal = await h.tenants
      .create({
        slug: 'refused',
        name: { ja: '拒否', en: 'Refused' },
        directory: { kind: 'ldap', urls: ['http://x'] } as never,
      })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('tenant_settings_invalid');
    expect((refusal as AppError).options.detail).toContain('directory.urls.0');
    expect(await h.uow.repos.tenants.loadBySlug('refused')).toBeUndefined();
  });
});

describe('#13 a database outage shows the university’s inquiry block', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.close();
  });

  it('#13 readiness reports the age of the oldest queued key mail, without names', async () => {
    expect((await h.app.server.inject({ url: '/readyz' })).json()).toMatchObject({
      status: 'ready',
      mail: { oldestQueuedKeyMailSeconds: null },
    });
    await h.app.services.mailWorker.stop();
    await h.uow.repos.outbox.enqueue(
      {
        id: newId(),
        tenantId: h.tenant.id,
        event: 'auth.key',
        to: 'late@example.ac.jp',
        priority: 'urgent',
        ...sealMail(h.app.services.box, { subject: 'key', text: '123456', html: '<p>123456</p>' }),
      },
      h.clock.now(),
    );
    h.clock.advance(90_000);
    const ready = await h.app.server.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', mail: { oldestQueuedKeyMailSeconds: 90 } });
    expect(ready.body).not.toContain('late@');
  });

  it('#13 503 with the last known inquiry block when the database does not answer; no dangling reference without a university', async () => {
    expect((await h.app.server.inject({ url: '/tu/login' })).statusCode).toBe(200);
    const tenants = h.uow.repos.tenants;
    const original = tenants.loadBySlug.bind(tenants);
    // What node-postgres says when the server does not accept the connection in time.
    tenants.loadBySlug = () => Promise.reject(new Error('Connection terminated due to connection timeout'));
    try {
      for (const lang of ['en', 'ja'] as const) {
        const page = await h.app.server.inject({ url: `/tu/login?lang=${lang}` });
        expect(page.statusCode).toBe(503);
        expect(page.body).toContain(lang === 'en' ? 'Test University call centre' : 'テスト大学 コールセンター');
        expect(page.body).toContain(lang === 'en' ? '+81-3-0000-0000' : '03-0000-0000');
      }
      const unknown = await h.app.server.inject({ url: '/never-seen/login?lang=en' });
      expect(unknown.statusCode).toBe(503);
      expect(unknown.body).not.toContain('below');
    } finally {
      tenants.loadBySlug = original;
    }
  });
});
