import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { order } from './factories/order.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certificateCommands } from '../src/cli/certificate.commands.js';
import type { CliContext } from '../src/cli/command.js';
import { seedDemoCatalogue } from '../src/dev/demo/demo-catalogue.js';
import { operatorActor } from '../src/platform/actor.js';
import { checkAtStart } from '../src/runtime.js';
import { type Harness, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import { issuancePolicy, orderingStudent, registerTerminal, terminalCall } from './helpers/orders.js';
import { makeKeyFixture } from './helpers/signing-keys.js';

const quiet = pino({ enabled: false });

/** The fixtures' certificates are valid from the real time they are made; the harness clock starts earlier. */
function clockToNow(h: Harness): void {
  h.clock.advance(Date.now() + 60 * 60 * 1000 - h.clock.now());
}

describe('#9 §3 the verification page publishes the signing certificates; signer import from the CLI', () => {
  let h: Harness;
  let work: string;

  beforeAll(async () => {
    h = await startHarness();
    clockToNow(h);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-signer-cli-'));
  });
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await h.close();
  });

  async function cli(name: string, values: Record<string, string>, env: Record<string, string> = {}) {
    const command = certificateCommands.find((each) => each.name === name)!;
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const warn = vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
    Object.assign(process.env, env);
    try {
      const context = {
        services: h.app.services,
        tenantBySlug: async () => h.tenant,
        resolvePath: (file: string) => path.resolve(work, file),
      } as unknown as CliContext;
      const code = await (command.run as (c: CliContext, v: Record<string, string>) => Promise<number | 'usage'>)(
        context,
        values,
      );
      return { code, out: lines.join('\n') };
    } finally {
      log.mockRestore();
      warn.mockRestore();
      for (const key of Object.keys(env)) delete process.env[key];
    }
  }

  it('#9 shomei signer import names what is wrong with an expired certificate and keeps the key; an ECDSA key is imported and its fingerprint printed; signer list shows both', async () => {
    await h.app.services.signingKeys.current(h.tenant);
    const expired = makeKeyFixture({ key: { ec: 'P-256' }, days: 1 });
    fs.writeFileSync(path.join(work, 'expired.p12'), expired.p12);
    h.clock.advance(3 * 24 * 60 * 60 * 1000);
    await expect(
      cli('signer import', { tenant: 'tu', p12: 'expired.p12' }, { SHOMEI_P12_PASSPHRASE: expired.passphrase }),
    ).rejects.toMatchObject({ code: 'signer_invalid', options: { detail: expect.stringMatching(/expired on/) } });
    clockToNow(h);

    const ec = makeKeyFixture({ key: { ec: 'P-384' } });
    fs.writeFileSync(path.join(work, 'ec.p12'), ec.p12);
    const imported = await cli(
      'signer import',
      { tenant: 'tu', p12: 'ec.p12' },
      { SHOMEI_P12_PASSPHRASE: ec.passphrase },
    );
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(`SHA-256 fingerprint: ${ec.fingerprint}`);
    expect(imported.out).toContain('warning: the certificate is self-signed');

    const listed = await cli('signer list', { tenant: 'tu' });
    expect(listed.out.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${ec.fingerprint}  current  CN=Fixture University Signing`)),
      expect.stringMatching(/^[0-9A-F:]{95}  retired \S+ \(development\)  CN=Test University \(development\)/),
    ]);
  });

  it('#9 the verify page links to the signing certificates: current and past, SHA-256 fingerprints, ISO validity, in ja and en', async () => {
    const history = await h.app.services.signingKeys.history(h.tenant);
    expect(history.length).toBeGreaterThanOrEqual(2);
    for (const lang of ['ja', 'en'] as const) {
      const browser = new TestBrowser(h, { lang });
      const verify = await browser.get('/tu/verify');
      expect(verify.body).toContain('href="/tu/verify/signers"');
      const page = await browser.get('/tu/verify/signers');
      expect(page.status).toBe(200);
      const text = textOf(page.body);
      for (const cert of history) expect(text).toContain(cert.fingerprintSha256.toUpperCase().match(/../g)!.join(':'));
      expect(text).toContain(lang === 'ja' ? '使用中' : 'In use');
      expect(text).toContain(lang === 'ja' ? '以前に使用' : 'Used before');
      expect(text).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ – \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    }
  });
});

describe('#9 §3 in production a university without its own key is reported, never given a development key', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      policy: issuancePolicy,
      env: {
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://shomei.test',
        SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('#9 a terminal is refused before payment (503 signer_unavailable, its contract) and the reservation stays unpaid', async () => {
    await h.uow.run(operatorActor(h.tenant.id), async (repos) => seedDemoCatalogue(repos, h.tenant.id));
    const student = await orderingStudent(h, 'en');
    // The order form itself refuses first (C-11: the signer is checked when the order is placed).
    const form = await student.browser.post(
      '/tu/orders/new?destination=campus',
      { 'copies-enrollment-ja': '1' },
      { follow: true },
    );
    expect(form.status).toBe(503);
    expect(form.body).toContain('Nothing has been charged');
    // A reservation placed before the key was found missing is refused at the terminal, before money.
    const placed = order(h.tenant.id, {
      studentNumber: student.record.studentNumber,
      createdAt: h.clock.now(),
      updatedAt: h.clock.now(),
      reservationExpiresAt: h.clock.now() + 7 * 86_400_000,
    });
    await h.uow.repos.orders.insert(placed);
    const number = placed.reservationNumber!;
    const terminal = await registerTerminal(h, 'campus', h.tenant.id);
    const refused = await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({ error: 'signer_unavailable' });
    expect((await h.uow.repos.orders.findByReservationNumber(number))?.state).toBe('reserved');
  });

  it('#9 start-up names the university and what to do, /readyz counts it unusable, and no key is made', async () => {
    const started = await checkAtStart(h.app.services, quiet);
    expect(started.signers.unusable).toEqual([{ slug: 'tu', reason: expect.stringContaining('shomei signer import') }]);
    expect(await h.uow.repos.signingKeys.find(h.tenant.id)).toBeUndefined();
    const ready = await h.app.server.inject({ url: '/readyz' });
    expect(ready.json()).toMatchObject({ status: 'degraded', signers: { usable: 0, unusable: 1 } });

    clockToNow(h);
    await h.app.services.signingKeys.importPkcs12(
      h.tenant,
      makeKeyFixture({ key: { ec: 'P-256' } }).p12,
      'fixture-passphrase',
      {
        tenantId: h.tenant.id,
        kind: 'operator',
        accountId: null,
        ip: null,
        userAgent: 'test',
        lang: 'en',
        binding: '',
      },
    );
    expect((await checkAtStart(h.app.services, quiet)).signers.unusable).toEqual([]);
  });
});
