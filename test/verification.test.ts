import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  sampleCourses,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';
import { needsPoppler } from './helpers/pdf.js';
import { uploadToVerify } from './helpers/verify.js';

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

/** The file sent from the verification page as a browser sends it, the verdict page followed. */
function upload(lang: Lang, pdf: Buffer | undefined, options: { csrf?: string | false } = {}) {
  return uploadToVerify(h, lang, pdf, { ...options, ip: nextAddress() });
}

let addresses = 0;
/** Each check from an address of its own: the limits per address are verification-limits.test.ts's business. */
function nextAddress(): string {
  addresses += 1;
  return `10.9.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

async function verifyCode(lang: Lang, code: string) {
  const browser = new TestBrowser(h, { lang, ip: nextAddress() });
  return browser.get(`/tu/verify?code=${encodeURIComponent(code)}`);
}

/** The verdict section as text. */
function verdictOf(html: string): string {
  const match = /<section class="verdict"[\s\S]*?<\/section>/.exec(html);
  return match ? textOf(match[0]).trim() : '';
}

type VerdictName = 'genuine' | 'revoked' | 'altered' | 'unknown' | 'unchecked';

/** Times on the page: ISO 8601 in English (#9 §2), the site's Japanese style in Japanese. */
function pageTime(ms: number, lang: Lang): string {
  return lang === 'en'
    ? `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} (JST)`
    : formatDateTime(ms, lang);
}

/** Everything personal the test student's certificates carry: none of it without proof of holding (C-13). */
function personalData(): string[] {
  return [
    student.record.studentNumber,
    student.record.name.kanji,
    student.record.name.roman,
    '3.25',
    enrollment.serial,
    transcript.serial,
    ...sampleCourses.map((course) => course.name.en),
    ...sampleCourses.map((course) => course.name.ja),
  ];
}

function expectVerdict(html: string, lang: Lang, verdict: VerdictName, certificate?: IssuedCertificate) {
  const text = verdictOf(html);
  expect(text).toContain(say(lang, `certificates.verify.verdict.${verdict}.title`));
  expect(text).toContain(say(lang, `certificates.verify.verdict.${verdict}.body`));
  for (const other of ['genuine', 'revoked', 'altered', 'unknown', 'unchecked'].filter((v) => v !== verdict)) {
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
    expect(text).toContain(pageTime(certificate.issuedAt, lang));
  } else {
    for (const personal of personalData()) expect(text).not.toContain(personal);
    expect(textOf(html)).not.toContain(student.record.studentNumber);
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
      // The form on the page: POST (with the page's CSRF token) redirects to the same GET.
      const browser = new TestBrowser(h, { lang });
      await browser.get('/tu/verify');
      const posted = await browser.post('/tu/verify', { code: enrollment.verificationCode }, { follow: false });
      expect(posted.status).toBe(303);
      expect(posted.location).toBe(`/tu/verify?code=${encodeURIComponent(enrollment.verificationCode)}`);
      expectVerdict((await browser.get(posted.location!)).body, lang, 'genuine', enrollment);
    });

    it(`C-7 #4 an unknown or malformed code is "unknown"; an empty one asks for the code (${lang})`, async () => {
      for (const code of ['ZZZZ-ZZZZ-ZZZZ', '0000-0000-0000', 'hello', '<script>', enrollment.serial]) {
        const page = await verifyCode(lang, code);
        expect(page.status).toBe(200);
        expectVerdict(page.body, lang, 'unknown');
      }
      const browser = new TestBrowser(h, { lang });
      await browser.get('/tu/verify');
      const empty = await browser.post('/tu/verify', { code: '  ' }, { follow: false });
      expect(empty.status).toBe(422);
      expect(errorMessages(empty.body)).toEqual([say(lang, 'certificates.verify.codeRequired')]);
      const plain = await browser.get('/tu/verify');
      expect(plain.status).toBe(200);
      expect(verdictOf(plain.body)).toBe('');
      expect(textOf(plain.body)).toContain(say(lang, 'certificates.verify.intro'));
    });

    it(`#9 C-13 a code holder sees the whole statement: every course with its grade and credits, the birth date, "Statement", ISO dates in English (${lang})`, async () => {
      const page = await verifyCode(lang, transcript.verificationCode);
      const text = verdictOf(page.body);
      // The transcript is English: its rows are printed in English whatever the page's language.
      for (const course of sampleCourses) {
        expect(text).toMatch(
          new RegExp(
            `${course.academicYear} ${course.term.en}\\s+${course.name.en}\\s+${course.credits}\\s+${course.grade}`,
          ),
        );
      }
      expect(text).toContain(say(lang, 'certificates.verify.courses'));
      expect(text).toContain(say(lang, 'certificates.verify.birthDate'));
      expect(text).toContain(lang === 'en' ? '2004-06-14' : '2004年6月14日');
      expect(text).toContain(say(lang, 'certificates.verify.statement'));
      expect(text).not.toMatch(/\bStates\b/);
      if (lang === 'en') expect(text).toMatch(/\b2026-11-22 10:00 \(JST\)/);
      // A certificate with no courses shows no course table, and the birth date all the same.
      const enrollmentText = verdictOf((await verifyCode(lang, enrollment.verificationCode)).body);
      expect(enrollmentText).toContain(lang === 'en' ? '2004-06-14' : '2004年6月14日');
      expect(enrollmentText).not.toContain(say(lang, 'certificates.verify.courses'));
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

/** What follows a signed revision, as a later incremental update writes it. */
const laterRevision = Buffer.from(
  '\n99 0 obj\n<< /Type /Annot /Subtype /FreeText /Contents (GPA 4.00) >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 100 >>\nstartxref\n0\n%%EOF\n',
);

describe('C-7 verification by upload (#4)', () => {
  for (const lang of langs) {
    it(`C-7 #9 the issued PDF is genuine; with one byte of its signed content changed it is "signed content changed", with nothing personal (${lang})`, async () => {
      const genuine = await upload(lang, enrollment.pdf);
      expect(genuine.status).toBe(200);
      expectVerdict(genuine.body, lang, 'genuine', enrollment);

      const altered = await alterContent(enrollment.pdf);
      expect(altered.length).toBe(enrollment.pdf.length);
      const response = await upload(lang, altered);
      expect(response.status).toBe(200);
      expectVerdict(response.body, lang, 'altered');
    });

    it(`#9 C-13 data after the signed revision: "signed content intact; data added after signing", saying what was added (${lang})`, async () => {
      const trailing = await upload(lang, Buffer.concat([transcript.pdf, Buffer.from('\n% edited\n')]));
      expectVerdict(trailing.body, lang, 'genuine', transcript);
      const trailingText = verdictOf(trailing.body);
      expect(trailingText).toContain(say(lang, 'certificates.verify.added.title'));
      expect(trailingText).toContain(say(lang, 'certificates.verify.added.bytes', { bytes: 10 }));

      const revised = await upload(lang, Buffer.concat([transcript.pdf, laterRevision]));
      expectVerdict(revised.body, lang, 'genuine', transcript);
      expect(verdictOf(revised.body)).toContain(
        say(lang, 'certificates.verify.added.revision', { bytes: laterRevision.length }),
      );
      expect(verdictOf((await upload(lang, enrollment.pdf)).body)).not.toContain(
        say(lang, 'certificates.verify.added.title'),
      );
    });

    it(`#9 C-13 a file is never looked up by the serial it carries; a truncated copy or a forgery shows no personal data (${lang})`, async () => {
      const garbage = await upload(lang, Buffer.from('this is not a pdf at all'));
      expect(garbage.status).toBe(200);
      expectVerdict(garbage.body, lang, 'unknown');

      // Our serial, no code or a wrong one: before #9 the serial alone found the record.
      for (const keywords of [
        [`serial:${enrollment.serial}`],
        [`serial:${enrollment.serial}`, 'verification-code:ZZZZ-ZZZZ-ZZZZ'],
      ]) {
        const forged = await PDFDocument.create();
        forged.addPage();
        forged.setKeywords(keywords);
        expectVerdict((await upload(lang, Buffer.from(await forged.save()))).body, lang, 'unknown');
      }
      const raw = Buffer.from(`%PDF-1.7\n1 0 obj\n<< /ShomeiSerial (${enrollment.serial}) >>\nendobj\n%%EOF\n`);
      expectVerdict((await upload(lang, raw)).body, lang, 'unknown');

      // A truncated copy still carries our code (its ids come first): changed, and nothing shown.
      const truncated = await upload(lang, enrollment.pdf.subarray(0, 2000));
      expectVerdict(truncated.body, lang, 'altered');
    });

    it(`C-7 #4 no file at all asks for one (${lang})`, async () => {
      const none = await upload(lang, undefined);
      expect(none.status).toBe(422);
      expect(errorMessages(none.body)).toEqual([say(lang, 'certificates.verify.fileRequired')]);
      const emptyFile = await upload(lang, Buffer.alloc(0));
      expect(emptyFile.status).toBe(422);
      const browser = new TestBrowser(h, { lang });
      await browser.get('/tu/verify');
      const notMultipart = await browser.post('/tu/verify/file', { pdf: 'x' }, { follow: false });
      expect(notMultipart.status).toBe(422);
      expect(errorMessages(notMultipart.body)).toEqual([say(lang, 'certificates.verify.fileRequired')]);
    });
  }
});

describe('C-7 revocation (#4)', () => {
  it('C-7 #4 #12 A-5 after revocation the code and the file say revoked, with when and the category of why; an altered file says changed', async () => {
    expect(await h.revoke(enrollment.serial, 'issued_in_error', 'Typed the wrong student number at the counter')).toBe(
      true,
    );
    expect(await h.revoke(enrollment.serial, 'other')).toBe(false);
    expect(await h.revoke('TU-2026-999999', 'other')).toBe(false);
    const revoked = (await h.uow.repos.certificates.findBySerial(h.tenant.id, enrollment.serial))!;
    for (const lang of langs) {
      const byCode = await verifyCode(lang, enrollment.verificationCode);
      expectVerdict(byCode.body, lang, 'revoked', revoked);
      const text = verdictOf(byCode.body);
      expect(text).toContain(say(lang, 'certificates.verify.revokedAt'));
      expect(text).toContain(pageTime(revoked.revokedAt!, lang));
      // #12 A-5: the category in the page's language, never the staff's own words.
      expect(text).toContain(say(lang, 'certificates.revocation.issued_in_error'));
      expect(text).not.toContain('wrong student number');
      expectVerdict((await upload(lang, enrollment.pdf)).body, lang, 'revoked', revoked);
      expectVerdict(
        (await upload(lang, Buffer.concat([enrollment.pdf, laterRevision]))).body,
        lang,
        'revoked',
        revoked,
      );
      expectVerdict((await upload(lang, await alterContent(enrollment.pdf))).body, lang, 'altered');
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

describe('#9 C-13 the verification forms carry the CSRF token like every other form', () => {
  it("#9 C-13 a verification POST without the page's token, or with a forged one, is refused; state-changing POSTs still are", async () => {
    const anonymous = new TestBrowser(h, { lang: 'en' });
    await anonymous.get('/tu/verify');
    for (const csrf of [false, 'forged-token'] as const) {
      expect(
        (await anonymous.post('/tu/verify', { code: transcript.verificationCode }, { csrf, follow: 'never' })).status,
      ).toBe(403);
      const refused = await upload('en', transcript.pdf, { csrf });
      expect(refused.status).toBe(403);
      expect(verdictOf(refused.body)).toBe('');
      expect(textOf(refused.body)).not.toContain(transcript.statement.studentNumber);
    }
    await anonymous.get('/tu/verify');
    expect(
      (await anonymous.post('/tu/verify', { code: transcript.verificationCode }, { follow: 'never' })).status,
    ).toBe(303);
    expect((await upload('en', transcript.pdf)).status).toBe(200);

    // A logged-in student's state-changing forms refuse a missing or wrong token.
    const { orderId } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
    for (const csrf of [false, 'forged-token'] as const) {
      const cancel = await student.browser.post(`/tu/orders/${orderId}/cancel`, {}, { csrf, follow: false });
      expect(cancel.status).toBe(403);
      const login = await anonymous.post(
        '/tu/login',
        { userId: 'x', password: 'y', secondPassword: '' },
        { csrf, follow: false },
      );
      expect(login.status).toBe(403);
    }
    expect((await h.uow.repos.orders.find(h.tenant.id, orderId))!.state).toBe('reserved');
  });
});
