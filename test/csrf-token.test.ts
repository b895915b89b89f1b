import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function csrfCookie(headers: Record<string, unknown>): string | undefined {
  const lines = ([] as string[]).concat((headers['set-cookie'] as string | string[] | undefined) ?? []);
  return lines.find((line) => line.startsWith('shomei-csrf='))?.split(';')[0];
}

async function loginPage(cookie?: string): Promise<{ token: string; setCookie: string | undefined }> {
  const page = await h.app.server.inject({ url: '/tu/login', headers: cookie ? { cookie } : {} });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { token, setCookie: csrfCookie(page.headers) };
}

function post(cookie: string, token: string) {
  return h.app.server.inject({
    method: 'POST',
    url: '/tu/login',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(token)}&userId=&password=`,
  });
}

describe('#11 one CSRF token per browser secret, still bound to that secret', () => {
  it('#11 a returning browser gets the same token on every page, and it is accepted', async () => {
    const first = await loginPage();
    const cookie = first.setCookie ?? '';
    expect(cookie).toMatch(/^shomei-csrf=/);
    const second = await loginPage(cookie);
    const third = await loginPage(cookie);
    expect(second.setCookie).toBeUndefined();
    expect(third.token).toBe(second.token);
    // Accepted: the empty form reaches its own check, whose errors answer 303 to the form (#10), not 403.
    expect((await post(cookie, third.token)).statusCode).toBe(303);
    expect((await post(cookie, first.token)).statusCode).toBe(303);
  });

  it("#11 another browser's token is refused with this browser's secret", async () => {
    const mine = await loginPage();
    const theirs = await loginPage();
    expect(theirs.token).not.toBe(mine.token);
    expect((await post(mine.setCookie ?? '', theirs.token)).statusCode).toBe(403);
  });

  it('#11 a forged secret cookie gets a new secret, and its token is not remembered for the forgery', async () => {
    const forged = 'shomei-csrf=made-up.signature';
    const page = await loginPage(forged);
    expect(page.setCookie).toMatch(/^shomei-csrf=/);
    expect(page.setCookie).not.toBe(forged);
    expect((await post(forged, page.token)).statusCode).toBe(403);
    expect((await loginPage(forged)).setCookie).toMatch(/^shomei-csrf=/);
  });
});
