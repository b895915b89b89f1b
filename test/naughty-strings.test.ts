import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, TestBrowser, startHarness } from './helpers/harness.js';
import { readyStudent } from './helpers/accounts.js';
import { logIn } from './helpers/journeys.js';

/**
 * Every route of the app, as Fastify prints them, with every naughty string in every place a
 * request carries text: path parameters, the query, a form body and a JSON body. Nothing may
 * answer 500 (#8 §5): a NUL or a cut surrogate pair must be refused or replaced at the edge, never
 * reach PostgreSQL or `encodeURIComponent`.
 */

/** Text as a program sends it: raw in JSON, percent-encoded (UTF-8) in forms. */
const naughtyText = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '😀'.repeat(20),
  '😀'.repeat(20).slice(0, 39),
  'abc\u202edef',
  '\u001b[31mred\u001b[0m',
  '\u0085\u009b',
  '\ufeff\ufffe\uffff',
  'x'.repeat(3_000),
];

/** Bytes as a URL carries them: the same strings percent-encoded, and byte sequences that are not UTF-8. */
const naughtyPathSegments = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F%98',
  '%F0%9F%98%80'.repeat(20),
  '%E2%80%AE',
  '%C0%80',
  '%FF',
  '%1B%5B31m',
  '%25',
  '..%2F..%2F',
  'x'.repeat(5_000),
];

/** Every field name a form or query of the app reads. */
const fieldNames = [
  '_lang',
  'address',
  'amount',
  'browser',
  'building',
  'check',
  'city',
  'code',
  'copies-transcript-ja',
  'copies-graduation-ja',
  'destination',
  'enable',
  'flow',
  'id',
  'key',
  'lang',
  'newAddress',
  'newSecondPassword',
  'notice',
  'number',
  'oldSecondPassword',
  'password',
  'postalCode',
  'prefecture',
  'recipient',
  'recipientAccepts',
  'recipientEmail',
  'recipientName',
  'revoked',
  'secondPassword',
  'serial',
  'street',
  'terminal',
  'token',
  'userId',
];

interface Route {
  method: string;
  path: string;
}

/** The routes of `printRoutes({ commonPrefix: false })`: each line's segment under its parent's path. */
function routesOf(printed: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = `${stack[depth - 1] ?? ''}${match[2]}`;
    stack[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean))
      if (method !== 'HEAD' && !path.includes('*')) routes.push({ method, path });
  }
  // Logging out last, so that the signed-in pass stays signed in for every other route.
  return routes.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
}

function withParams(path: string, value: string, tenantToo: boolean): string {
  return path.replace(/:(\w+)/g, (_all, name: string) => (name === 'tenant' && !tenantToo ? 'tu' : value));
}

let h: Harness;
let routes: Route[];
beforeAll(async () => {
  h = await startHarness();
  await h.app.server.ready();
  routes = routesOf(h.app.server.printRoutes({ commonPrefix: false }));
});
afterAll(async () => {
  await h.close();
});

let ip = 1;
async function send(
  browser: TestBrowser,
  csrf: string,
  route: Route,
  url: string,
  body?: { json: Record<string, string> } | { form: string },
): Promise<string | undefined> {
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await h.app.server.inject({
    method: route.method as 'GET' | 'POST',
    url,
    remoteAddress: `10.88.${Math.floor(ip / 250) % 250}.${(ip++ % 250) + 1}`,
    headers: {
      cookie,
      ...(body && 'json' in body && { 'content-type': 'application/json' }),
      ...(body && 'form' in body && { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    ...(body && { payload: 'json' in body ? JSON.stringify({ _csrf: csrf, ...body.json }) : body.form }),
  });
  return response.statusCode >= 500 ? `${route.method} ${url.slice(0, 120)} → ${response.statusCode}` : undefined;
}

async function everyRouteWithEveryString(browser: TestBrowser): Promise<string[]> {
  const failures: string[] = [];
  const csrf = browser.csrf((await browser.get('/tu/login')).body);
  const note = (failure: string | undefined) => failure && failures.push(failure);
  for (const route of routes) {
    if (route.path.includes(':'))
      for (const segment of naughtyPathSegments)
        for (const tenantToo of [false, true])
          note(
            await send(
              browser,
              csrf,
              route,
              withParams(route.path, segment, tenantToo),
              route.method === 'POST' ? { form: `_csrf=${encodeURIComponent(csrf)}` } : undefined,
            ),
          );
    const target = withParams(route.path, 'tu0000000000', false);
    for (const segment of naughtyPathSegments)
      note(await send(browser, csrf, route, `${target}?${fieldNames.map((name) => `${name}=${segment}`).join('&')}`));
    for (const text of naughtyText) {
      const json = Object.fromEntries(fieldNames.map((name) => [name, text]));
      note(await send(browser, csrf, route, `${target}?${new URLSearchParams(json)}`));
      if (route.method !== 'POST') continue;
      note(await send(browser, csrf, route, target, { json }));
      note(
        await send(browser, csrf, route, target, { form: new URLSearchParams({ _csrf: csrf, ...json }).toString() }),
      );
      const raw = naughtyPathSegments.map((segment, n) => `${fieldNames[n % fieldNames.length]}=${segment}`);
      note(await send(browser, csrf, route, target, { form: [`_csrf=${encodeURIComponent(csrf)}`, ...raw].join('&') }));
    }
  }
  return failures;
}

describe('#8 naughty strings on every route', () => {
  it('#8 finds the routes it sends to', () => {
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'GET /:tenant/orders/:id',
        'POST /:tenant/verify',
        'POST /:tenant/login',
        'GET /healthz',
      ]),
    );
  });

  it('#8 a NUL or an escape in a path parameter never reaches a service, on any database', async () => {
    const browser = new TestBrowser(h, { lang: 'en', ip: '10.89.0.2' });
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    const find = vi.spyOn(h.app.services.ordering, 'find');
    try {
      for (const segment of ['a%00b', '%1B%5B2J', '%C2%9B'])
        expect((await browser.get(`/tu/orders/${segment}`, { follow: false })).status).toBe(303);
      const ids = find.mock.calls.map((call) => call[2]);
      expect(ids).toEqual(['a\ufffdb', '\ufffd[2J', '\ufffd']);
    } finally {
      find.mockRestore();
    }
  });

  it('#8 no route answers 500 to a naughty string in a path, query, form or JSON body (signed out)', async () => {
    expect(await everyRouteWithEveryString(new TestBrowser(h, { lang: 'en' }))).toEqual([]);
  }, 300_000);

  it('#8 no route answers 500 to a naughty string in a path, query, form or JSON body (signed in)', async () => {
    const browser = new TestBrowser(h, { lang: 'ja', ip: '10.89.0.1' });
    const student = await readyStudent(h, browser);
    await logIn(h, browser, student, student.secondPassword, student.email);
    expect(await everyRouteWithEveryString(browser)).toEqual([]);
  }, 300_000);
});
