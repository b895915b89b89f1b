import crypto from 'node:crypto';
import fs from 'node:fs';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipamjMinchoFile } from '../src/features/certificates/pdf/fonts.js';
import { errorMessages, say } from './helpers/accounts.js';
import { TestBrowser, textOf } from './helpers/harness.js';
import { urlIn } from './helpers/smtp.js';
import type { Harness } from './helpers/harness.js';
import {
  type OrderingStudent,
  type TestTerminal,
  digitalRecipient,
  fillOrderForm,
  orderRow,
  orderingStudent,
  placeOrder,
  putRecord,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';
import { pdfText } from './helpers/pdf.js';
import { startHarness } from './helpers/harness.js';
import { issuancePolicy, yen } from './helpers/orders.js';
import { seedDemoCatalogue } from '../src/dev/demo/demo-catalogue.js';
import { operatorActor } from '../src/platform/actor.js';

let h: Harness;
let campus: TestTerminal;

beforeAll(async () => {
  h = await startIssuanceHarness();
  campus = await registerTerminal(h, 'campus', h.tenant.id);
});
afterAll(async () => {
  await h.close();
});

async function reserveEnrollment(student: OrderingStudent): Promise<{ orderId: string; number: string }> {
  const { orderId, page } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
  return { orderId, number: reservationNumberIn(page.body) };
}

describe('#9 C-11 eligibility is checked again at the terminal and at issuance', () => {
  it('#9 C-11 a student withdrawn after ordering: lookup and payment refuse with 409 reservation_ineligible, nothing is paid', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, number } = await reserveEnrollment(student);
    await putRecord(h, { ...student.record, status: 'withdrawn' });

    const lookup = await terminalCall(h, campus, 'GET', `/reservations/${number}`);
    expect(lookup.statusCode).toBe(409);
    expect(lookup.json()).toEqual({ error: 'reservation_ineligible' });
    const pay = await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
    expect(pay.statusCode).toBe(409);
    expect(pay.json()).toEqual({ error: 'reservation_ineligible' });
    expect((await orderRow(h, orderId)).state).toBe('reserved');
    // The refusal has words in both languages, for the terminal and the error pages.
    for (const lang of ['ja', 'en'] as const) {
      say(lang, 'errors.reservation_ineligible.title');
      say(lang, 'orders.simulator.errors.reservation_ineligible');
    }

    // Enrolled again (the record was wrong): the reservation prints.
    await putRecord(h, student.record);
    expect((await terminalCall(h, campus, 'GET', `/reservations/${number}`)).statusCode).toBe(200);
  });

  it('#9 C-11 withdrawn after payment: documents refuse with 409 and no 在学 certificate is issued', async () => {
    const student = await orderingStudent(h, 'ja');
    const { orderId, number } = await reserveEnrollment(student);
    const pay = await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 });
    expect(pay.statusCode).toBe(200);
    await putRecord(h, { ...student.record, status: 'withdrawn' });

    const documents = await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`);
    expect(documents.statusCode).toBe(409);
    expect(documents.json()).toEqual({ error: 'reservation_ineligible' });
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toEqual([]);
  });

  it('#9 C-11 after payment, the university withdrawing the type does not take back the paid certificate', async () => {
    const student = await orderingStudent(h, 'ja');
    const { number } = await reserveEnrollment(student);
    expect(
      (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 })).statusCode,
    ).toBe(200);
    await h.uow.repos.catalogue.setActive(h.tenant.id, 'enrollment', false);
    try {
      const documents = await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`);
      expect(documents.statusCode).toBe(200);
      // Before payment the same is refused at lookup.
      const other = await orderingStudent(h, 'ja');
      await h.uow.repos.catalogue.setActive(h.tenant.id, 'enrollment', true);
      const unpaid = await reserveEnrollment(other);
      await h.uow.repos.catalogue.setActive(h.tenant.id, 'enrollment', false);
      const lookup = await terminalCall(h, campus, 'GET', `/reservations/${unpaid.number}`);
      expect(lookup.json()).toEqual({ error: 'reservation_ineligible' });
    } finally {
      await h.uow.repos.catalogue.setActive(h.tenant.id, 'enrollment', true);
    }
  });
});

