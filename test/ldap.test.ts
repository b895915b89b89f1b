import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LdapDirectoryConfig } from '../src/features/tenants/tenant.model.js';
import { type Harness, TestBrowser, startHarness, textOf, uniqueEmail } from './helpers/harness.js';
import { LDAP_BASE, SERVICE_DN, SERVICE_PASSWORD, TestLdapServer, describeLdap } from './helpers/ldap.js';
import { urlIn } from './helpers/smtp.js';

let h: Harness;
let ldap: TestLdapServer;
let ip = 10;

const studentFilter = '(employeeType=student)';

function templateConfig(overrides: Partial<LdapDirectoryConfig> = {}): LdapDirectoryConfig {
  return {
    kind: 'ldap',
    urls: [ldap.url],
    startTls: false,
    bindDnTemplate: `uid={user},ou=students,${LDAP_BASE}`,
    userIdAttribute: 'uid',
    filter: studentFilter,
    connectTimeoutMs: 1_000,
    timeoutMs: 2_000,
    ...overrides,
  };
}

function searchConfig(overrides: Partial<LdapDirectoryConfig> = {}): LdapDirectoryConfig {
  return {
    kind: 'ldap',
    urls: [ldap.url],
    startTls: false,
    search: { baseDn: LDAP_BASE, serviceBindDn: SERVICE_DN, serviceBindPassword: SERVICE_PASSWORD },
    userIdAttribute: 'uid',
    filter: studentFilter,
    connectTimeoutMs: 1_000,
    timeoutMs: 2_000,
    ...overrides,
  };
}

let slug = 0;
async function ldapTenant(directory: LdapDirectoryConfig): Promise<string> {
  const tenant = await h.tenants.create({
    slug: `ldap${++slug}`,
    name: { ja: 'LDAP大学', en: 'LDAP University' },
    directory,
  });
  return tenant.slug;
}

/** Posts the login form from a fresh browser (its own address, so rate limits do not mix). */
async function login(tenantSlug: string, userId: string, password: string, lang: 'en' | 'ja' = 'en') {
  const browser = new TestBrowser(h, { lang, ip: `10.0.0.${++ip}` });
  await browser.get(`/${tenantSlug}/login`);
  const page = await browser.post(`/${tenantSlug}/login`, { userId, password, secondPassword: '' }, { follow: false });
  return { browser, page };
}

beforeAll(async () => {
  h = await startHarness();
  ldap = new TestLdapServer();
  await ldap.start();
});
afterAll(async () => {
  await h?.close();
  await ldap?.destroy();
});

