import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response as LightMyRequestResponse } from 'light-my-request';
import type { IssuedCertificate } from '../src/features/certificates/issued-certificate.model.js';
import { formatDateTime } from '../src/platform/format.js';
import type { Lang } from '../src/platform/i18n.js';
import { errorMessages, say } from './helpers/accounts.js';
import { type Harness, TestBrowser, textOf } from './helpers/harness.js';
import {
  type OrderingStudent,
  orderingStudent,
  placeOrder,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';
import { needsPoppler } from './helpers/pdf.js';

let h: Harness;
let student: OrderingStudent;
/** Japanese enrollment certificate and English transcript of one order. */
let enrollment: IssuedCertificate;
let transcript: IssuedCertificate;

beforeAll(async () => {
  h = await startIssuanceHarness();
  student = await orderingStudent(h, 'ja');
  const terminal = await registerTerminal(h, 'campus', h.tenant.id);
  const { orderId, page } = await placeOrder(student, 'campus', {
    'copies-enrollment-ja': '1',
    'copies-transcript-en': '1',
  });
  const number = reservationNumberIn(page.body);
  expect(
    (await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: 600 })).statusCode,
  ).toBe(200);
  expect((await terminalCall(h, terminal, 'GET', `/reservations/${number}/documents`)).statusCode).toBe(200);
  const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
  enrollment = issued.find((c) => c.type === 'enrollment')!;
  transcript = issued.find((c) => c.type === 'transcript')!;
});
afterAll(async () => {
  await h.close();
});

const langs: Lang[] = ['ja', 'en'];
/** jsqr is CommonJS with a `default` beside it; NodeNext types the import as the module object. */
const jsQR = (jsQRModule as unknown as { default: typeof import('jsqr').default }).default;