describe.skipIf(!fs.existsSync(ipamjMinchoFile) && process.env.CI !== 'true')(
  '#9 C-11 every character is drawable',
  () => {
    it('#9 C-11 a name with 𠮷 (U+20BB7), 髙 and 﨑: order → pay → documents works and pdftotext shows the name', async () => {
      const student = await orderingStudent(h, 'ja', {
        name: { kanji: '𠮷田 髙﨑', kana: 'ヨシダ タカサキ', roman: 'YOSHIDA Takasaki' },
      });
      const { number } = await reserveEnrollment(student);
      expect(
        (await terminalCall(h, campus, 'POST', `/reservations/${number}/payment`, { amountYen: 300 })).statusCode,
      ).toBe(200);
      const documents = await terminalCall(h, campus, 'GET', `/reservations/${number}/documents`);
      expect(documents.statusCode).toBe(200);
      const [document] = (documents.json() as { documents: Array<{ url: string }> }).documents;
      const pdf = await terminalCall(h, campus, 'GET', document!.url.replace('/api/v1/terminal', ''));
      expect(pdf.statusCode).toBe(200);
      expect(pdfText(pdf.rawPayload)).toContain('𠮷田 髙﨑');
    });

    it('#9 C-11 a record changed after ordering to a character no font draws: lookup refuses with 409 reservation_undrawable', async () => {
      const student = await orderingStudent(h, 'ja');
      const { orderId, number } = await reserveEnrollment(student);
      await putRecord(h, { ...student.record, name: { ...student.record.name, kanji: '山田 \u{1F600}' } });
      const lookup = await terminalCall(h, campus, 'GET', `/reservations/${number}`);
      expect(lookup.statusCode).toBe(409);
      expect(lookup.json()).toEqual({ error: 'reservation_undrawable' });
      expect((await orderRow(h, orderId)).state).toBe('reserved');
    });
  },
);

describe('#9 C-11 without the fallback font, 外字 are refused at order time', () => {
  let bare: Harness;
  beforeAll(async () => {
    bare = await startHarness({ policy: issuancePolicy, env: { CERTIFICATE_FALLBACK_FONT: 'none' } });
    await bare.uow.run(operatorActor(bare.tenant.id), async (repos) => seedDemoCatalogue(repos, bare.tenant.id));
  });
  afterAll(async () => {
    await bare.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`#9 C-11 the order form names 𠮷 and the next step, before any order (${lang})`, async () => {
      const student = await orderingStudent(bare, lang, {
        name: { kanji: '𠮷田 太郎', kana: 'ヨシダ タロウ', roman: 'YOSHIDA Taro' },
      });
      const page = await fillOrderForm(student, 'campus', { [`copies-enrollment-${lang}`]: '1' });
      expect(page.status).toBe(422);
      expect(errorMessages(page.body)).toEqual([say(lang, 'orders.errors.undrawable', { characters: '𠮷' })]);
      const orders = await bare.database.db
        .selectFrom('orders')
        .select('id')
        .where('student_number', '=', student.record.studentNumber)
        .execute();
      expect(orders).toHaveLength(0);
    });
  }
});

