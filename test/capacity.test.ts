import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, students } from './helpers/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '4' } });
});
afterAll(async () => {
  await h.close();
});

/** Fills the hasher: one hash running and four waiting, for as long as the running one takes. */
function fillHasher(): Promise<unknown> {
  const { hasher } = h.app.services;
  return Promise.allSettled(Array.from({ length: 5 }, () => hasher.hash('fill-the-queue')));
}

const form = `userId=${students.fresh.userId}&password=${encodeURIComponent(students.fresh.password)}`;

describe('#11 logins at the hash limit are refused before any other work', () => {
  it('#11 a full hasher refuses a login with 503 and Retry-After, in the browser language', async () => {
    const filled = fillHasher();
    const refused = await h.app.server.inject({
      method: 'POST',
      url: '/tu/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: form,
    });
    await filled;
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.headers['content-security-policy']).toContain("default-src 'none'");
    expect(refused.body).toContain('<html lang="en"');
  });

  it('#11 a refusal carries every security header a page has', async () => {
    const page = await h.app.server.inject({ method: 'GET', url: '/tu/login' });
    const filled = fillHasher();
    const refused = await h.app.server.inject({
      method: 'POST',
      url: '/tu/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'shomei-lang=en' },
      payload: form,
    });
    await filled;
    expect(refused.statusCode).toBe(503);
    for (const name of ['content-security-policy', 'x-frame-options', 'referrer-policy', 'x-content-type-options'])
      expect(refused.headers[name]).toBe(page.headers[name]);
    expect(refused.headers['content-length']).toBe(String(Buffer.byteLength(refused.body)));
    expect(refused.body).toContain('<html lang="en"');
  });

  it('#11 a refused browser keeps its connection: the next request on it is answered', async () => {
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: '127.0.0.1',
            port,
            method,
            path,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode ?? 0, reused: request.reusedSocket }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    try {
      const filled = fillHasher();
      const refused = await send('POST', '/tu/login', form);
      await filled;
      const next = await send('GET', '/tu/login');
      expect(refused.status).toBe(503);
      expect(next).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('#11 the refusal comes before the university is looked up and before the body is read', async () => {
    const filled = fillHasher();
    const [unknownUniversity, brokenBody] = await Promise.all([
      h.app.server.inject({
        method: 'POST',
        url: '/no-such-university/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form,
      }),
      h.app.server.inject({
        method: 'POST',
        url: '/tu/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"not json',
      }),
    ]);
    await filled;
    expect(unknownUniversity.statusCode).toBe(503);
    expect(brokenBody.statusCode).toBe(503);
  });

  it('#11 with room in the hasher the same requests are answered as before', async () => {
    const unknown = await h.app.server.inject({ method: 'POST', url: '/no-such-university/login', payload: form });
    expect(unknown.statusCode).toBe(404);
    const page = await h.app.server.inject({ method: 'GET', url: '/tu/login' });
    expect(page.statusCode).toBe(200);
  });
});
