import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { keyIn, urlIn } from '../helpers/smtp.js';
import { type DeviceName, devices, launchBrowser, locales } from './browser.js';

export type Lang = 'ja' | 'en';

/** The words a student reads and clicks, as the manuals name them (en) and as the screens say them (ja). */
export const ui = {
  en: {
    langName: 'English',
    switchLanguage: 'Change',
    loginTitle: 'Student login',
    userId: 'User ID',
    password: 'Password',
    secondPassword: 'Second password',
    forgotLink: 'If you have forgotten your second password.',
    login: 'Login',
    mailAddressTitle: 'Mail address setting',
    mailAddress: 'Mail address',
    check: 'Check',
    confirmationSent: 'A confirmation mail has been sent.',
    setMailAddress: 'Set mail address',
    mailAddressComplete: 'Mail address setting complete',
    toLogin: 'Move to Login page',
    setSecondPasswordTitle: 'Set second password',
    set: 'Set',
    secondPasswordComplete: 'Setting the second password complete',
    ok: 'OK',
    keyTitle: 'Two-factor authentication',
    key: 'Authentication key',
    authenticate: 'Authenticate',
    authenticated: 'Authenticated',
    homeTitle: 'Select Printing Destination',
    menu: 'Menu',
    menuItems: ['Change mail address', 'Change second password', 'Two-factor authentication settings', 'Manual'],
    logout: 'Logout',
    forgotTitle: 'Reset second password',
    send: 'Send',
    resetSent: 'Second password reset mail sent',
    change: 'Change',
    problem: 'There is a problem',
    wrongLogin: 'The User ID, Password or Second password is incorrect.',
  },
  ja: {
    langName: '日本語',
    switchLanguage: '切替',
    loginTitle: '在学生ログイン',
    userId: 'ユーザID',
    password: 'パスワード',
    secondPassword: '第2パスワード',
    forgotLink: '第2パスワードを忘れた場合',
    login: 'ログイン',
    mailAddressTitle: 'メールアドレス設定',
    mailAddress: 'メールアドレス',
    check: '確認',
    confirmationSent: '確認メールを送信しました。',
    setMailAddress: 'メールアドレスを設定する',
    mailAddressComplete: 'メールアドレス設定完了',
    toLogin: 'ログインページへ移動',
    setSecondPasswordTitle: '第2パスワード設定',
    set: '設定',
    secondPasswordComplete: '第2パスワード設定完了',
    ok: 'OK',
    keyTitle: '二要素認証',
    key: '認証キー',
    authenticate: '認証',
    authenticated: '認証しました',
    homeTitle: '発行先選択',
    menu: 'メニュー',
    menuItems: ['メールアドレス変更', '第2パスワード変更', '二要素認証設定', 'マニュアル'],
    logout: 'ログアウト',
    forgotTitle: '第2パスワード再設定',
    send: '送信',
    resetSent: '第2パスワード再設定メール送信',
    change: '変更',
    problem: '入力内容に問題があります',
    wrongLogin: 'ユーザID、パスワード、または第2パスワードが正しくありません。',
  },
} as const;

export type Words = (typeof ui)[Lang];

/** The app from the shared harness, listening on an ephemeral loopback port for a real browser. */
export interface Site {
  h: Harness;
  origin: string;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const h = await startHarness();
  await h.app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('the app has no port');
  return { h, origin: `http://127.0.0.1:${address.port}`, close: () => h.close() };
}

/**
 * One Chromium and one site for the enclosing describe, started before its tests and closed after
 * them. Read `browser` and `site` inside tests and hooks: they are set when the suite starts.
 */
export function browserAndSite(): { browser: Browser; site: Site } {
  const opened = {} as { browser: Browser; site: Site };
  beforeAll(async () => {
    [opened.browser, opened.site] = await Promise.all([launchBrowser(), startSite()]);
  });
  afterAll(async () => {
    await opened.browser?.close();
    await opened.site?.close();
  });
  return opened;
}

/** Mails carry PUBLIC_URL (http://shomei.test); the browser opens the same path on the test server. */
export function localUrl(site: Site, mailed: URL): string {
  return `${site.origin}${mailed.pathname}${mailed.search}`;
}