describeLdap('#3 L-2 LDAP directory against a real slapd', () => {
  it.each([
    ['bind-DN template', templateConfig],
    ['search then bind with a service account', searchConfig],
  ])('L-2 %s: right password passes, wrong password and unknown user get the one message', async (_name, make) => {
    const tenant = await ldapTenant(make());
    const right = await login(tenant, 'taro', 'Taro-Univ-pass1');
    expect(right.page.status).toBe(303);
    expect(right.page.location).toMatch(new RegExp(`^/${tenant}/mail-address\\?flow=`));

    const wrong = await login(tenant, 'taro', 'not-the-password');
    const unknown = await login(tenant, 'nobody', 'Taro-Univ-pass1');
    expect(wrong.page.status).toBe(401);
    expect(unknown.page.status).toBe(401);
    const message = 'The User ID, Password or Second password is incorrect.';
    expect(textOf(wrong.page.body)).toContain(message);
    expect(textOf(unknown.page.body)).toContain(message);
  });

  it('L-2 an empty password is never an (anonymous) login', async () => {
    const tenant = await ldapTenant(templateConfig());
    const browser = new TestBrowser(h, { ip: '10.1.0.1' });
    await browser.get(`/${tenant}/login`);
    const page = await browser.post(
      `/${tenant}/login`,
      { userId: 'taro', password: '', secondPassword: '' },
      { follow: false },
    );
    expect(page.status).toBe(422);
  });

  it.each([
    ['bind-DN template', templateConfig],
    ['search then bind', searchConfig],
  ])('L-2 %s: the filter keeps staff out even with the right password', async (_name, make) => {
    const tenant = await ldapTenant(
      make(make === templateConfig ? { bindDnTemplate: `uid={user},ou=staff,${LDAP_BASE}` } : {}),
    );
    const staff = await login(tenant, 'professor', 'Prof-Univ-pass4');
    expect(staff.page.status).toBe(401);
  });

  it.each(['*', 'taro)(uid=*', '*)(|(uid=*', 'taro\\2a', 'ta*', 'taro,ou=staff', 'uid=taro', 'taro\u0000'])(
    '#3 injection attempt %j in the user ID logs nobody in (RFC 4515 / 4514 escaping)',
    async (userId) => {
      for (const make of [searchConfig, templateConfig]) {
        const tenant = await ldapTenant(make());
        const attempt = await login(tenant, userId, 'Taro-Univ-pass1');
        expect(attempt.page.status).toBe(401);
      }
    },
  );

  it('#3 a real user ID with filter metacharacters logs in with its own password', async () => {
    for (const make of [searchConfig, templateConfig]) {
      const tenant = await ldapTenant(make());
      const attempt = await login(tenant, 'o*brien(x)', 'Odd-Univ-pass5');
      expect(attempt.page.status).toBe(303);
    }
  });

  it('L-2 the directory spells the user ID: TARO and taro are one account', async () => {
    const tenant = await ldapTenant(searchConfig());
    await login(tenant, 'TARO', 'Taro-Univ-pass1');
    await login(tenant, 'taro', 'Taro-Univ-pass1');
    const rows = await h.database.db
      .selectFrom('accounts')
      .innerJoin('tenants', 'tenants.id', 'accounts.tenant_id')
      .select('user_id')
      .where('tenants.slug', '=', tenant)
      .execute();
    expect(rows.map((r) => r.user_id)).toEqual(['taro']);
  });

  it('#3 Active Directory user@domain form: the student types the UPN, search matches it', async () => {
    const tenant = await ldapTenant(searchConfig({ userIdAttribute: 'mail' }));
    const upn = await login(tenant, 'taro@ad.example.ac.jp', 'Taro-Univ-pass1');
    expect(upn.page.status).toBe(303);
  });

  it('#3 LDAPS with the tenant CA bundle; StartTLS with the CA bundle; a directory with an unknown CA is refused', async () => {
    const ldaps = await ldapTenant(templateConfig({ urls: [ldap.ldapsUrl], caCertPem: ldap.caPem }));
    expect((await login(ldaps, 'hanako', 'Hanako-Univ-pass2')).page.status).toBe(303);
    const startTls = await ldapTenant(searchConfig({ startTls: true, caCertPem: ldap.caPem }));
    expect((await login(startTls, 'hanako', 'Hanako-Univ-pass2')).page.status).toBe(303);
    const untrusted = await ldapTenant(templateConfig({ urls: [ldap.ldapsUrl] }));
    const refused = await login(untrusted, 'hanako', 'Hanako-Univ-pass2');
    expect(refused.page.status).toBe(503);
  });

  it('#3 failover: the first server is down, the second answers', async () => {
    const tenant = await ldapTenant(templateConfig({ urls: ['ldap://127.0.0.1:9', ldap.url] }));
    expect((await login(tenant, 'jiro', 'JiroUniv2026')).page.status).toBe(303);
  });

  it('L-5 #3 the second password may not be the university password of an LDAP student', async () => {
    const tenant = await ldapTenant(templateConfig());
    const email = uniqueEmail('jiro');
    const { browser, page } = await login(tenant, 'jiro', 'JiroUniv2026');
    await browser.get(page.location!);
    const since = h.smtp.count();
    await browser.post(page.location!, { address: email, check: email });
    const link = urlIn(await h.smtp.waitFor(email, { since }));
    await browser.get(`${link.pathname}${link.search}`);
    await browser.post(`/${tenant}/mail-address/confirm`, { token: link.searchParams.get('token')! });

    await browser.get(`/${tenant}/login`);
    const setup = await browser.post(
      `/${tenant}/login`,
      { userId: 'jiro', password: 'JiroUniv2026', secondPassword: '' },
      { follow: false },
    );
    expect(setup.location).toMatch(/second-password\/setup/);
    await browser.get(setup.location!);
    const same = await browser.post(setup.location!, { secondPassword: 'JiroUniv2026', check: 'JiroUniv2026' });
    expect(same.status).toBe(422);
    expect(textOf(same.body)).toContain('Do not set the password you use at your university as the second password.');
    const other = await browser.post(setup.location!, { secondPassword: 'Shomei2026Jr', check: 'Shomei2026Jr' });
    expect(other.status).toBe(200);
    expect(textOf(other.body)).toContain('Setting the second password complete');
  });

  it('#3 directory stopped mid-test: a clear "not answering" page (503, both languages), never a 500 or a hang; back when it returns', async () => {
    const tenant = await ldapTenant(templateConfig());
    expect((await login(tenant, 'taro', 'Taro-Univ-pass1')).page.status).toBe(303);
    await ldap.stop();
    try {
      const en = await login(tenant, 'taro', 'Taro-Univ-pass1', 'en');
      expect(en.page.status).toBe(503);
      expect(textOf(en.page.body)).toContain("The university's system is not answering");
      const ja = await login(tenant, 'taro', 'Taro-Univ-pass1', 'ja');
      expect(ja.page.status).toBe(503);
      expect(textOf(ja.page.body)).toContain('大学のシステムが応答していません');
    } finally {
      await ldap.start();
    }
    expect((await login(tenant, 'taro', 'Taro-Univ-pass1')).page.status).toBe(303);
  });

  it('#3 a directory that accepts the connection but never answers times out into the same page', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const tenant = await ldapTenant(
        templateConfig({ urls: [`ldap://127.0.0.1:${port}`], timeoutMs: 500, connectTimeoutMs: 500 }),
      );
      const stuck = await login(tenant, 'taro', 'Taro-Univ-pass1');
      expect(stuck.page.status).toBe(503);
    } finally {
      silent.close();
    }
  });
});