function multipart(fields: Array<{ name: string; filename?: string; content: Buffer | string }>) {
  const boundary = `----shomei${Math.random().toString(16).slice(2)}`;
  const parts = fields.map((field) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"${
          field.filename ? `; filename="${field.filename}"\r\nContent-Type: application/pdf` : ''
        }\r\n\r\n`,
      ),
      Buffer.isBuffer(field.content) ? field.content : Buffer.from(field.content),
      Buffer.from('\r\n'),
    ]),
  );
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Uploads a file to the verification page as a browser would, with no CSRF token (the form is read-only). */
async function upload(lang: Lang, pdf: Buffer | undefined) {
  const body = pdf
    ? multipart([{ name: 'pdf', filename: 'certificate.pdf', content: pdf }])
    : multipart([{ name: 'note', content: 'no file' }]);
  return shown(
    lang,
    await h.app.server.inject({
      method: 'POST',
      url: '/tu/verify/file',
      payload: body.payload,
      headers: { 'content-type': body.contentType, 'accept-language': lang, cookie: `shomei-lang=${lang}` },
    }),
  );
}

/** #10: the upload's answer is a redirect to the page that shows the verdict; the browser follows it. */
async function shown(lang: Lang, posted: LightMyRequestResponse) {
  expect(posted.statusCode).toBe(303);
  const binding = posted.cookies.find((cookie) => cookie.name === 'shomei-flow');
  return h.app.server.inject({
    method: 'GET',
    url: posted.headers.location as string,
    headers: { 'accept-language': lang, cookie: `shomei-lang=${lang}; shomei-flow=${binding?.value ?? ''}` },
  });
}

async function verifyCode(lang: Lang, code: string) {
  const browser = new TestBrowser(h, { lang });
  return browser.get(`/tu/verify?code=${encodeURIComponent(code)}`);
}

/** The verdict section as text. */
function verdictOf(html: string): string {
  const match = /<section class="verdict"[\s\S]*?<\/section>/.exec(html);
  return match ? textOf(match[0]).trim() : '';
}

function expectVerdict(
  html: string,
  lang: Lang,
  verdict: 'genuine' | 'revoked' | 'altered' | 'unknown',
  certificate?: IssuedCertificate,
) {
  const text = verdictOf(html);
  expect(text).toContain(say(lang, `certificates.verify.verdict.${verdict}.title`));
  expect(text).toContain(say(lang, `certificates.verify.verdict.${verdict}.body`));
  for (const other of ['genuine', 'revoked', 'altered', 'unknown'].filter((v) => v !== verdict)) {
    expect(text).not.toContain(say(lang, `certificates.verify.verdict.${other}.body`));
  }
  if (certificate) {
    // What the certificate states, in its own language.
    expect(text).toContain(certificate.statement.title);
    expect(text).toContain(certificate.statement.holderName);
    expect(text).toContain(certificate.statement.studentNumber);
    expect(text).toContain(certificate.statement.affiliation);
    for (const detail of certificate.statement.details) expect(text).toContain(detail);
    expect(text).toContain(certificate.serial);
    expect(text).toContain(formatDateTime(certificate.issuedAt, lang));
  } else {
    expect(text).not.toContain(student.record.studentNumber);
  }
}

/** The PDF with one byte changed in the middle of the first page's content stream (same length). */
async function alterContent(pdf: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const contents = doc.getPage(0).node.get(PDFName.of('Contents'));
  const ref = contents instanceof PDFArray ? contents.get(0) : contents;
  if (!(ref instanceof PDFRef)) throw new Error('the page has no content stream reference');
  expect(doc.context.lookup(ref)).toBeInstanceOf(PDFRawStream);
  const text = pdf.toString('latin1');
  const objectAt = text.search(new RegExp(`(^|[\\r\\n])${ref.objectNumber} ${ref.generationNumber} obj`));
  expect(objectAt).toBeGreaterThan(0);
  const streamAt = text.indexOf('stream', objectAt) + 'stream'.length;
  const dataAt = streamAt + (text[streamAt] === '\r' ? 2 : 1);
  const end = text.indexOf('endstream', dataAt);
  const at = Math.floor((dataAt + end) / 2);
  const altered = Buffer.from(pdf);
  altered[at] = (altered[at] ?? 0) ^ 0x01;
  return altered;
}

describe('C-7 verification by code (#4)', () => {
  for (const lang of langs) {
    it(`C-7 #4 a genuine code shows "genuine" and what the certificate states; typed sloppily it still matches (${lang})`, async () => {
      for (const certificate of [enrollment, transcript]) {
        const page = await verifyCode(lang, certificate.verificationCode);
        expect(page.status).toBe(200);
        expectVerdict(page.body, lang, 'genuine', certificate);
      }
      expect(enrollment.statement.holderName).toContain(student.record.name.kanji);
      expect(transcript.statement.holderName).toBe(student.record.name.roman);
      expect(transcript.statement.details.join(' ')).toContain('3.25');
      const sloppy = enrollment.verificationCode.toLowerCase().replace(/-/g, ' ');
      expectVerdict((await verifyCode(lang, sloppy)).body, lang, 'genuine', enrollment);
      // The form on the page: POST redirects to the same GET, with no CSRF token needed.
      const browser = new TestBrowser(h, { lang });
      const posted = await browser.post(
        '/tu/verify',
        { code: enrollment.verificationCode },
        { csrf: false, follow: false },
      );
      expect(posted.status).toBe(303);
      expect(posted.location).toBe(`/tu/verify?code=${encodeURIComponent(enrollment.verificationCode)}`);
      expectVerdict((await browser.get(posted.location!)).body, lang, 'genuine', enrollment);
    });

    it(`C-7 #4 an unknown or malformed code is "unknown"; an empty one asks for the code (${lang})`, async () => {
      for (const code of ['ZZZZ-ZZZZ-ZZZZ', '0000-0000-0000', 'hello', '<script>']) {
        const page = await verifyCode(lang, code);
        expect(page.status).toBe(200);
        expectVerdict(page.body, lang, 'unknown');
      }
      const browser = new TestBrowser(h, { lang });
      const empty = await browser.post('/tu/verify', { code: '  ' }, { csrf: false, follow: false });
      expect(empty.status).toBe(422);
      expect(errorMessages(empty.body)).toEqual([say(lang, 'certificates.verify.codeRequired')]);
      const plain = await browser.get('/tu/verify');
      expect(plain.status).toBe(200);
      expect(verdictOf(plain.body)).toBe('');
      expect(textOf(plain.body)).toContain(say(lang, 'certificates.verify.intro'));
    });
  }

  it('C-7 C-6 #4 the QR code printed on the certificate opens the verification page with the code, which says genuine', async (context) => {
    needsPoppler(context, 'pdftoppm');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-qr-'));
    try {
      fs.writeFileSync(path.join(dir, 'c.pdf'), enrollment.pdf);
      execFileSync('/usr/bin/pdftoppm', [
        '-r',
        '200',
        '-png',
        '-singlefile',
        path.join(dir, 'c.pdf'),
        path.join(dir, 'page'),
      ]);
      const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'page.png')));
      const qr = jsQR(
        new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
        png.width,
        png.height,
      );
      expect(qr?.data).toBe(`http://shomei.test/tu/verify?code=${encodeURIComponent(enrollment.verificationCode)}`);
      const url = new URL(qr!.data);
      const page = await new TestBrowser(h, { lang: 'ja' }).get(`${url.pathname}${url.search}`);
      expectVerdict(page.body, 'ja', 'genuine', enrollment);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('C-7 verification by upload (#4)', () => {
  for (const lang of langs) {
    it(`C-7 #4 the issued PDF is genuine; with one byte of its page content changed it is altered (${lang})`, async () => {
      const genuine = await upload(lang, enrollment.pdf);
      expect(genuine.statusCode).toBe(200);
      expectVerdict(genuine.body, lang, 'genuine', enrollment);

      const altered = await alterContent(enrollment.pdf);
      expect(altered.length).toBe(enrollment.pdf.length);
      const response = await upload(lang, altered);
      expect(response.statusCode).toBe(200);
      expectVerdict(response.body, lang, 'altered', enrollment);

      // A byte appended (an incremental update, say) is an alteration too.
      const appended = await upload(lang, Buffer.concat([transcript.pdf, Buffer.from('\n% edited\n')]));
      expectVerdict(appended.body, lang, 'altered', transcript);
    });

    it(`C-7 #4 garbage, a PDF that is not ours, and no file at all (${lang})`, async () => {
      const garbage = await upload(lang, Buffer.from('this is not a pdf at all'));
      expect(garbage.statusCode).toBe(200);
      expectVerdict(garbage.body, lang, 'unknown');

      const foreign = await PDFDocument.create();
      foreign.addPage();
      foreign.setKeywords([`serial:TU-2026-999999`, 'verification-code:ZZZZ-ZZZZ-ZZZZ']);
      const foreignUpload = await upload(lang, Buffer.from(await foreign.save()));
      expectVerdict(foreignUpload.body, lang, 'unknown');

      // A truncated copy still names our certificate (its ids come first): not what was issued.
      const truncated = await upload(lang, enrollment.pdf.subarray(0, 2000));
      expectVerdict(truncated.body, lang, 'altered', enrollment);

      const none = await upload(lang, undefined);
      expect(none.statusCode).toBe(422);
      expect(errorMessages(none.body)).toEqual([say(lang, 'certificates.verify.fileRequired')]);
      const emptyFile = await upload(lang, Buffer.alloc(0));
      expect(emptyFile.statusCode).toBe(422);
      const notMultipart = await shown(
        lang,
        await h.app.server.inject({
          method: 'POST',
          url: '/tu/verify/file',
          payload: 'pdf=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
        }),
      );
      expect(notMultipart.statusCode).toBe(422);
      expect(errorMessages(notMultipart.body)).toEqual([say(lang, 'certificates.verify.fileRequired')]);
    });
  }
});

