import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSections } from '../src/features/staff/pages/staff.components.js';
import type { ConsoleRoute } from '../src/features/staff/staff.http.js';
import { type Harness, type Page, TestBrowser, startHarness } from './helpers/harness.js';
import { readyStudent } from './helpers/accounts.js';
import { enrolWithTotp, invite } from './helpers/staff.js';

/**
 * #12 A-1: one guard test over every route of the console, as the running server registered
 * them — so a section added later is checked without editing this file. A route is open to
 * anyone only when it says `config: { staffPublic: true }`; its role comes from its
 * requireStaff(role) / requireRecentAuth(role) guard, and must agree with the section list.
 */

/** The only console pages a browser without a staff session may open. */
const publicRoutes = new Set([
  'GET /:tenant/staff/login',
  'POST /:tenant/staff/login',
  'GET /:tenant/staff/login/second-factor',
  'POST /:tenant/staff/login/second-factor',
  'POST /:tenant/staff/login/passkey',
  'POST /:tenant/staff/logout',
  'GET /:tenant/staff/enrol',
  'POST /:tenant/staff/enrol',
  'GET /:tenant/staff/enrol/second-factor',
  'POST /:tenant/staff/enrol/totp',
  'POST /:tenant/staff/enrol/passkey',
]);

const PREFIX = '/:tenant/staff';

