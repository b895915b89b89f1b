import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/features/audit/audit.model.js';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { todayInJapan } from '../src/platform/clock.js';
import { randomDigits } from '../src/platform/crypto.js';
import { order } from './factories/order.js';
import { type Harness, type Page, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import { enrolWithTotp, invite } from './helpers/staff.js';

let h: Harness;
let other: Tenant;
let admin: TestBrowser;
let registrar: TestBrowser;
let otherAdmin: TestBrowser;
let registrarId: string;
let otherAdminId: string;
let studentAccountId: string;

/** 1 October 2026, 09:00 in Japan: the seeded entries live on 1 and 2 October, apart from the staff's own. */
const T = Date.UTC(2026, 9, 1, 0, 0, 0);
const HOUR = 3_600_000;

async function record(tenantId: string, at: number, entry: AuditEntry) {
  await h.uow.repos.auditLog.record(tenantId, entry, at);
}

/** The audit rows of a page, as the `data-event` of each row and its text. */
function rows(page: Page): Array<{ event: string; text: string }> {
  return [...page.body.matchAll(/<tr data-event="([^"]+)">([\s\S]*?)<\/tr>/g)].map((match) => ({
    event: match[1]!,
    text: textOf(match[2]!),
  }));
}

beforeAll(async () => {
  h = await startHarness();
  other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' }, enabled: false });
  const adminEmail = 'audit.admin@tu.example.ac.jp';
  admin = (
    await enrolWithTotp(h, await invite(h, h.tenant, adminEmail, 'administrator', 'A0001'), adminEmail, 'Aiko Admin')
  ).browser;
  const registrarEmail = 'audit.reg@tu.example.ac.jp';
  registrar = (
    await enrolWithTotp(h, await invite(h, h.tenant, registrarEmail, 'registrar', 'R0100'), registrarEmail, 'Riku Reg')
  ).browser;
  registrarId = (await h.uow.repos.staff.findByEmail(h.tenant.id, registrarEmail))!.id;
  const otherEmail = 'admin@ou.example.ac.jp';
  otherAdmin = (await enrolWithTotp(h, await invite(h, other, otherEmail, 'administrator'), otherEmail, 'Oscar Other'))
    .browser;
  otherAdminId = (await h.uow.repos.staff.findByEmail(other.id, otherEmail))!.id;

  const student = await h.uow.repos.accounts.findOrCreate(
    h.tenant.id,
    'acc-u1001',
    'u1001',
    { twoFactorEnabled: false, lang: 'ja' },
    T,
  );
  studentAccountId = student.id;
  await record(h.tenant.id, T, { event: 'login.failure', subject: 'u1001', ip: '192.0.2.10', actorKind: 'visitor' });
  await record(h.tenant.id, T + HOUR, {
    event: 'login.success',
    accountId: studentAccountId,
    ip: '203.0.113.5',
    actorKind: 'student',
  });
  await record(h.tenant.id, T + 2 * HOUR, {
    event: 'order.advanced',
    accountId: studentAccountId,
    staffId: registrarId,
    actorKind: 'staff',
    ip: '198.51.100.7',
    detail: { order: 'o-1', to: 'printed' },
  });
  await record(h.tenant.id, T + 24 * HOUR, { event: 'login.failure', subject: 'u2002', ip: '2001:db8::5' });
  // Another university's entry with the same user ID and address: never shown at tu.
  await record(other.id, T, { event: 'login.failure', subject: 'u1001', ip: '192.0.2.10', actorKind: 'visitor' });
});
afterAll(async () => {
  await h.close();
});