describe('C-7 revocation (#4)', () => {
  it('C-7 #4 after revocation the code, the file and an altered file all say revoked, with when and why', async () => {
    expect(await h.revoke(enrollment.serial, 'Issued in error')).toBe(true);
    expect(await h.revoke(enrollment.serial, 'again')).toBe(false);
    expect(await h.revoke('TU-2026-999999', 'none')).toBe(false);
    const revoked = (await h.uow.repos.certificates.findBySerial(h.tenant.id, enrollment.serial))!;
    for (const lang of langs) {
      const byCode = await verifyCode(lang, enrollment.verificationCode);
      expectVerdict(byCode.body, lang, 'revoked', revoked);
      const text = verdictOf(byCode.body);
      expect(text).toContain(say(lang, 'certificates.verify.revokedAt'));
      expect(text).toContain(formatDateTime(revoked.revokedAt!, lang));
      expect(text).toContain('Issued in error');
      expectVerdict((await upload(lang, enrollment.pdf)).body, lang, 'revoked', revoked);
      expectVerdict((await upload(lang, await alterContent(enrollment.pdf))).body, lang, 'revoked', revoked);
      // The other certificate of the order is untouched.
      expectVerdict((await verifyCode(lang, transcript.verificationCode)).body, lang, 'genuine', transcript);
    }
    const audit = await h.database.db
      .selectFrom('audit_log')
      .select('event')
      .where('tenant_id', '=', h.tenant.id)
      .where('event', '=', 'certificate.revoked')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('C-7 the verification forms are outside the CSRF check; everything else is not (#4)', () => {
  it('C-7 #4 read-only verification POSTs need no token, state-changing POSTs still do', async () => {
    const anonymous = new TestBrowser(h, { lang: 'en' });
    expect(
      (await anonymous.post('/tu/verify', { code: transcript.verificationCode }, { csrf: false, follow: false }))
        .status,
    ).toBe(303);
    expect((await upload('en', transcript.pdf)).statusCode).toBe(200);

    // A logged-in student's state-changing forms refuse a missing or wrong token.
    const { orderId } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
    for (const csrf of [false, 'forged-token'] as const) {
      const cancel = await student.browser.post(`/tu/orders/${orderId}/cancel`, {}, { csrf, follow: false });
      expect(cancel.status).toBe(403);
      const order = await student.browser.post(
        '/tu/orders/new?destination=campus',
        { 'copies-enrollment-ja': '1' },
        { csrf, follow: false },
      );
      expect(order.status).toBe(403);
      const login = await anonymous.post(
        '/tu/login',
        { userId: 'x', password: 'y', secondPassword: '' },
        { csrf, follow: false },
      );
      expect(login.status).toBe(403);
      const delivery = await anonymous.post(
        '/tu/delivery',
        { token: 'x'.repeat(43), serial: 'TU-2026-000001' },
        { csrf, follow: false },
      );
      expect(delivery.status).toBe(403);
      const simulator = await anonymous.post(
        '/simulator/lookup',
        { terminal: 'sim-store', number: '123456789012' },
        { csrf, follow: false },
      );
      expect(simulator.status).toBe(403);
    }
    expect((await h.uow.repos.orders.find(h.tenant.id, orderId))!.state).toBe('reserved');
  });
});
