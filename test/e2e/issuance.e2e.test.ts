import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../../src/dev/demo/demo-catalogue.js';
import type { StudentRecordInput } from '../../src/features/records/record.model.js';
import { formatDateTime } from '../../src/platform/format.js';
import { type ReadyStudent, readyStudent } from '../helpers/accounts.js';
import { TestBrowser } from '../helpers/harness.js';
import { putRecord, studentRecord } from '../helpers/orders.js';
import { type DeviceName, describeBrowser } from './browser.js';
import {
  type Lang,
  type Tour,
  browserAndSite,
  checkScreen,
  endTour,
  logInInBrowser,
  onScreen,
  openTour,
  screenshotDir,
  ui,
} from './site.js';

/** The words of the issuance screens, as a student reads them (src/locales/{en,ja}/orders.json, certificates.json). */
const words = {
  en: {
    destinations: ['On-campus printer', 'Convenience store', 'Postal mail', 'Digital delivery'],
    convenience: 'Convenience store',
    history: 'Order history',
    language: { ja: 'Japanese', en: 'English' },
    enrollment: 'Certificate of Enrollment',
    transcript: 'Academic Transcript',
    expectedGraduation: 'Certificate of Expected Graduation',
    courseApplication: 'Course Application Form',
    next: 'Next',
    reviewTitle: 'Confirm your order',
    total: 'Total',
    fee: (yen: number) => `¥${yen.toLocaleString('en-US')}`,
    confirm: 'Confirm',
    orderTitle: 'Order',
    placed: 'Your order has been placed. A mail with its details has been sent to you.',
    reservationNumber: 'Reservation number',
    validUntil: (expiry: string) => `Valid until ${expiry}`,
    simulatorTitle: 'Terminal simulator',
    lookUp: 'Look up',
    pay: (yen: number) => `Pay ¥${yen.toLocaleString('en-US')}`,
    paid: 'Payment received.',
    finish: 'Printing finished',
    printedMessage: 'Printing is complete. Please take your certificates.',
    printedState: 'Printed',
    verifyTitle: 'Certificate verification',
    code: 'Verification code',
    checkCode: 'Check the code',
    file: 'Certificate PDF file',
    checkFile: 'Check the file',
    genuine: 'Genuine',
    holder: 'YAMADA Hanako',
    finalYearOnly:
      'Not available: only for students in their final year. For questions, please contact your faculty office.',
    destinationOnly: 'Not available for this destination. Choose another destination.',
    postal: 'Postal mail',
    /** A certificate to print on the simulator: "Certificate of Enrollment (Japanese, TU-2026-000001-7KQ2)". */
    document: (name: string, language: string) =>
      new RegExp(`^${name} \\(${language}, TU-\\d{4}-\\d{6}-[0-9A-Z]{4}\\)$`),
  },
  ja: {
    destinations: ['学内印刷機', 'コンビニエンスストア', '郵送', '電子交付'],
    convenience: 'コンビニエンスストア',
    history: '申込履歴',
    language: { ja: '日本語', en: '英語' },
    enrollment: '在学証明書',
    transcript: '成績証明書',
    expectedGraduation: '卒業見込み証明書',
    courseApplication: '受講申込書',
    next: '次へ',
    reviewTitle: '申込内容の確認',
    total: '合計',
    fee: (yen: number) => `${yen.toLocaleString('ja-JP')}円`,
    confirm: '確定',
    orderTitle: '申込内容',
    placed: '申込を受け付けました。申込内容をメールでお送りしました。',
    reservationNumber: '予約番号',
    validUntil: (expiry: string) => `有効期限：${expiry}`,
    simulatorTitle: '端末シミュレーター',
    lookUp: '照会',
    pay: (yen: number) => `${yen.toLocaleString('ja-JP')}円を支払う`,
    paid: 'お支払いを受け付けました。',
    finish: '印刷完了',
    printedMessage: '印刷が完了しました。証明書をお取りください。',
    printedState: '印刷済み',
    verifyTitle: '証明書の真正性確認',
    code: '照合コード',
    checkCode: 'コードで確認',
    file: '証明書のPDFファイル',
    checkFile: 'ファイルで確認',
    genuine: '真正です',
    holder: '山田 花子（YAMADA Hanako）',
    finalYearOnly: '発行できません：最終学年の学生のみ発行できます。ご不明な点は各学部窓口にお問い合わせください。',
    destinationOnly: 'この発行先では発行できません。別の発行先を選んでください。',
    postal: '郵送',
    document: (name: string, language: string) => new RegExp(`^${name}（${language}、TU-\\d{4}-\\d{6}-[0-9A-Z]{4}）$`),
  },
} as const;