describe('#9 C-11 the signer is checked at order time', () => {
  it('#9 C-11 a signing key whose certificate is not its own refuses the order (signer_unavailable), before any payment', async () => {
    const student = await orderingStudent(h, 'en');
    const stored = await h.uow.repos.signingKeys.find(h.tenant.id);
    expect(stored).toBeDefined();
    // The university's key with another key's certificate, as a mistaken import would store it.
    const own = forge.pki.privateKeyFromPem(
      crypto
        .generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs1', format: 'pem' })
        .toString(),
    );
    const p12 = forge.pkcs12.toPkcs12Asn1(own, [forge.pki.certificateFromPem(stored!.certificatePem)], 'pass', {
      algorithm: '3des',
    });
    await h.uow.repos.signingKeys.replace(
      h.tenant.id,
      {
        p12Base64: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary').toString('base64'),
        passphraseSealed: h.app.services.box.seal('pass'),
        certificatePem: stored!.certificatePem,
      },
      h.clock.now(),
    );
    try {
      const page = await fillOrderForm(student, 'campus', { 'copies-enrollment-en': '1' });
      expect(page.status).toBe(503);
      expect(page.body).toContain(say('en', 'errors.signer_unavailable.title'));
    } finally {
      await h.uow.repos.signingKeys.replace(h.tenant.id, stored!, h.clock.now());
    }
    const after = await fillOrderForm(student, 'campus', { 'copies-enrollment-en': '1' });
    expect(after.status).toBe(303);
  });
});

describe('#9 digital delivery: one PDF, one fee', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`#9 C-9 the form asks which certificates, not how many copies; the review, the order row and the mail charge one each (${lang})`, async () => {
      const student = await orderingStudent(h, lang);
      const form = await student.browser.get('/tu/orders/new?destination=digital');
      expect(form.body).toMatch(/<input type="checkbox" name="copies-transcript-en"/);
      expect(form.body).not.toMatch(/<input type="number"/);
      expect(textOf(form.body)).toContain(say(lang, 'orders.form.digitalOneCopy'));

      // A number of copies sent anyway is refused, not charged.
      const counted = await fillOrderForm(student, 'digital', { 'copies-transcript-en': '3', ...digitalRecipient });
      expect(counted.status).toBe(422);
      expect(errorMessages(counted.body)).toEqual([say(lang, 'orders.errors.digitalOneCopy')]);

      const drafted = await fillOrderForm(student, 'digital', { 'copies-transcript-en': '1', ...digitalRecipient });
      expect(drafted.status).toBe(303);
      const review = await student.browser.get(drafted.location!);
      expect(textOf(review.body)).toContain(say(lang, 'orders.review.total', { total: yen(300, lang) }));
      expect(review.body).not.toContain(`>${say(lang, 'orders.form.copies')}<`);
      const since = h.smtp.count();
      const placed = await student.browser.post(
        drafted.location!.replace('/orders/review', '/orders/place'),
        {},
        { follow: false },
      );
      const orderId = /\/tu\/orders\/([^?]+)/.exec(placed.location!)![1]!;
      const order = await orderRow(h, orderId);
      expect(order).toMatchObject({ destination: 'digital', feeYen: 300, postageYen: 0 });
      expect(order.items.map((item) => item.copies)).toEqual([1]);
      const mail = await h.smtp.waitFor(student.email, { since });
      expect(mail.text).toContain(yen(300, lang));
    });
  }
});

describe('#9 the recipient is addressed once', () => {
  it('#9 a recipient typed as "佐藤様" gets "佐藤様", never "佐藤様 様", in the mail and on the download page', async () => {
    const student = await orderingStudent(h, 'ja');
    const recipientEmail = 'sato@sample-corp.example.com';
    const { orderId } = await placeOrder(student, 'digital', {
      'copies-enrollment-ja': '1',
      ...digitalRecipient,
      recipientName: '株式会社サンプル 人事部 佐藤様',
      recipientEmail,
      recipientLang: 'ja',
    });
    const since = h.smtp.count();
    expect(await h.advanceOrder(orderId, 'paid')).not.toBe('invalid');
    const mail = await h.smtp.waitFor(recipientEmail, { since });
    expect(mail.subject).toContain('人事部 佐藤様へ');
    expect(`${mail.subject}\n${mail.text}`).not.toMatch(/様\s*様/);
    const link = urlIn(mail);
    const page = await new TestBrowser(h, { lang: 'ja', ip: '10.70.9.1' }).get(`${link.pathname}${link.search}`);
    expect(textOf(page.body)).toContain('株式会社サンプル 人事部 佐藤様へお送りする証明書です');
    expect(textOf(page.body)).not.toMatch(/様\s*様/);
  });
});