/** The section of the navigation a route belongs to (the longest path that contains it). */
function sectionOf(route: ConsoleRoute) {
  const rest = route.url.slice(PREFIX.length);
  return consoleSections
    .filter((section) => section.path && (rest === section.path || rest.startsWith(`${section.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** The route at this university, with an id-shaped value in each parameter (the guard runs before any lookup). */
function at(route: ConsoleRoute, slug = 'tu'): string {
  const id = randomUUID();
  return route.url.replace(':tenant', slug).replace(/:[A-Za-z]+/g, id);
}

const label = (route: ConsoleRoute) => `${route.method} ${route.url}`;

let h: Harness;
let guarded: ConsoleRoute[];
let anonymous: TestBrowser;
let registrar: TestBrowser;
let administrator: TestBrowser;
let outsider: TestBrowser;
let student: TestBrowser;

beforeAll(async () => {
  h = await startHarness();
  const other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' } });
  guarded = h.app.consoleRoutes.filter((route) => route.access !== 'public');
  administrator = (
    await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'guard.admin@tu.example.ac.jp', 'administrator'),
      'guard.admin@tu.example.ac.jp',
      'Guard Admin',
    )
  ).browser;
  registrar = (
    await enrolWithTotp(
      h,
      await invite(h, h.tenant, 'guard.reg@tu.example.ac.jp', 'registrar'),
      'guard.reg@tu.example.ac.jp',
      'Guard Registrar',
    )
  ).browser;
  outsider = (
    await enrolWithTotp(
      h,
      await invite(h, other, 'guard.admin@ou.example.ac.jp', 'administrator'),
      'guard.admin@ou.example.ac.jp',
      'Outsider',
    )
  ).browser;
  student = new TestBrowser(h, { lang: 'en' });
  await readyStudent(h, student);
  anonymous = new TestBrowser(h, { lang: 'en' });
});
afterAll(async () => {
  await h?.close();
});

/** A CSRF token of this browser's own, from a page with a form: a refusal must come from the guard, not the CSRF check. */
async function csrfOf(browser: TestBrowser): Promise<string> {
  return browser.csrf((await browser.get('/tu/staff/login')).body);
}

async function visit(browser: TestBrowser, route: ConsoleRoute, csrf: string): Promise<Page> {
  const url = at(route);
  return route.method === 'GET'
    ? browser.get(url, { follow: false })
    : browser.post(url, {}, { follow: 'never', csrf });
}

/** Sent to the login page, never shown a page: GET comes back after the login, a POST is dropped. */
async function expectSentToLogin(browser: TestBrowser, who: string) {
  const csrf = await csrfOf(browser);
  for (const route of guarded) {
    const page = await visit(browser, route, csrf);
    expect(page.status, `${who}: ${label(route)}`).toBe(303);
    expect(page.location, `${who}: ${label(route)}`).toMatch(
      /^\/tu\/staff\/login\?notice=(loginRequired|sessionEnded)/,
    );
    if (route.method === 'GET') expect(page.location).toContain('&next=');
  }
}

describe('#12 A-1 every console route is guarded (walks the routes the server registered)', () => {
  it('#12 A-1 the console has its routes, and only the login and enrolment pages are open to anyone', () => {
    expect(h.app.consoleRoutes.length).toBeGreaterThan(publicRoutes.size);
    for (const route of h.app.consoleRoutes) expect(route.url.startsWith(PREFIX), label(route)).toBe(true);
    const open = h.app.consoleRoutes.filter((route) => route.access === 'public').map(label);
    for (const route of open) expect(publicRoutes, `${route} is open to anyone`).toContain(route);
    expect(guarded.map(label)).toEqual(
      expect.arrayContaining(['GET /:tenant/staff/members', 'POST /:tenant/staff/members/:id/role']),
    );
  });

  it('#12 A-1 every route in a section the navigation gives to administrators has the administrator guard', () => {
    const adminSections = consoleSections.filter((section) => section.role === 'administrator');
    expect(adminSections.map((section) => section.path)).toEqual(
      expect.arrayContaining(['/settings', '/terminals', '/keys', '/members']),
    );
    for (const route of guarded)
      if (sectionOf(route)?.role === 'administrator') expect(route.access, label(route)).toBe('administrator');
  });

  it('#12 A-1 without a staff session every GET goes to the login page and every POST is refused', async () => {
    await expectSentToLogin(anonymous, 'no session');
  });

  it("#12 A-1 a student's session is not a staff session, even under the staff cookie's name", async () => {
    expect((await student.get('/tu/home')).status).toBe(200);
    await expectSentToLogin(student, 'student');
    const forged = new TestBrowser(h, { lang: 'en' });
    forged.cookies.set('shomei-staff-tu', student.cookies.get('shomei-session-tu')!);
    await expectSentToLogin(forged, 'student cookie as staff cookie');
  });

  it("#12 A-1 another university's staff session is no session here, even under this university's cookie name", async () => {
    expect((await outsider.get('/ou/staff', { follow: false })).status).toBe(200);
    await expectSentToLogin(outsider, 'other university');
    const forged = new TestBrowser(h, { lang: 'en' });
    forged.cookies.set('shomei-staff-tu', outsider.cookies.get('shomei-staff-ou')!);
    await expectSentToLogin(forged, 'other university cookie renamed');
  });

  it('#12 A-1 a registrar gets 403 on every administrator route; their own pages and the administrator never meet a 403 or a 500', async () => {
    const csrf = await csrfOf(registrar);
    const adminOnly = guarded.filter((route) => route.access === 'administrator');
    expect(adminOnly.length).toBeGreaterThan(0);
    for (const route of adminOnly) expect((await visit(registrar, route, csrf)).status, label(route)).toBe(403);
    for (const route of guarded.filter((each) => each.method === 'GET')) {
      if (route.access === 'registrar') {
        const page = await visit(registrar, route, csrf);
        expect(page.status, `registrar: ${label(route)}`).not.toBe(403);
        expect(page.status, `registrar: ${label(route)}`).toBeLessThan(500);
      }
      const page = await visit(administrator, route, csrf);
      expect(page.status, `administrator: ${label(route)}`).not.toBe(403);
      expect(page.status, `administrator: ${label(route)}`).toBeLessThan(500);
    }
  });

  it('#12 A-1 every route guarded by requireRecentAuth sends a session without a recent second factor to re-authentication first', async () => {
    const sensitive = guarded.filter((route) => route.recentAuth);
    expect(sensitive.map(label)).toEqual(expect.arrayContaining(['POST /:tenant/staff/members/:id/role']));
    const csrf = await csrfOf(administrator);
    h.clock.advance(5 * 60_000 + 1_000);
    for (const route of sensitive) {
      const page = await visit(administrator, route, csrf);
      expect(page.status, label(route)).toBe(303);
      expect(page.location, label(route)).toMatch(/^\/tu\/staff\/reauth\?next=/);
    }
  });
});