/** A fourth-year student of the demo catalogue's university: every certificate is available. */
function record(userId: string, overrides: Partial<StudentRecordInput> = {}): StudentRecordInput {
  return studentRecord(userId, {
    name: { kanji: '山田 花子', kana: 'ヤマダ ハナコ', roman: 'YAMADA Hanako' },
    ...overrides,
  });
}

/** The row of one certificate on the order form, found by its name in the first column. */
function certificateRow(page: Page, name: string): Locator {
  return page.locator('tbody tr', { has: page.getByRole('rowheader', { name, exact: true }) });
}

describeBrowser('certificate issuance in a browser (C-1, C-4, C-5, C-7, C-8, C-10)', () => {
  const e2e = browserAndSite();
  beforeAll(async () => {
    const { h } = e2e.site;
    await seedDemoCatalogue(h.uow.repos, h.tenant.id);
    await h.uow.repos.tenants.updatePolicy(h.tenant.id, {
      ...h.tenant.policy,
      destinations: ['campus', 'convenience', 'postal', 'digital'],
    });
  });

  /** A student with a record, a mail address and a second password, logged in through the login screens. */
  async function loggedInStudent(
    tour: Tour,
    lang: Lang,
    overrides: Partial<StudentRecordInput> = {},
  ): Promise<{ student: ReadyStudent; record: StudentRecordInput }> {
    const { h } = e2e.site;
    const student = await readyStudent(h, new TestBrowser(h, { lang }));
    const full = record(student.userId, overrides);
    await putRecord(h, full);
    await logInInBrowser(e2e.site, tour, lang, student);
    return { student, record: full };
  }

  const journeys: Array<{ lang: Lang; device: DeviceName }> = [
    { lang: 'ja', device: 'desktop' },
    { lang: 'en', device: 'desktop' },
    { lang: 'ja', device: 'phone' },
  ];

  it.each(journeys)(
    'C-1 C-4 C-5 C-7 C-8: $lang on $device — order at a convenience store, print at the simulator, verify',
    async ({ lang, device }) => {
      const { h } = e2e.site;
      const w = words[lang];
      const other: Lang = lang === 'ja' ? 'en' : 'ja';
      const tour = await openTour(e2e.browser, { name: `issuance-${lang}-${device}`, device, lang });
      const { page } = tour;
      const { student, record: held } = await loggedInStudent(tour, lang);

      // C-1: Select Printing Destination with the four destinations the tenant enables.
      await onScreen(page, ui[lang].homeTitle);
      for (const name of w.destinations) await page.getByRole('link', { name: new RegExp(`^${name}`) }).waitFor();
      await checkScreen(tour, 'destinations');
      await page.getByRole('link', { name: new RegExp(`^${w.convenience}`) }).click();

      // C-4: the order form: enrollment in the page's language, a transcript in the other one.
      await page.waitForURL(/\/tu\/orders\/new\?destination=convenience$/);
      await onScreen(page, w.convenience);
      await checkScreen(tour, 'order-form');
      await certificateRow(page, w.enrollment).getByLabel(w.language[lang], { exact: true }).fill('1');
      await certificateRow(page, w.transcript).getByLabel(w.language[other], { exact: true }).fill('1');
      await page.getByRole('button', { name: w.next, exact: true }).click();

      // The fee before anything is placed: 300 yen each.
      await page.waitForURL(/\/tu\/orders\/review\?flow=/);
      await onScreen(page, w.reviewTitle);
      const quote = page.getByRole('table');
      await quote.getByRole('row', { name: `${w.enrollment} ${w.language[lang]} 1 ${w.fee(300)}` }).waitFor();
      await quote.getByRole('row', { name: `${w.transcript} ${w.language[other]} 1 ${w.fee(300)}` }).waitFor();
      await quote.getByRole('row', { name: `${w.total} ${w.fee(600)}` }).waitFor();
      await checkScreen(tour, 'review');
      const since = h.smtp.count();
      await page.getByRole('button', { name: w.confirm, exact: true }).click();

      // The reservation number (12 digits) and its expiry, on screen and by mail.
      await page.waitForURL(/\/tu\/orders\/[^/?]+\?notice=placed$/);
      await onScreen(page, w.orderTitle);
      await page.getByText(w.placed).waitFor();
      const orderId = /\/tu\/orders\/([^/?]+)/.exec(page.url())![1]!;
      const order = await h.uow.repos.orders.find(h.tenant.id, orderId);
      expect(order?.state).toBe('reserved');
      const reservation = page.getByRole('region', { name: w.reservationNumber });
      const number = (await reservation.locator('.reservation__number').innerText()).trim();
      // #10: grouped for keying in; the simulator below takes it as shown.
      expect(number).toMatch(/^\d{4}-\d{4}-\d{4}$/);
      expect(number.replace(/-/g, '')).toBe(order!.reservationNumber);
      const expiry = formatDateTime(order!.reservationExpiresAt!, lang);
      expect(order!.reservationExpiresAt! - order!.createdAt).toBe(7 * 86_400_000);
      await reservation.getByText(w.validUntil(expiry), { exact: true }).waitFor();
      await checkScreen(tour, 'reservation');
      const mail = await h.smtp.waitFor(student.email, { since, match: (m) => m.text.includes(number) });
      expect(mail.text).toContain(expiry);

      // C-5: the terminal simulator (a convenience-store machine) looks the number up, takes the fee, prints.
      await page.goto(`${e2e.site.origin}/simulator`);
      await onScreen(page, w.simulatorTitle);
      await checkScreen(tour, 'simulator');
      await page.getByLabel(w.reservationNumber, { exact: true }).fill(number);
      await page.getByRole('button', { name: w.lookUp, exact: true }).click();
      await page.getByRole('button', { name: w.pay(600), exact: true }).waitFor();
      await page.getByText(w.enrollment, { exact: true }).waitFor();
      await checkScreen(tour, 'simulator-lookup');
      await page.getByRole('button', { name: w.pay(600), exact: true }).click();
      await page.getByText(w.paid).waitFor();
      await checkScreen(tour, 'simulator-paid');

      // Each certificate opens as a PDF; the enrollment certificate is kept for the verification page.
      const documents = page
        .getByRole('list')
        .filter({ has: page.getByRole('link', { name: w.document(w.enrollment, w.language[lang]) }) });
      await expect(documents.getByRole('link').count()).resolves.toBe(2);
      const enrollmentLink = documents.getByRole('link', { name: w.document(w.enrollment, w.language[lang]) });
      const transcriptLink = documents.getByRole('link', { name: w.document(w.transcript, w.language[other]) });
      const pdfs: Buffer[] = [];
      for (const link of [enrollmentLink, transcriptLink]) {
        const response = await page.request.get(new URL((await link.getAttribute('href'))!, page.url()).href);
        expect(response.status()).toBe(200);
        expect(response.headers()['content-type']).toMatch(/^application\/pdf/);
        const bytes = await response.body();
        expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        pdfs.push(bytes);
      }
      const pdf = pdfs[0]!;
      mkdirSync(screenshotDir, { recursive: true });
      const pdfFile = path.join(screenshotDir, `${tour.name}-enrollment.pdf`);
      writeFileSync(pdfFile, pdf);

      await page.getByRole('button', { name: w.finish, exact: true }).click();
      await page.getByText(w.printedMessage).waitFor();
      await checkScreen(tour, 'simulator-printed');
      expect((await h.uow.repos.orders.find(h.tenant.id, orderId))?.state).toBe('printed');

      // C-8: the order history says Printed.
      await page.goto(`${e2e.site.origin}/tu/orders`);
      await onScreen(page, w.history);
      const row = page.getByRole('row').filter({ hasText: number });
      await row.getByRole('cell', { name: w.printedState, exact: true }).waitFor();
      await checkScreen(tour, 'history');

      // C-6 / C-7: the verification code printed on the PDF is the one issued, and the public page finds it genuine.
      const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
      const enrollment = issued.find((certificate) => certificate.type === 'enrollment');
      expect(enrollment?.lang).toBe(lang);
      expect(text).toContain(enrollment!.verificationCode);
      expect(text).toContain(held.studentNumber);

      await page.goto(`${e2e.site.origin}/tu/verify`);
      await onScreen(page, w.verifyTitle);
      await checkScreen(tour, 'verify');
      await page.getByLabel(w.code, { exact: true }).fill(enrollment!.verificationCode);
      await page.getByRole('button', { name: w.checkCode, exact: true }).click();
      await page.waitForURL(/\/tu\/verify\?code=/);
      const verdict = page.getByRole('region', { name: w.genuine });
      await verdict.waitFor();
      await verdict.getByText(w.holder, { exact: true }).waitFor();
      await verdict.getByText(w.enrollment, { exact: true }).waitFor();
      await checkScreen(tour, 'verify-code');

      // The same PDF, uploaded as the recipient received it.
      await page.getByLabel(w.file, { exact: true }).setInputFiles(pdfFile);
      await page.getByRole('button', { name: w.checkFile, exact: true }).click();
      // #10: the verdict is shown after a redirect, so Back and reload never resubmit the file.
      await page.waitForURL(/\/tu\/verify\?form=/);
      await page.getByRole('region', { name: w.genuine }).getByText(w.holder, { exact: true }).waitFor();
      await checkScreen(tour, 'verify-file');

      await endTour(tour);
    },
    90_000,
  );

  const unavailable: Array<{ lang: Lang; device: DeviceName }> = [
    { lang: 'ja', device: 'desktop' },
    { lang: 'en', device: 'phone' },
  ];

  it.each(unavailable)(
    'C-10: $lang on $device — a second-year student sees expected graduation with its reason, not hidden',
    async ({ lang, device }) => {
      const w = words[lang];
      const tour = await openTour(e2e.browser, { name: `unavailable-${lang}-${device}`, device, lang });
      const { page } = tour;
      await loggedInStudent(tour, lang, { year: 2, admissionDate: '2025-04-01', expectedGraduationDate: '2029-03-31' });

      await page.getByRole('link', { name: new RegExp(`^${w.convenience}`) }).click();
      await onScreen(page, w.convenience);
      const expected = certificateRow(page, w.expectedGraduation);
      await expected.getByText(w.finalYearOnly, { exact: true }).waitFor();
      await expect(expected.getByRole('spinbutton').count()).resolves.toBe(0);
      // The others stay orderable.
      await expect(certificateRow(page, w.enrollment).getByRole('spinbutton').count()).resolves.toBe(2);
      await checkScreen(tour, 'order-form-second-year');

      // Postal mail: the course application form is printed only on campus or at a store.
      await page.goto(`${e2e.site.origin}/tu/orders/new?destination=postal`);
      await onScreen(page, w.postal);
      await certificateRow(page, w.courseApplication).getByText(w.destinationOnly, { exact: true }).waitFor();
      await certificateRow(page, w.expectedGraduation).getByText(w.finalYearOnly, { exact: true }).waitFor();
      await checkScreen(tour, 'order-form-postal');

      await endTour(tour);
    },
    60_000,
  );
});
