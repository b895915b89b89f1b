import { expect } from 'vitest';
import { type Harness, type Page, type TestBrowser } from './harness.js';
import { keyIn, urlIn } from './smtp.js';

export interface Student {
  userId: string;
  password: string;
}

/** §2.1: first login with the university password, mail address, confirmation link. */
export async function registerEmail(h: Harness, browser: TestBrowser, student: Student, email: string): Promise<void> {
  await browser.get('/tu/login');
  const form = await browser.post(
    '/tu/login',
    { userId: student.userId, password: student.password, secondPassword: '' },
    { follow: false },
  );
  expect(form.status).toBe(303);
  expect(form.location).toMatch(/^\/tu\/mail-address\?flow=/);
  await browser.get(form.location!);
  const since = h.smtp.count();
  const sent = await browser.post(form.location!, { address: email, check: email });
  expect(sent.status).toBe(200);
  const mail = await h.smtp.waitFor(email, { since });
  const link = urlIn(mail);
  const confirmPage = await browser.get(`${link.pathname}${link.search}`);
  expect(confirmPage.status).toBe(200);
  const done = await browser.post('/tu/mail-address/confirm', { token: link.searchParams.get('token')! });
  expect(done.status).toBe(200);
}

/** §2.2: the first second password, reached with the university password alone. */
export async function setSecondPassword(browser: TestBrowser, student: Student, secondPassword: string): Promise<Page> {
  await browser.get('/tu/login');
  const form = await browser.post(
    '/tu/login',
    { userId: student.userId, password: student.password, secondPassword: '' },
    { follow: false },
  );
  expect(form.location).toMatch(/^\/tu\/second-password\/setup\?flow=/);
  await browser.get(form.location!);
  return browser.post(form.location!, { secondPassword, check: secondPassword });
}

/** §2.3: ID + password + second password, then the mailed key when asked. Ends on the start screen. */
export async function logIn(
  h: Harness,
  browser: TestBrowser,
  student: Student,
  secondPassword: string,
  email: string,
): Promise<Page> {
  await browser.get('/tu/login');
  const since = h.smtp.count();
  const first = await browser.post(
    '/tu/login',
    { userId: student.userId, password: student.password, secondPassword },
    { follow: false },
  );
  if (first.location === '/tu/home') return browser.get('/tu/home');
  expect(first.location).toMatch(/^\/tu\/login\/key\?flow=/);
  await browser.get(first.location!);
  const key = keyIn(await h.smtp.waitFor(email, { since, match: (m) => /Authentication key|認証キー/.test(m.text) }));
  const done = await browser.post(first.location!, { key }, { follow: false });
  expect(done.location).toBe('/tu/login/authenticated');
  return browser.get('/tu/home');
}

/** A student with a registered address and a second password: ready for §2.3. */
export async function setUpStudent(
  h: Harness,
  browser: TestBrowser,
  student: Student,
  email: string,
  secondPassword: string,
): Promise<void> {
  await registerEmail(h, browser, student, email);
  const done = await setSecondPassword(browser, student, secondPassword);
  expect(done.status).toBe(200);
}