describe('#12 A-6 the audit log in the console', () => {
  it('#12 A-6 each filter narrows: time range (Japan days), student, staff member, event, address exact and prefix', async () => {
    const day1 = rows(await admin.get('/tu/staff/audit?from=2026-10-01&to=2026-10-01'));
    expect(day1.map((row) => row.event)).toEqual(['order.advanced', 'login.success', 'login.failure']);
    expect(day1[0]!.text).toContain('Staff: Riku Reg (R0100)');
    expect(day1[0]!.text).toContain('u1001');
    expect(day1[1]!.text).toContain('Student: u1001');
    expect(day1[2]!.text).toContain('Login failed');
    expect(day1[2]!.text).toContain('192.0.2.10');
    // Minutes: 09:00 to 10:00 JST takes the first two (the end minute is included).
    const morning = rows(await admin.get('/tu/staff/audit?from=2026-10-01+09:00&to=2026-10-01T10:00'));
    expect(morning.map((row) => row.event)).toEqual(['login.success', 'login.failure']);

    const range = 'from=2026-10-01&to=2026-10-02';
    const student = rows(await admin.get(`/tu/staff/audit?${range}&student=u1001`));
    expect(student.map((row) => row.event)).toEqual(['order.advanced', 'login.success', 'login.failure']);
    const staff = rows(await admin.get(`/tu/staff/audit?${range}&staff=${registrarId}`));
    expect(staff.map((row) => row.event)).toEqual(['order.advanced']);
    const failures = rows(await admin.get(`/tu/staff/audit?${range}&event=login.failure`));
    expect(failures.map((row) => row.text.includes('u2002'))).toEqual([true, false]);
    const network = rows(await admin.get(`/tu/staff/audit?${range}&address=192.0.2.`));
    expect(network).toHaveLength(1);
    expect(rows(await admin.get(`/tu/staff/audit?${range}&address=192.0.2.1`))).toHaveLength(0);
    expect(rows(await admin.get(`/tu/staff/audit?${range}&address=192.0.2.10`))).toHaveLength(1);
    expect(rows(await admin.get(`/tu/staff/audit?${range}&address=2001:DB8:`))).toHaveLength(1);
  });

  it('#12 A-6 bad filters are answered with a message in the language, never a 500; another university’s staff id is unknown', async () => {
    for (const [query, message] of [
      ['from=2026-13-01', 'Enter the time as 2026-11-30'],
      ['from=2026-10-02&to=2026-10-01', 'The end must be after the start'],
      ['address=192.0.2.%25', 'Enter the IP address'],
      ['event=nope', 'The event chosen was not found'],
      [`staff=${otherAdminId}`, 'The staff member chosen was not found'],
      ['student=u%201001', 'Enter the user ID'],
    ] as const) {
      const page = await admin.get(`/tu/staff/audit?${query}`);
      expect(page.status, query).toBe(422);
      expect(textOf(page.body)).toContain(message);
      expect(rows(page)).toEqual([]);
    }
    const ja = new TestBrowser(h, { lang: 'ja' });
    for (const [name, value] of registrar.cookies) if (name !== 'shomei-lang') ja.cookies.set(name, value);
    const japanese = await ja.get('/tu/staff/audit?from=2026-13-01');
    expect(textOf(japanese.body)).toContain('日時は 2026-11-30 または');
  });

  it('#12 A-6 a staff action made in the console appears with the staff member who made it', async () => {
    await admin.get('/tu/staff/members');
    const invited = await admin.post('/tu/staff/members', {
      email: 'new.member@tu.example.ac.jp',
      name: '',
      staffNumber: '',
      role: 'registrar',
    });
    expect(invited.status).toBe(200);
    const entries = rows(await admin.get('/tu/staff/audit?event=staff.invited'));
    const mine = entries.find((row) => row.text.includes('new.member@tu.example.ac.jp'));
    expect(mine?.text).toContain('Staff member invited');
    expect(mine?.text).toContain('Staff: Aiko Admin (A0001)');
  });

  it('#12 A-6 pages newest first by keyset: every entry once, none of another university', async () => {
    const start = Date.UTC(2026, 7, 1, 0, 0, 0);
    for (let i = 0; i < 60; i++)
      await record(h.tenant.id, start + (i % 30) * 1000, {
        event: 'key.sent',
        subject: `p${String(i).padStart(2, '0')}`,
      });
    const query = '/tu/staff/audit?from=2026-08-01&to=2026-08-01';
    const first = await admin.get(query);
    const firstRows = rows(first);
    expect(firstRows).toHaveLength(50);
    const older = /href="([^"]*before=[^"]*)"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    expect(older).toContain('from=2026-08-01');
    const second = await admin.get(older);
    const secondRows = rows(second);
    expect(secondRows).toHaveLength(10);
    expect(second.body).not.toMatch(/before=/);
    const subjects = [...firstRows, ...secondRows].map((row) => /p\d\d/.exec(row.text)![0]);
    expect(new Set(subjects).size).toBe(60);
  });

  it('#12 A-6 registrars and administrators read the log; no session → login; another university’s staff are not let in', async () => {
    expect((await registrar.get('/tu/staff/audit')).status).toBe(200);
    const anonymous = await new TestBrowser(h).get('/tu/staff/audit', { follow: false });
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toMatch(/^\/tu\/staff\/login\?notice=loginRequired/);
    const foreign = await otherAdmin.get('/tu/staff/audit', { follow: false });
    expect(foreign.location).toMatch(/^\/tu\/staff\/login/);
    // At their own university they see only their own log.
    const own = rows(await otherAdmin.get('/ou/staff/audit?from=2026-10-01&to=2026-10-02'));
    expect(own.map((row) => row.event)).toEqual(['login.failure']);
  });
});