/** A student's mailed one-time URL (confirmation, reset), opened on the test server. */
export async function mailedUrl(site: Site, to: string, since: number): Promise<string> {
  const mail = await site.h.smtp.waitFor(to, { since, match: (m) => /\?token=/.test(m.text) });
  return localUrl(site, urlIn(mail));
}

export async function mailedKey(site: Site, to: string, since: number): Promise<string> {
  return keyIn(await site.h.smtp.waitFor(to, { since, match: (m) => /Authentication key|認証キー/.test(m.text) }));
}

/** One student's browser tab for one journey, with everything it saw go wrong. */
export interface Tour {
  context: BrowserContext;
  page: Page;
  device: DeviceName;
  name: string;
  javaScript: boolean;
  /** Console errors, uncaught exceptions, CSP refusals and HTTP errors nobody expected. */
  problems: string[];
  /** HTTP errors the journey provokes on purpose, as `401 POST /tu/login`. */
  expectedHttp: Set<string>;
  screens: string[];
}

export async function openTour(
  browser: Browser,
  options: { name: string; device: DeviceName; lang: Lang; javaScript?: boolean },
): Promise<Tour> {
  const javaScript = options.javaScript ?? true;
  const context = await browser.newContext({
    ...devices[options.device],
    locale: locales[options.lang],
    javaScriptEnabled: javaScript,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const tour: Tour = {
    context,
    page,
    device: options.device,
    name: options.name,
    javaScript,
    problems: [],
    expectedHttp: new Set(),
    screens: [],
  };
  page.on('console', (message) => {
    // A failed load says which page, not which file: the response handler below names the file.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      tour.problems.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    // Browsers ask every site for /favicon.ico on their own; the service has none (yet).
    const request = `${response.status()} ${response.request().method()} ${url.pathname}`;
    if (response.status() >= 400 && url.pathname !== '/favicon.ico' && !tour.expectedHttp.has(request))
      tour.problems.push(`HTTP ${request}${url.search}`);
  });
  page.on('pageerror', (error) => tour.problems.push(`page error: ${error.message} (${page.url()})`));
  return tour;
}

/** Closes the tab and fails on anything that went wrong in the browser on the way. */
export async function endTour(tour: Tour): Promise<void> {
  await tour.context.close();
  expect(tour.problems, `browser problems during ${tour.name}`).toEqual([]);
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeCache: string | undefined;
function axeSource(): string {
  axeCache ??= readFileSync(axePath, 'utf8');
  return axeCache;
}
const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const screenshotDir = path.resolve('test-results', 'e2e');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Runs axe-core on the page as it stands and returns its violations, one readable line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined');
  // The app's Content-Security-Policy (script-src 'self') refuses an injected <script> tag, and it
  // stays on so the tests see what students get; the DevTools protocol evaluates axe past it.
  if (!loaded) await page.evaluate(axeSource());
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe;
    const results = (await axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
      violations: AxeViolation[];
    };
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, axeTags);
  return violations.map(
    (v) =>
      `${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n` +
      v.nodes.map((n) => `    at ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join('\n'),
  );
}

/**
 * What every screen must pass: no WCAG 2.2 AA violation axe can find, no sideways scrolling at
 * phone width, and a screenshot in test-results/ for people to look at.
 */
export async function checkScreen(tour: Tour, step: string, options: { screenshot?: boolean } = {}): Promise<void> {
  const { page } = tour;
  await page.waitForLoadState('load');
  const where = `${tour.name} / ${step} (${page.url()})`;
  if (tour.javaScript) {
    const violations = await axeViolations(page);
    if (violations.length > 0) console.error(`axe violations on ${where}:\n${violations.join('\n')}`);
    expect(violations, `accessibility violations on ${where}`).toEqual([]);
  }
  if (tour.device === 'phone') {
    const width = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }));
    const viewport = page.viewportSize()?.width ?? 0;
    expect(width.scroll, `horizontal scroll on ${where}`).toBeLessThanOrEqual(Math.min(width.inner, viewport));
  }
  if (options.screenshot !== false) {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(
      screenshotDir,
      `${tour.name}-${String(tour.screens.length + 1).padStart(2, '0')}-${step}.png`,
    );
    await page.screenshot({ path: file, fullPage: true });
    tour.screens.push(file);
  }
}

/** Waits for the page whose h1 says `title`. */
export async function onScreen(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}

/** Picks a language in the LANG pull-down; with JavaScript it submits itself, without it the button does. */
export async function switchLanguage(tour: Tour, to: Lang): Promise<void> {
  const { page } = tour;
  await page.locator('select#lang-select').selectOption(to);
  if (!tour.javaScript) await page.getByRole('button', { name: ui[to === 'ja' ? 'en' : 'ja'].switchLanguage }).click();
  await page.waitForURL(new RegExp(`[?&]lang=${to}\\b`));
  await onScreen(page, ui[to].loginTitle);
}

export interface Student {
  userId: string;
  password: string;
}

/** Fills the Student login form by its labels and presses Login. */
export async function submitLogin(tour: Tour, lang: Lang, student: Student, secondPassword = ''): Promise<void> {
  const { page } = tour;
  const words = ui[lang];
  await page.getByLabel(words.userId, { exact: true }).fill(student.userId);
  await page.getByLabel(words.password, { exact: true }).fill(student.password);
  await page.getByLabel(words.secondPassword, { exact: true }).fill(secondPassword);
  await page.getByRole('button', { name: words.login, exact: true }).click();
}

/** §2.3 steps 4–7: the key from the mail, Authenticate, the "Authenticated" dialog, OK → start screen. */
export async function authenticateWithMailedKey(
  site: Site,
  tour: Tour,
  lang: Lang,
  email: string,
  since: number,
): Promise<void> {
  const { page } = tour;
  const words = ui[lang];
  await page.waitForURL(/\/tu\/login\/key\?flow=/);
  await onScreen(page, words.keyTitle);
  await checkScreen(tour, 'key');
  await page.getByLabel(words.key, { exact: true }).fill(await mailedKey(site, email, since));
  await page.getByRole('button', { name: words.authenticate, exact: true }).click();
  await page.waitForURL(/\/tu\/login\/authenticated$/);
  await page.getByRole('alertdialog', { name: words.authenticated }).waitFor();
  await checkScreen(tour, 'authenticated');
  await page.getByRole('link', { name: words.ok, exact: true }).click();
  await page.waitForURL(/\/tu\/home$/);
  await onScreen(page, words.homeTitle);
}

/** The start screen with its menu at the upper right (L-14). */
export async function checkHome(tour: Tour, lang: Lang): Promise<void> {
  const { page } = tour;
  const words = ui[lang];
  await onScreen(page, words.homeTitle);
  await expect(page.locator('select#lang-select').inputValue()).resolves.toBe(lang);
  await checkScreen(tour, 'home');
  await page.locator('summary', { hasText: words.menu }).click();
  const menu = page.getByRole('navigation', { name: words.menu });
  await menu.waitFor();
  for (const item of words.menuItems) await menu.getByRole('link', { name: item }).waitFor();
  await menu.getByRole('button', { name: words.logout, exact: true }).waitFor();
  // Overflow to the left cannot be scrolled to, so the scroll-width check would not see it.
  const box = await menu.boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport, 'menu has a box').toBeTruthy();
  expect(box!.x, `menu cut off at the left on ${tour.name}`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `menu cut off at the right on ${tour.name}`).toBeLessThanOrEqual(viewport!.width);
  await checkScreen(tour, 'home-menu');
}

/** §2.3 through the screens for a student who has set everything up: login, mailed key, start screen. */
export async function logInInBrowser(
  site: Site,
  tour: Tour,
  lang: Lang,
  student: Student & { email: string; secondPassword: string },
): Promise<void> {
  const { page } = tour;
  await page.goto(`${site.origin}/tu/login`);
  await onScreen(page, ui[lang].loginTitle);
  const since = site.h.smtp.count();
  await submitLogin(tour, lang, student, student.secondPassword);
  await authenticateWithMailedKey(site, tour, lang, student.email, since);
}
