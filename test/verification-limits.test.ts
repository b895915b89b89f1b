import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { LimitName } from '../src/platform/rate-limit.js';
import type { Lang } from '../src/platform/i18n.js';
import { createLogger } from '../src/runtime.js';
import { say } from './helpers/accounts.js';
import { type Harness, TestBrowser, startHarness, textOf } from './helpers/harness.js';
import { uploadToVerify } from './helpers/verify.js';

/** The JSON lines the app logged, as written. */
class LogLines extends Writable {
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line) this.raw.push(line);
    done();
  }
}

let h: Harness;
const logs = new LogLines();

/** Tight limits, so a bomb is caught in a second or two: one worker, one file waiting. */
beforeAll(async () => {
  h = await startHarness({
    env: {
      VERIFY_PARSE_WORKERS: '1',
      VERIFY_PARSE_QUEUE_LIMIT: '1',
      VERIFY_PARSE_TIMEOUT_MS: '1500',
      VERIFY_PARSE_MEMORY_MB: '32',
    },
    logger: createLogger(loadConfig({ LOG_LEVEL: 'info' }), logs),
  });
});
afterAll(async () => {
  await h.close();
});

let addresses = 0;
function nextAddress(): string {
  addresses += 1;
  return `10.8.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

function upload(lang: Lang, pdf: Buffer, ip = nextAddress()) {
  return uploadToVerify(h, lang, pdf, { ip });
}

function verdictOf(html: string): string {
  const match = /<section class="verdict"[\s\S]*?<\/section>/.exec(html);
  return match ? textOf(match[0]).trim() : '';
}

function expectVerdict(html: string, lang: Lang, verdict: 'unknown' | 'unchecked') {
  const text = verdictOf(html);
  expect(text).toContain(say(lang, `certificates.verify.verdict.${verdict}.title`));
  expect(text).toContain(say(lang, `certificates.verify.verdict.${verdict}.body`));
}

/** A PDF that names no certificate of ours: read by the worker, "not found". */
async function plainPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.setKeywords(['verification-code:ZZZZ-ZZZZ-ZZZZ']);
  return Buffer.from(await doc.save());
}

/** One object stream that inflates from about 50 kB to 48 MB: pdf-lib inflates object streams as it loads. */
const compressionBomb = (() => {
  let bomb: Buffer | undefined;
  return () => (bomb ??= makeCompressionBomb());
})();

function makeCompressionBomb(): Buffer {
  const spaces = Buffer.alloc(1024 * 1024, 0x20);
  const deflate = zlib.deflateSync(Buffer.concat(Array.from({ length: 48 }, () => spaces)), { level: 9 });
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${deflate.length} >>\nstream\n`,
    ),
    deflate,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
  ]);
}

