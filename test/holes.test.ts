import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, TestBrowser, startHarness, uniqueEmail } from './helpers/harness.js';
import { readyStudent } from './helpers/accounts.js';

/** The smaller holes of #8 §5, each through HTTP or the services the CLI uses. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('#8 /forgot does the same work for any address', () => {
  /** How often each step of a reset request ran while `act` did. */
  async function workDone(act: () => Promise<unknown>): Promise<Record<string, number>> {
    const { services } = h.app;
    const spies = {
      transactions: vi.spyOn(services.uow, 'run'),
      links: vi.spyOn(services.flows, 'startWithLink'),
      mails: vi.spyOn(services.mailer, 'queue'),
      secretHashes: vi.spyOn(services.secrets, 'hash'),
      lookups: vi.spyOn(services.uow.repos.accounts, 'findByVerifiedEmail'),
    };
    try {
      await act();
      return Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]));
    } finally {
      for (const spy of Object.values(spies)) spy.mockRestore();
    }
  }

  it('#8 an unknown address costs what a registered one costs, and leaves no link and no mail', async () => {
    const student = await readyStudent(h, new TestBrowser(h, { lang: 'en', ip: '10.81.0.1' }));
    const ask = (address: string, ip: string) => async () => {
      const browser = new TestBrowser(h, { lang: 'en', ip });
      await browser.get('/tu/forgot');
      const answer = await browser.post('/tu/forgot', { address }, { follow: false });
      expect(answer.location).toBe('/tu/forgot/sent');
    };
    const nobody = uniqueEmail('nobody');
    const known = await workDone(ask(student.email, '10.81.0.2'));
    const unknown = await workDone(ask(nobody, '10.81.0.3'));
    expect(known.links).toBe(1);
    expect(unknown).toEqual(known);

    await h.flushMail();
    const outbox = await h.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', nobody).execute();
    expect(outbox).toEqual([]);
    const flows = await h.database.db
      .selectFrom('flows')
      .select('id')
      .where('kind', '=', 'second_password_reset')
      .execute();
    expect(flows).toHaveLength(1);
  });
});
