import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { type Harness, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import { say } from './helpers/accounts.js';
import { type EnrolledStaff, enrolWithTotp, invite, logInStaff, totpCode } from './helpers/staff.js';
import { postFiles } from './helpers/staff-uploads.js';
import { makeKeyFixture } from './helpers/signing-keys.js';

let h: Harness;
let other: Tenant;
let admin: EnrolledStaff;
let registrar: EnrolledStaff;
let registrarJa: EnrolledStaff;
let outsider: EnrolledStaff;

beforeAll(async () => {
  h = await startHarness();
  other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' }, enabled: false });
  const enrol = async (tenant: Tenant, email: string, role: 'registrar' | 'administrator', lang: 'ja' | 'en') =>
    enrolWithTotp(h, await invite(h, tenant, email, role), email, email.split('@')[0]!, lang);
  admin = await enrol(h.tenant, 'admin@tu.example.ac.jp', 'administrator', 'en');
  registrar = await enrol(h.tenant, 'registrar@tu.example.ac.jp', 'registrar', 'en');
  registrarJa = await enrol(h.tenant, 'kyomu@tu.example.ac.jp', 'registrar', 'ja');
  outsider = await enrol(other, 'admin@ou.example.ac.jp', 'administrator', 'en');
}, 60_000);
afterAll(async () => {
  await h.close();
});

const studentHeader =
  'student_number,user_id,name_kanji,name_kana,name_roman,birth_date,faculty_ja,faculty_en,department_ja,department_en,year,program_years,status,admission_date,expected_graduation_date,credits_earned,gpa';

/** A well-formed roster row for student `n`; `department` pads the row when a test needs a large file. */
function studentRow(n: number, department = 'Department of Japanese Literature'): string {
  const id = String(n).padStart(6, '0');
  return `S${id},u${id},山田 太郎,ヤマダ タロウ,YAMADA Taro,2004-06-14,文学部,Faculty of Letters,日本文学科,"${department}",4,4,enrolled,2023-04-01,2027-03-31,98,3.12`;
}

function roster(rows: string[]): string {
  return `${[studentHeader, ...rows].join('\n')}\n`;
}

const coursesCsv =
  'student_number,academic_year,term_ja,term_en,course_ja,course_en,credits,grade\n' +
  'S000001,2023,前期,Spring,日本語学概論,Introduction to Japanese Linguistics,2,S\n' +
  'S000002,2023,後期,Fall,源氏物語研究,Studies in The Tale of Genji,2,優\n';

async function upload(staff: EnrolledStaff, files: Record<string, string | Buffer>) {
  await staff.browser.get('/tu/staff/imports');
  return postFiles(h, staff.browser, '/tu/staff/imports', {}, files);
}

/** Waits for the background import this instance runs, then reads its page. */
async function settled(staff: EnrolledStaff, page: string) {
  await h.app.services.recordsImports.idle();
  return staff.browser.get(page);
}

async function studentCount(tenantId = h.tenant.id): Promise<number> {
  return h.uow.repos.records.count(tenantId);
}

describe('#12 A-4 imports in the console', () => {
  it('#12 A-4 the dry run lists every bad row with its line, column and reason in the staff member’s language; nothing is written', async () => {
    const bad = roster([
      studentRow(101),
      studentRow(102).replace('ヤマダ タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'),
      studentRow(103).replace('2004-06-14', '2004-02-30'),
      studentRow(101).replace('u000101', 'u000199'),
    ]);
    const before = await studentCount();
    for (const [staff, lang] of [
      [registrarJa, 'ja'],
      [registrar, 'en'],
    ] as const) {
      const posted = await upload(staff, { students: bad });
      expect(posted.status).toBe(303);
      expect(posted.location).toMatch(/^\/tu\/staff\/imports\/[^/?]+$/);
      const report = await staff.browser.get(posted.location!);
      expect(report.status).toBe(200);
      const text = textOf(report.body);
      expect(text).toContain(say(lang, 'imports.state.checked.title'));
      expect(text).toContain(say(lang, 'imports.issue.not_katakana', { column: 'name_kana', value: 'ﾔﾏﾀﾞ ﾀﾛｳ' }));
      expect(text).toContain(say(lang, 'imports.issue.invalid_date', { column: 'birth_date', value: '2004-02-30' }));
      expect(text).toContain(say(lang, 'imports.issue.duplicate', { value: 'S000101', first: 2 }));
      // Lines as in the file: the header is line 1.
      expect(report.body).toMatch(/<td data-label="[^"]+">3<\/td>\s*<td data-label="[^"]+">name_kana<\/td>/);
      expect(report.body).not.toContain('name="hash"');
    }
    expect(await studentCount()).toBe(before);
  });

  it('#12 A-4 a clean dry run, then apply: every row written in one go, with progress, audited with the staff member', async () => {
    const posted = await upload(registrar, {
      students: roster([studentRow(1), studentRow(2), studentRow(3)]),
      courses: coursesCsv,
    });
    const report = await registrar.browser.get(posted.location!);
    expect(textOf(report.body)).toContain('3 students (3 new, 0 updated)');
    expect(textOf(report.body)).toContain('2 courses for 2 students');
    expect(await h.uow.repos.records.findByUserId(h.tenant.id, 'u000001')).toBeUndefined();
    const hash = /name="hash" value="([0-9a-f]{64})"/.exec(report.body)![1]!;
    // The checkbox is the confirmation the server checks.
    const unconfirmed = await registrar.browser.post(`${posted.location}/apply`, { hash }, { follow: false });
    expect(unconfirmed.status).toBe(422);
    expect(textOf(unconfirmed.body)).toContain(say('en', 'imports.errors.confirmRequired'));
    expect(await h.uow.repos.records.findByUserId(h.tenant.id, 'u000001')).toBeUndefined();

    const applied = await registrar.browser.post(
      `${posted.location}/apply`,
      { hash, confirm: 'yes' },
      { follow: 'never' },
    );
    expect(applied.location).toBe(posted.location);
    const done = await settled(registrar, posted.location!);
    expect(textOf(done.body)).toContain(say('en', 'imports.state.applied.title'));
    expect(done.headers.refresh).toBeUndefined();
    expect(await h.uow.repos.records.findByUserId(h.tenant.id, 'u000001')).toMatchObject({ studentNumber: 'S000001' });
    expect(await h.uow.repos.records.countCourses(h.tenant.id)).toBe(2);
    const entry = (await h.uow.repos.auditLog.list(h.tenant.id, { limit: 50 })).find(
      (e) => e.event === 'records.imported',
    );
    expect(entry?.detail).toMatchObject({ students: { rows: 3, created: 3 } });
    // Sent again (Back, reload): nothing more happens.
    await registrar.browser.get(posted.location!);
    const again = await registrar.browser.post(
      `${posted.location}/apply`,
      { hash, confirm: 'yes' },
      { follow: 'never' },
    );
    expect(again.location).toBe(posted.location);
  });

  it('#12 A-4 only what was checked is applied: another hash, another member, browser or university finds nothing', async () => {
    const posted = await upload(registrar, { students: roster([studentRow(11)]) });
    const page = posted.location!;
    const report = await registrar.browser.get(page);
    const hash = /name="hash" value="([0-9a-f]{64})"/.exec(report.body)![1]!;
    const wrong = await registrar.browser.post(
      `${page}/apply`,
      { hash: '0'.repeat(64), confirm: 'yes' },
      { follow: 'never' },
    );
    expect(wrong.location).toBe(`${page}?notice=changed`);
    await h.app.services.recordsImports.idle();
    expect(await h.uow.repos.records.findByUserId(h.tenant.id, 'u000011')).toBeUndefined();

    // The same university's other registrar, the administrator, and a fresh browser of the member's.
    for (const someone of [registrarJa.browser, admin.browser]) {
      const csrf = someone.csrf((await someone.get('/tu/staff')).body);
      expect((await someone.get(page, { follow: false })).status).toBe(404);
      expect((await someone.post(`${page}/apply`, { hash, confirm: 'yes' }, { follow: 'never', csrf })).status).toBe(
        404,
      );
    }
    // Another university's administrator: no session here, and its own console knows no such import.
    expect((await outsider.browser.get(page, { follow: false })).location).toMatch(/^\/tu\/staff\/login\?notice=/);
    const csrf = outsider.browser.csrf((await outsider.browser.get('/ou/staff')).body);
    expect((await outsider.browser.get(page.replace('/tu/', '/ou/'), { follow: false })).status).toBe(404);
    expect(
      (
        await outsider.browser.post(
          `${page.replace('/tu/', '/ou/')}/apply`,
          { hash, confirm: 'yes' },
          { follow: 'never', csrf },
        )
      ).status,
    ).toBe(404);
    // No session at all: the login.
    const anonymous = new TestBrowser(h, { lang: 'en' });
    expect((await anonymous.get('/tu/staff/imports', { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
    expect((await anonymous.get(page, { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
    expect(await h.uow.repos.records.findByUserId(h.tenant.id, 'u000011')).toBeUndefined();
    expect(await studentCount(other.id)).toBe(0);

    // The owner still can.
    await registrar.browser.get(page);
    await registrar.browser.post(`${page}/apply`, { hash, confirm: 'yes' }, { follow: 'never' });
    await settled(registrar, page);
    expect(await h.uow.repos.records.findByUserId(h.tenant.id, 'u000011')).toBeDefined();
  });

  it('#12 A-4 no file chosen: the form says so (422), in Japanese too', async () => {
    const posted = await upload(registrarJa, {});
    expect(posted.status).toBe(303);
    const page = await registrarJa.browser.get(posted.location!);
    expect(page.status).toBe(422);
    expect(textOf(page.body)).toContain(say('ja', 'imports.errors.fileRequired'));
  });

  it('#12 A-4 a 20,000-row roster over the app’s 5 MB upload limit with one bad row: reported, nothing written', async () => {
    const padded =
      'Department of Japanese Language, Literature and Culture (Graduate Programme, Evening Course, Second Campus)';
    const rows = Array.from({ length: 20_000 }, (_, i) => studentRow(100_000 + i, padded));
    rows[12_345] = rows[12_345]!.replace(',4,4,enrolled,', ',9,4,enrolled,');
    const file = Buffer.from(roster(rows));
    expect(file.length).toBeGreaterThan(5 * 1024 * 1024);
    const before = await studentCount();
    const posted = await upload(registrar, { students: file });
    expect(posted.status).toBe(303);
    const report = await registrar.browser.get(posted.location!);
    const text = textOf(report.body);
    expect(text).toContain('19999 students (19999 new, 0 updated)');
    expect(text).toContain(say('en', 'imports.problemsTitle', { count: 1 }));
    expect(text).toContain(say('en', 'imports.issue.out_of_range', { column: 'year', min: 1, max: 4, value: '9' }));
    expect(report.body).toContain('>12347</td>');
    expect(report.body).not.toContain('name="hash"');
    expect(await studentCount()).toBe(before);
  }, 30_000);
});

/** A terminal API call with `credential` (`id.secret`): 401 when refused, 404 for an unknown reservation once accepted. */
async function terminalStatus(credential: string): Promise<number> {
  const response = await h.app.server.inject({
    method: 'GET',
    url: '/api/v1/terminal/reservations/000000000000',
    headers: {
      authorization: `Bearer ${credential}`,
      'x-store-id': '0001',
      'x-machine-id': 'mc-1',
      'x-transaction-id': `t-${Math.random()}`,
    },
  });
  return response.statusCode;
}

/** The second factor again, when the console asks for it (requireRecentAuth). */
async function reauthenticate(staff: EnrolledStaff, page: { location: string | undefined }) {
  expect(page.location).toMatch(/^\/[a-z]+\/staff\/reauth\?next=/);
  await staff.browser.get(page.location!);
  h.clock.advance(30_000);
  const done = await staff.browser.post(page.location!, { code: totpCode(h, staff.secret) }, { follow: 'never' });
  expect(done.status).toBe(303);
}

describe('#12 A-9 terminals in the console', () => {
  it('#12 A-9 create shows the secret once; rotate refuses the old secret and accepts the new; deactivate after the second factor again; all audited with the administrator', async () => {
    const b = admin.browser;
    const list = await b.get('/tu/staff/terminals');
    expect(list.status).toBe(200);
    const created = await b.post(
      '/tu/staff/terminals',
      { name: 'Library printer', kind: 'campus' },
      { follow: 'never' },
    );
    expect(created.status).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const [, id, first] = /Bearer (campus-[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/.exec(textOf(created.body))!;
    expect(await terminalStatus(`${id}.${first}`)).toBe(404);
    const listed = await b.get('/tu/staff/terminals');
    expect(listed.body).not.toContain(first!);
    expect(textOf(listed.body)).toContain('Library printer');
    expect(textOf(listed.body)).not.toContain(`${id} Campus printer Active Never`);

    const rotated = await b.post(`/tu/staff/terminals/${id}/rotate`, {}, { follow: 'never' });
    expect(rotated.status).toBe(200);
    const second = new RegExp(`Bearer ${id}\\.([A-Za-z0-9_-]+)`).exec(textOf(rotated.body))![1]!;
    expect(second).not.toBe(first);
    expect(await terminalStatus(`${id}.${first}`)).toBe(401);
    expect(await terminalStatus(`${id}.${second}`)).toBe(404);

    // Over five minutes since the second factor: it is asked for again first.
    h.clock.advance(6 * 60_000);
    await b.get('/tu/staff/terminals');
    await reauthenticate(
      admin,
      await b.post(`/tu/staff/terminals/${id}/deactivate`, { confirm: 'yes' }, { follow: 'never' }),
    );
    expect(await terminalStatus(`${id}.${second}`)).toBe(404);
    await b.get('/tu/staff/terminals');
    const unconfirmed = await b.post(`/tu/staff/terminals/${id}/deactivate`, {}, { follow: false });
    expect(unconfirmed.status).toBe(422);
    expect(await terminalStatus(`${id}.${second}`)).toBe(404);
    const deactivated = await b.post(`/tu/staff/terminals/${id}/deactivate`, { confirm: 'yes' }, { follow: 'never' });
    expect(deactivated.location).toBe('/tu/staff/terminals?notice=deactivated');
    expect(await terminalStatus(`${id}.${second}`)).toBe(401);

    const adminId = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'admin@tu.example.ac.jp'))!.id;
    const entries = (await h.uow.repos.auditLog.list(h.tenant.id, { limit: 100 })).filter((e) => e.subject === id);
    expect(entries.map((e) => e.event).sort()).toEqual(['terminal.created', 'terminal.disabled', 'terminal.rotated']);
    for (const entry of entries) expect(entry.detail).toMatchObject({ staffId: adminId });
  });

  it('#12 A-9 a gateway made in the console serves this university’s reservations only; store gateways for all universities are listed, not managed', async () => {
    const shared = await h.app.services.terminals.create({
      tenantId: null,
      kind: 'convenience',
      name: 'Store network',
    });
    const b = admin.browser;
    await b.get('/tu/staff/terminals');
    const created = await b.post(
      '/tu/staff/terminals',
      { name: 'Our gateway', kind: 'convenience' },
      { follow: 'never' },
    );
    const id = /Bearer (store-[A-Za-z0-9_-]+)\./.exec(textOf(created.body))![1]!;
    expect((await h.app.services.terminals.find(id, h.tenant.id))?.tenantId).toBe(h.tenant.id);
    const list = await b.get('/tu/staff/terminals');
    expect(textOf(list.body)).toContain('Store network');
    expect(textOf(list.body)).toContain(say('en', 'terminals.operatorManaged'));
    const csrf = b.csrf(list.body);
    for (const action of ['rotate', 'deactivate'])
      expect(
        (
          await b.post(
            `/tu/staff/terminals/${shared.terminal.id}/${action}`,
            { confirm: 'yes' },
            { follow: 'never', csrf },
          )
        ).status,
      ).toBe(404);
    expect(await terminalStatus(`${shared.terminal.id}.${shared.secret}`)).toBe(404);
  });

  it('#12 A-9 a registrar is refused (403), another university’s administrator finds none of this one’s terminals, no session goes to the login', async () => {
    const { terminal } = await h.app.services.terminals.create({
      tenantId: h.tenant.id,
      kind: 'campus',
      name: 'Hall B',
    });
    const csrf = registrar.browser.csrf((await registrar.browser.get('/tu/staff')).body);
    expect((await registrar.browser.get('/tu/staff/terminals', { follow: false })).status).toBe(403);
    for (const url of [
      '/tu/staff/terminals',
      `/tu/staff/terminals/${terminal.id}/rotate`,
      `/tu/staff/terminals/${terminal.id}/deactivate`,
    ])
      expect(
        (await registrar.browser.post(url, { name: 'x', kind: 'campus', confirm: 'yes' }, { follow: 'never', csrf }))
          .status,
      ).toBe(403);

    const page = await outsider.browser.get('/ou/staff/terminals');
    expect(page.status).toBe(200);
    expect(textOf(page.body)).not.toContain('Hall B');
    const outsiderCsrf = outsider.browser.csrf(page.body);
    // Its second factor is older than five minutes by now: asked for again before anything is looked up.
    await reauthenticate(
      outsider,
      await outsider.browser.post(
        `/ou/staff/terminals/${terminal.id}/rotate`,
        {},
        { follow: 'never', csrf: outsiderCsrf },
      ),
    );
    for (const action of ['rotate', 'deactivate'])
      expect(
        (
          await outsider.browser.post(
            `/ou/staff/terminals/${terminal.id}/${action}`,
            { confirm: 'yes' },
            {
              follow: 'never',
              csrf: outsiderCsrf,
            },
          )
        ).status,
      ).toBe(404);
    expect((await outsider.browser.get('/tu/staff/terminals', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=/,
    );
    expect((await h.app.services.terminals.find(terminal.id, h.tenant.id))?.active).toBe(true);
  });
});

describe('#12 A-9 signing keys in the console', () => {
  it('#12 signing keys: a registrar is refused (403), another university’s administrator sees only its own', async () => {
    const csrf = registrar.browser.csrf((await registrar.browser.get('/tu/staff')).body);
    expect((await registrar.browser.get('/tu/staff/keys', { follow: false })).status).toBe(403);
    expect(
      (await registrar.browser.post('/tu/staff/keys', { passphrase: 'x' }, { follow: 'never', csrf })).status,
    ).toBe(403);
    const own = await outsider.browser.get('/ou/staff/keys');
    expect(own.status).toBe(200);
    expect(textOf(own.body)).not.toContain('Test University Registrar');
    expect((await outsider.browser.get('/tu/staff/keys', { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
  });
  it('#12 signing keys: a PKCS#12 imported through the console after the second factor again; the current certificate and history shown; a wrong passphrase refused', async () => {
    const fixture = makeKeyFixture({ subject: '/CN=Test University Registrar/O=Test University' });
    // The fixture's certificate is valid from the real time it was made: the clock goes there, and the member logs in anew.
    h.clock.advance(Date.now() + 3_600_000 - h.clock.now());
    const { browser: b } = await logInStaff(h, 'tu', 'admin@tu.example.ac.jp', admin.secret);
    h.clock.advance(6 * 60_000);
    await b.get('/tu/staff/keys');
    const stale = await postFiles(h, b, '/tu/staff/keys', { passphrase: fixture.passphrase }, { p12: fixture.p12 });
    await reauthenticate({ ...admin, browser: b }, stale);
    await b.get('/tu/staff/keys');
    const wrong = await postFiles(h, b, '/tu/staff/keys', { passphrase: 'not the passphrase' }, { p12: fixture.p12 });
    expect(wrong.location).toMatch(/^\/tu\/staff\/keys\?form=/);
    const refused = await b.get(wrong.location!);
    expect(refused.status).toBe(422);
    expect(textOf(refused.body)).toContain('The key was not imported');
    expect(refused.body).not.toContain('not the passphrase');

    const imported = await postFiles(h, b, '/tu/staff/keys', { passphrase: fixture.passphrase }, { p12: fixture.p12 });
    expect(imported.location).toBe('/tu/staff/keys?notice=imported');
    const page = textOf((await b.get(imported.location!)).body);
    expect(page).toContain(say('en', 'signingKeys.imported'));
    expect(page).toContain(fixture.fingerprint);
    expect(page).toContain('CN=Test University Registrar');
    expect(await h.app.services.signingKeys.hasOwnSigner(h.tenant)).toBe(true);
    const entry = (await h.uow.repos.auditLog.list(h.tenant.id, { limit: 100 })).find(
      (e) => e.event === 'signing_key.imported',
    );
    expect(entry?.detail).toMatchObject({ staffId: expect.any(String) });
  });
});