/** 200,000 small objects in under 5 MB. */
function manyObjects(): Buffer {
  const objects = Array.from({ length: 200_000 }, (_, i) => `${i + 1} 0 obj<<>>endobj\n`);
  return Buffer.from(`%PDF-1.7\n${objects.join('')}trailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}

describe('#9 C-13 uploads are parsed in a worker with limits', () => {
  it('#9 C-13 a compression bomb and a PDF of 200,000 objects "could not be checked"; the server answers other pages meanwhile; the worker is replaced', async () => {
    expectVerdict((await upload('en', await plainPdf())).body, 'en', 'unknown');

    const bomb = compressionBomb();
    expect(bomb.length).toBeLessThan(100_000);
    const bombed = await upload('ja', bomb);
    expect(bombed.status).toBe(200);
    expectVerdict(bombed.body, 'ja', 'unchecked');

    const many = manyObjects();
    expect(many.length).toBeLessThan(5 * 1024 * 1024);
    const order: string[] = [];
    const checking = upload('en', many).then((page) => {
      order.push('upload');
      return page;
    });
    const login = await h.app.server.inject({ method: 'GET', url: '/tu/login' });
    order.push('login');
    expect(login.statusCode).toBe(200);
    const checked = await checking;
    expect(order).toEqual(['login', 'upload']);
    expect(checked.status).toBe(200);
    expectVerdict(checked.body, 'en', 'unchecked');

    // The worker that ran over was replaced: an ordinary file is read again.
    expectVerdict((await upload('en', await plainPdf())).body, 'en', 'unknown');
  });

  it('#9 C-13 with the worker busy and the queue full, a further file is "could not be checked" at once', async () => {
    const bomb = compressionBomb();
    const [first, second, third] = await Promise.all([upload('en', bomb), upload('en', bomb), upload('ja', bomb)]);
    for (const page of [first!, second!]) expectVerdict(page.body, 'en', 'unchecked');
    expectVerdict(third!.body, 'ja', 'unchecked');
    expectVerdict((await upload('en', await plainPdf())).body, 'en', 'unknown');
  });
});

/** Counts checks until the limit is reached, as other requests (on any instance) would have. */
async function useUp(name: LimitName, key: string, points: number): Promise<void> {
  for (let i = 0; i < points; i++) {
    const refused = await h.app.services.limits.consume(name, key).then(
      () => false,
      () => true,
    );
    if (refused) return;
  }
}

function expectRateLimited(page: { status: number; body: string; headers: Record<string, unknown> }, lang: Lang) {
  expect(page.status).toBe(429);
  expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
  expect(textOf(page.body)).toContain(say(lang, 'errors.verification_rate_limited.title'));
}

describe('#9 C-13 the verification code in a URL never reaches a log line', () => {
  it('#9 C-13 the QR link, the form, an encoded name, a malformed URL and an unknown path are logged without the code', async () => {
    const code = 'Q7RM-X4TD-9PZW';
    const ip = nextAddress();
    logs.raw.length = 0;
    const browser = new TestBrowser(h, { lang: 'en', ip });
    await browser.get(`/tu/verify?code=${code}`);
    await browser.get(`/tu/verify?%63ode=${code}&lang=en`);
    await browser.post('/tu/verify', { code });
    await browser.get(`/tu/verify/nothing?code=${code}`);
    await browser.get(`/tu/verify?code=${code}&x=%E0%A4%A`);
    await browser.get(`/tu/verify?x=%E0%A4%A&code=${code}`);
    await browser.get(`/tu/verify%E0%A4%A?code=${code}`);
    expect(logs.raw.length).toBeGreaterThan(6);
    for (const line of logs.raw) {
      expect(line).not.toContain(code);
      expect(line).not.toContain(code.replace(/-/g, ''));
    }
  });
});

describe('#9 C-13 checks are rate-limited per address and per university', () => {
  it('#9 C-13 code checks: an address over its limit gets 429 with a clear message in ja and en; others still check', async () => {
    const ip = nextAddress();
    await useUp('verifyCodesPerIp', ip, 120);
    for (const lang of ['ja', 'en'] as const) {
      const page = await new TestBrowser(h, { lang, ip }).get('/tu/verify?code=ZZZZ-ZZZZ-ZZZZ');
      expectRateLimited(page, lang);
    }
    const other = await new TestBrowser(h, { lang: 'en', ip: nextAddress() }).get('/tu/verify?code=ZZZZ-ZZZZ-ZZZZ');
    expect(other.status).toBe(200);
  });

  it('#9 C-13 file checks: an address over its limit gets 429 in ja and en', async () => {
    const ip = nextAddress();
    await useUp('verifyFilesPerIp', ip, 60);
    for (const lang of ['ja', 'en'] as const) expectRateLimited(await upload(lang, await plainPdf(), ip), lang);
  });

  it('#9 C-13 the university-wide limits hold whatever the address, for codes and for files', async () => {
    await useUp('verifyCodesPerTenant', h.tenant.id, 600);
    expectRateLimited(await new TestBrowser(h, { lang: 'en', ip: nextAddress() }).get('/tu/verify?code=x'), 'en');
    await useUp('verifyFilesPerTenant', h.tenant.id, 120);
    expectRateLimited(await upload('ja', await plainPdf()), 'ja');
  });
});
