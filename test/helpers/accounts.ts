import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { type Lang, translator } from '../../src/platform/i18n.js';
import { type Harness, type Page, type TestBrowser, textOf, uniqueEmail } from './harness.js';
import { type Student, setUpStudent } from './journeys.js';
import { type ReceivedMail, keyIn } from './smtp.js';

/** A second password that passes every rule of L-5. */
export const GOOD_SECOND_PASSWORD = 'Shomei2026Zz';

let nextNumber = 3000;

/** A new student in the tenant's roster (u3000, u3001, …), distinct in every test. */
export async function newStudent(h: Harness, options: { userId?: string; password?: string } = {}): Promise<Student> {
  const n = nextNumber++;
  const student = { userId: options.userId ?? `u${n}`, password: options.password ?? `Univ-Pass-${n}` };
  await h.tenants.setRosterPassword(h.tenant, student.userId, student.password);
  return student;
}

export interface ReadyStudent extends Student {
  email: string;
  secondPassword: string;
}

/** A student with a confirmed address and a second password (§2.1 and §2.2 done). */
export async function readyStudent(
  h: Harness,
  browser: TestBrowser,
  options: { email?: string; secondPassword?: string } = {},
): Promise<ReadyStudent> {
  const student = await newStudent(h);
  const email = options.email ?? uniqueEmail(student.userId);
  const secondPassword = options.secondPassword ?? GOOD_SECOND_PASSWORD;
  await setUpStudent(h, browser, student, email, secondPassword);
  return { ...student, email, secondPassword };
}

/** The message a locale key renders to, as the student reads it. */
export function say(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  const text = translator(lang)(key, params) as string;
  if (text === key) throw new Error(`no locale text for ${key} in ${lang}`);
  return text;
}

/** The text of the error summary at the top of a form (GOV.UK pattern), or '' if none. */
export function errorSummary(html: string): string {
  const match = /<div class="error-summary"[\s\S]*?<\/ul>\s*<\/div>/.exec(html);
  return match ? textOf(match[0]).trim() : '';
}

/** Each message of the error summary, in order. */
export function errorMessages(html: string): string[] {
  const match = /<div class="error-summary"[\s\S]*?<\/ul>\s*<\/div>/.exec(html);
  if (!match) return [];
  return [...match[0].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((item) => textOf(item[1] ?? '').trim());
}

/** The dialog panel of a page (§2.6 key dialogs, "changed" + OK), as text. */
export function dialogText(html: string): string {
  const match = /<section class="dialog"[\s\S]*?<\/section>/.exec(html);
  return match ? textOf(match[0]).trim() : '';
}

/** POSTs the login form; does not follow the redirect. */
export async function submitLogin(
  browser: TestBrowser,
  student: Student,
  secondPassword: string,
  overrides: Partial<{ userId: string; password: string }> = {},
): Promise<Page> {
  await browser.get('/tu/login');
  return browser.post(
    '/tu/login',
    {
      userId: overrides.userId ?? student.userId,
      password: overrides.password ?? student.password,
      secondPassword,
    },
    { follow: false },
  );
}

/**
 * Logs in up to the key screen (§2.3 step 4) and returns the key flow's URL with the key that
 * was mailed for it.
 */
export async function startKeyLogin(
  h: Harness,
  browser: TestBrowser,
  student: ReadyStudent,
): Promise<{ url: string; flowId: string; key: string; mail: ReceivedMail }> {
  const since = h.smtp.count();
  const first = await submitLogin(browser, student, student.secondPassword);
  expect(first.status).toBe(303);
  expect(first.location).toMatch(/^\/tu\/login\/key\?flow=/);
  const url = first.location!;
  await browser.get(url);
  const mail = await keyMail(h, student.email, since);
  return { url, flowId: new URL(url, 'http://x').searchParams.get('flow')!, key: keyIn(mail), mail };
}

export function keyMail(h: Harness, email: string, since: number): Promise<ReceivedMail> {
  return h.smtp.waitFor(email, { since, match: (m) => /Authentication key|認証キー/.test(m.subject) });
}

/** A key of the same length that is surely not `key`. */
export function wrongKeyFor(key: string): string {
  return key
    .split('')
    .map((digit, index) => (index === 0 ? String((Number(digit) + 1) % 10) : digit))
    .join('');
}

/**
 * Waits until every queued mail has been handed to SMTP and marked sent. Call before moving the
 * clock: the outbox lease is measured on the same clock, so a jump past it while a delivery is
 * still being acknowledged would let the worker send that mail a second time.
 */
export async function settleMail(h: Harness): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await h.flushMail();
    const pending = await h.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('attempts', '=', 0)
      .execute();
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending.length} mails still unsent`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Moves the test clock once the mail in flight has settled. */
export async function advance(h: Harness, ms: number): Promise<void> {
  await settleMail(h);
  h.clock.advance(ms);
}

/** Sends whatever is queued and tells how many mails reached `to` after `since`. */
export async function mailsTo(h: Harness, to: string, since: number): Promise<ReceivedMail[]> {
  await settleMail(h);
  return h.smtp.mails.slice(since).filter((mail) => mail.to.includes(to));
}

/** The audit events recorded for an account (or for a typed subject when there is no account). */
export async function auditEvents(h: Harness, filter: { accountId?: string; subject?: string }): Promise<string[]> {
  let query = h.database.db.selectFrom('audit_log').select(['event', 'at']).where('tenant_id', '=', h.tenant.id);
  if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
  if (filter.subject) query = query.where('subject', '=', filter.subject);
  const rows = await query.orderBy('at').execute();
  return rows.map((row) => row.event);
}

export async function accountIdOf(h: Harness, userId: string): Promise<string> {
  const account = await h.uow.repos.accounts.findByUserId(h.tenant.id, userId);
  if (!account) throw new Error(`no account for ${userId}`);
  return account.id;
}

/** Set-Cookie headers of a response, as sent. */
export function setCookies(page: Page | LightMyRequestResponse): string[] {
  const header = page.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [String(header)];
}

/** A raw request with the browser's cookies, for bodies a form could not send (duplicates, JSON, garbage). */
export async function rawRequest(
  h: Harness,
  browser: TestBrowser,
  options: { method: 'GET' | 'POST'; url: string; payload?: string; contentType?: string; ip?: string },
): Promise<LightMyRequestResponse> {
  return h.app.server.inject({
    method: options.method,
    url: options.url,
    ...(options.payload !== undefined && { payload: options.payload }),
    headers: {
      cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'accept-language': browser.options.lang === 'en' ? 'en-US,en;q=0.9' : 'ja,en;q=0.5',
      ...(options.contentType && { 'content-type': options.contentType }),
    },
    remoteAddress: options.ip ?? browser.options.ip ?? '127.0.0.1',
  });
}

/** The language-independent part of a page: without the per-render CSRF token. */
export function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}
