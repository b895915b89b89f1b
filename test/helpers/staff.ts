import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import type { Tenant } from '../../src/features/tenants/tenant.model.js';
import { operatorActor } from '../../src/platform/actor.js';
import { type Harness, type Page, TestBrowser, textOf } from './harness.js';

export const STAFF_PASSWORD = 'correct horse battery staple';

/** What an authenticator app shows for `secret` at the harness clock's time. */
export function totpCode(h: Harness, secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: h.clock.now(),
  });
}

/** The operator's invitation (what `shomei staff invite` does): the one-time enrolment link, as a path. */
export async function invite(
  h: Harness,
  tenant: Tenant,
  email: string,
  role: 'registrar' | 'administrator',
  staffNumber = '',
): Promise<string> {
  const outcome = await h.app.services.staff.accounts.invite(
    tenant,
    { email, name: '', staffNumber, role },
    operatorActor(tenant.id),
    { mail: false },
  );
  if (outcome.status !== 'invited') throw new Error(JSON.stringify(outcome));
  return new URL(outcome.url).pathname + new URL(outcome.url).search;
}

/** The value of an HTML attribute as the browser reads it. */
export function attribute(html: string, name: string): string {
  const match = new RegExp(`${name}="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no ${name} on the page`);
  return match[1]
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

export interface EnrolledStaff {
  browser: TestBrowser;
  email: string;
  secret: string;
  recoveryCodes: string[];
  home: Page;
}

/** Follows the link: password, then the authenticator app's code; keeps the recovery codes. */
export async function enrolWithTotp(
  h: Harness,
  link: string,
  email: string,
  name: string,
  lang: 'ja' | 'en' = 'en',
): Promise<EnrolledStaff> {
  const browser = new TestBrowser(h, { lang });
  await browser.get(link);
  const token = new URL(link, 'http://x').searchParams.get('token')!;
  const slug = link.split('/')[1];
  const factor = await browser.post(`/${slug}/staff/enrol`, {
    token,
    name,
    password: STAFF_PASSWORD,
    confirm: STAFF_PASSWORD,
  });
  expect(factor.status).toBe(200);
  const secret = /<code class="secret">([^<]+)<\/code>/.exec(factor.body)![1]!.replace(/\s/g, '');
  expect(factor.body).toContain('src="data:image/png;base64,');
  const action = /action="([^"]*\/enrol\/totp[^"]*)"/.exec(factor.body)![1]!.replace(/&amp;/g, '&');
  const codes = await browser.post(action, { code: totpCode(h, secret) });
  expect(codes.status).toBe(200);
  const recoveryCodes = [...codes.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
  const home = await browser.post(
    /action="([^"]*recovery-codes[^"]*)"/.exec(codes.body)![1]!.replace(/&amp;/g, '&'),
    {},
  );
  return { browser, email, secret, recoveryCodes, home };
}

/** A fresh browser's login: password, then a TOTP code (the clock moves on a step first, so no code is reused). */
export async function logInStaff(
  h: Harness,
  slug: string,
  login: string,
  secret: string,
  browser = new TestBrowser(h, { lang: 'en' }),
): Promise<{ browser: TestBrowser; page: Page }> {
  h.clock.advance(30_000);
  await browser.get(`/${slug}/staff/login`);
  const second = await browser.post(`/${slug}/staff/login`, { login, password: STAFF_PASSWORD });
  expect(textOf(second.body)).toContain('Second factor');
  const action = /action="([^"]*\/login\/second-factor[^"]*)"/.exec(second.body)![1]!.replace(/&amp;/g, '&');
  const page = await browser.post(action, { code: totpCode(h, secret) });
  return { browser, page };
}