describe('#12 A-6 CSV export', () => {
  it('#12 A-6 CSV: BOM, header, the filtered entries, formula cells neutralised; the export is audited with the staff actor', async () => {
    const at = Date.UTC(2026, 8, 1, 0, 0, 0);
    const hostile = ["=cmd|' /C calc'!A0", '+1', '-1', '@x', '\tx', '＝1+1'];
    for (const [i, subject] of hostile.entries())
      await record(h.tenant.id, at + i, {
        event: 'login.failure',
        subject,
        userAgent: '=HYPERLINK("x")',
        ip: '192.0.2.99',
      });
    await admin.get('/tu/staff/audit?from=2026-09-01&to=2026-09-01');
    const csv = await admin.post('/tu/staff/audit/export', {
      from: '2026-09-01',
      to: '2026-09-01',
      student: '',
      staff: '',
      event: '',
      address: '',
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toMatch(
      /^attachment; filename="audit-log-tu-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.body.startsWith('\ufeff')).toBe(true);
    const [header, ...cells] = parse(csv.body.slice(1), { relax_quotes: false }) as string[][];
    expect(header).toEqual([
      'When (JST)',
      'Event code',
      'Event',
      'Who',
      'Actor kind',
      'Staff ID',
      'Student user ID',
      'About',
      'IP address',
      'Browser',
      'Details (JSON)',
    ]);
    expect(cells).toHaveLength(hostile.length);
    expect(cells.map((row) => row[7])).toEqual([...hostile].reverse().map((subject) => `'${subject}`));
    for (const row of cells) expect(row[9]).toBe(`'=HYPERLINK("x")`);
    expect(cells[0]![0]).toBe('2026-09-01 09:00:00');

    const exported = await h.uow.repos.auditLog.list(h.tenant.id, { event: 'audit.exported' });
    expect(exported[0]).toMatchObject({
      staffId: expect.any(String),
      actorKind: 'staff',
      detail: { filter: { from: '2026-08-31T15:00:00.000Z' } },
    });
    const adminId = (await h.uow.repos.staff.findByEmail(h.tenant.id, 'audit.admin@tu.example.ac.jp'))!.id;
    expect(exported[0]!.staffId).toBe(adminId);
  });

  it('#12 A-6 CSV is refused without a session and across universities; a bad filter goes back to the page', async () => {
    const anonymous = new TestBrowser(h);
    await anonymous.get('/tu/staff/login');
    const refused = await anonymous.post('/tu/staff/audit/export', { from: '' }, { follow: 'never' });
    expect(refused.status).toBe(303);
    expect(refused.location).toMatch(/^\/tu\/staff\/login/);
    await otherAdmin.get('/ou/staff/audit');
    const foreign = await otherAdmin.post('/tu/staff/audit/export', { from: '' }, { follow: 'never' });
    expect(foreign.status).not.toBe(200);
    expect(foreign.body.startsWith('\ufeff')).toBe(false);
    await admin.get('/tu/staff/audit');
    const bad = await admin.post('/tu/staff/audit/export', { from: 'yesterday' }, { follow: 'never' });
    expect(bad.status).toBe(303);
    expect(bad.location).toBe('/tu/staff/audit?from=yesterday');
  });
});

/** The XML rules an SVG must keep to be drawn: tags nest and close, attributes are quoted, text holds no markup. */
function wellFormedXml(xml: string): boolean {
  const stack: string[] = [];
  let rest = xml;
  while (rest.length) {
    const tag = /^<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (tag) {
      const [whole, closing, name, , selfClosing] = tag;
      if (closing) {
        if (stack.pop() !== name) return false;
      } else if (!selfClosing) stack.push(name!);
      rest = rest.slice(whole.length);
      continue;
    }
    const text = /^[^<]+/.exec(rest);
    if (!text || /&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)/i.test(text[0])) return false;
    rest = rest.slice(text[0].length);
  }
  return stack.length === 0;
}

function section(page: Page, id: string): string {
  const match = new RegExp(
    `<section class="chart-section" aria-labelledby="${id}-heading">([\\s\\S]*?)</section>`,
  ).exec(page.body);
  if (!match) throw new Error(`no section ${id}`);
  return match[1]!;
}

/** The numbers of a table row, by the row's day or label. */
function numbers(html: string, row: RegExp): number[] {
  const match = row.exec(html);
  if (!match) throw new Error(`no row ${row}`);
  return [...match[0].matchAll(/<td class="number">(\d+)<\/td>/g)].map((cell) => Number(cell[1]));
}

describe('#12 A-7 statistics', () => {
  it('#12 A-7 the numbers equal what happened: certificates today by type and destination, orders by state, logins, mail failures; SVG well-formed and accessible', async () => {
    const now = h.clock.now();
    const today = todayInJapan(now);
    const yesterday = now - 86_400_000;
    const certificate = (tenantId: string, orderId: string, itemSeq: number, type: string, issuedAt: number) =>
      h.uow.repos.certificates.insert(tenantId, {
        serial: `S-${orderId.slice(0, 8)}-${itemSeq}`,
        orderId,
        itemSeq,
        type,
        lang: 'ja',
        studentNumber: '2023L012',
        verificationCode: randomDigits(16),
        pdfSha256: randomDigits(32),
        pdf: Buffer.from('%PDF'),
        statement: { title: '', holderName: '', studentNumber: '', affiliation: '', issueDate: '', details: [] },
        issuedAt,
        revokedAt: null,
        revokedReason: null,
        revokedCategory: null,
      });
    const postal = order(h.tenant.id, { destination: 'postal', state: 'paid', createdAt: now });
    const digital = order(h.tenant.id, { destination: 'digital', state: 'delivered', createdAt: now });
    const campus = order(h.tenant.id, { destination: 'campus', state: 'printed', createdAt: yesterday });
    const elsewhere = order(other.id, { destination: 'postal', state: 'paid', createdAt: now });
    for (const placed of [postal, digital, campus, elsewhere]) await h.uow.repos.orders.insert(placed);
    await certificate(h.tenant.id, postal.id, 1, 'enrollment', now);
    await certificate(h.tenant.id, postal.id, 2, 'transcript', now);
    await certificate(h.tenant.id, digital.id, 1, 'enrollment', now);
    await certificate(h.tenant.id, campus.id, 1, 'transcript', yesterday);
    await certificate(other.id, elsewhere.id, 1, 'enrollment', now);
    for (const [tenantId, event] of [
      [h.tenant.id, 'login.failure'],
      [h.tenant.id, 'login.failure'],
      [h.tenant.id, 'login.success'],
      [other.id, 'login.failure'],
    ] as const)
      await record(tenantId, now, { event });
    for (const [tenantId, failed] of [
      [h.tenant.id, true],
      [h.tenant.id, false],
      [other.id, true],
    ] as const)
      await h.database.db
        .insertInto('mail_outbox')
        .values({
          tenant_id: tenantId,
          id: randomDigits(20),
          event: 'test',
          to_address: 'x@example.ac.jp',
          subject: '',
          body_text: '',
          body_html: '',
          priority: 1,
          created_at: now,
          attempts: 1,
          next_attempt_at: now,
          locked_until: null,
          locked_by: null,
          sent_at: failed ? null : now,
          failed_at: failed ? now : null,
          last_error: failed ? '550 no such user' : null,
        })
        .execute();

    const page = await admin.get('/tu/staff/statistics');
    expect(page.status).toBe(200);
    const todayRow = new RegExp(`<tr class="chart-table__today" data-day="${today}">[\\s\\S]*?</tr>`);
    expect(numbers(section(page, 'issued'), todayRow)).toEqual([3]);
    expect(textOf(section(page, 'issued'))).toContain('(today)');
    const byType = section(page, 'by-type');
    expect(numbers(byType, /<th scope="row">Certificate of Enrollment<\/th>[\s\S]*?<\/tr>/)).toEqual([2]);
    expect(numbers(byType, /<th scope="row">[^<]*Transcript[^<]*<\/th>[\s\S]*?<\/tr>/)).toEqual([2]);
    const byDestination = section(page, 'by-destination');
    expect(numbers(byDestination, /<th scope="row">Postal mail<\/th>[\s\S]*?<\/tr>/)).toEqual([2]);
    expect(numbers(byDestination, /<th scope="row">Digital delivery<\/th>[\s\S]*?<\/tr>/)).toEqual([1]);
    expect(numbers(byDestination, /<th scope="row">On-campus printer<\/th>[\s\S]*?<\/tr>/)).toEqual([1]);
    const orders = section(page, 'orders');
    for (const state of ['Paid', 'Sent to the recipient', 'Printed'])
      expect(numbers(orders, new RegExp(`<th scope="row">${state}</th>[\\s\\S]*?</tr>`)), state).toEqual([1]);
    expect(numbers(section(page, 'logins'), todayRow)).toEqual([1, 2]);
    expect(numbers(section(page, 'mail'), todayRow)).toEqual([1]);
    expect(textOf(page.body)).toContain('Student logins: 1 succeeded, 2 failed');

    const svgs = [...page.body.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((match) => match[0]);
    expect(svgs).toHaveLength(6);
    for (const svg of svgs) {
      expect(wellFormedXml(svg), svg.slice(0, 200)).toBe(true);
      expect(svg).toMatch(/^<svg [^>]*role="img"/);
      const [titleId, descId] = /aria-labelledby="([^"]+)"/.exec(svg)![1]!.split(' ');
      expect(svg).toContain(`<title id="${titleId}">`);
      expect(svg).toContain(`<desc id="${descId}">`);
      expect(svg).not.toMatch(/style=|<script|<style/);
    }
    expect(svgs[0]).toContain('>Today</text>');
  });

  it('#12 A-7 a range of days up to a year; a bad or too long range is answered with a message', async () => {
    const year = await admin.get('/tu/staff/statistics?from=2025-11-23&to=2026-11-22');
    expect(year.status).toBe(200);
    expect(year.body.match(/<tr data-day=|<tr class="chart-table__today" data-day=/g)!.length).toBe(365 * 3);
    for (const [query, message] of [
      ['from=2024-01-01&to=2026-11-22', 'Choose at most 366 days'],
      ['from=2026-11-30&to=2026-11-01', 'The end must be the start or later'],
      ['from=2026-02-30', 'Enter the date as 2026-11-30'],
    ] as const) {
      const page = await admin.get(`/tu/staff/statistics?${query}`);
      expect(page.status, query).toBe(422);
      expect(textOf(page.body)).toContain(message);
    }
  });

  it('#12 A-7 registrars read the statistics; no session → login; another university’s staff are not let in', async () => {
    expect((await registrar.get('/tu/staff/statistics')).status).toBe(200);
    expect((await new TestBrowser(h).get('/tu/staff/statistics', { follow: false })).location).toMatch(
      /^\/tu\/staff\/login\?notice=loginRequired/,
    );
    expect((await otherAdmin.get('/tu/staff/statistics', { follow: false })).location).toMatch(/^\/tu\/staff\/login/);
  });
});
