import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../src/features/tenants/tenant.model.js';
import { errorMessages, say } from './helpers/accounts.js';
import { type Harness, TestBrowser, textOf } from './helpers/harness.js';
import {
  type OrderingStudent,
  orderRow,
  orderingStudent,
  placeOrder,
  postalAddress,
  putRecord,
  registerTerminal,
  reservationNumberIn,
  startIssuanceHarness,
  terminalCall,
} from './helpers/orders.js';
import { pdftotext, skipWithoutPoppler } from './helpers/poppler.js';
import { type EnrolledStaff, enrolWithTotp, invite } from './helpers/staff.js';

let h: Harness;
let other: Tenant;
let registrar: EnrolledStaff;
let otherStaff: EnrolledStaff;
let student: OrderingStudent;

beforeAll(async () => {
  h = await startIssuanceHarness();
  other = await h.tenants.create({ slug: 'ou', name: { ja: '他大学', en: 'Other University' }, enabled: false });
  registrar = await enrolWithTotp(h, await invite(h, h.tenant, 'registrar@tu.example.ac.jp', 'registrar'), 'r', 'Reg');
  otherStaff = await enrolWithTotp(h, await invite(h, other, 'admin@ou.example.ac.jp', 'administrator'), 'o', 'Adm');
  student = await orderingStudent(h, 'en');
});
afterAll(async () => {
  await h.close();
});

/** The student's next mail of this kind (the order mails of earlier steps may still be arriving). */
function mailAbout(since: number, subject: string) {
  const wanted = say('en', `mail.orderStatus.${subject}`);
  return h.smtp.waitFor(student.email, { since, match: (mail) => mail.subject.includes(wanted) });
}

const staffOrder = (id: string) => `/tu/staff/orders/${id}`;

/** A console POST as the registrar: the page's form first (its CSRF token), then the action. */
async function act(path: string, form: Record<string, string>, from = path.replace(/\/[a-z-]+$/, '')) {
  await registrar.browser.get(from);
  return registrar.browser.post(path, form);
}

describe('#12 A-5 the orders console: search and an order page', () => {
  it('#12 A-5 orders are searched by state, destination, date and user ID, newest first', async () => {
    const postal = await placeOrder(student, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
    h.clock.advance(60_000);
    const campus = await placeOrder(student, 'campus', { 'copies-enrollment-en': '1' });
    const all = await registrar.browser.get('/tu/staff/orders');
    expect(all.status).toBe(200);
    expect(all.body.indexOf(campus.orderId)).toBeLessThan(all.body.indexOf(postal.orderId));
    const postalOnly = await registrar.browser.get('/tu/staff/orders?destination=postal&state=submitted');
    expect(postalOnly.body).toContain(postal.orderId);
    expect(postalOnly.body).not.toContain(campus.orderId);
    const byUser = await registrar.browser.get(`/tu/staff/orders?userId=${student.userId}&state=reserved`);
    expect(byUser.body).toContain(campus.orderId);
    expect(byUser.body).not.toContain(postal.orderId);
    const nobody = await registrar.browser.get('/tu/staff/orders?userId=nobody');
    expect(nobody.body).not.toContain(campus.orderId);
    // The harness's day is 2026-11-22 in Japan.
    expect((await registrar.browser.get('/tu/staff/orders?from=2026-11-22&to=2026-11-22')).body).toContain(
      campus.orderId,
    );
    expect((await registrar.browser.get('/tu/staff/orders?from=2026-11-23')).body).not.toContain(campus.orderId);
    const bad = await registrar.browser.get('/tu/staff/orders?from=2026-13-01&to=x');
    expect(bad.status).toBe(422);
    expect(errorMessages(bad.body)).toContain(say('en', 'orders.console.errors.search.dateInvalid'));

    const page = textOf((await registrar.browser.get(staffOrder(postal.orderId))).body);
    expect(page).toContain(student.userId);
    expect(page).toContain('丸の内1-1-1');
    expect(page).toContain(say('en', 'orders.console.notPaid'));
    expect(page).toContain(say('en', 'orders.console.events.order_placed'));
  });

  it('#12 A-5 every console route: no session → login, another university → 404 or login', async () => {
    const { orderId } = await placeOrder(student, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
    const gets = ['/orders', '/postal', `/orders/${orderId}`, `/orders/${orderId}/packing-slip`];
    const posts = ['payment', 'printed', 'shipped', 'release', 'refund-note'].map((a) => `/orders/${orderId}/${a}`);
    const anonymous = new TestBrowser(h);
    await anonymous.get('/tu/staff/login');
    for (const path of gets) {
      const page = await anonymous.get(`/tu/staff${path}`, { follow: false });
      expect(page.status, path).toBe(303);
      expect(page.location, path).toMatch(/^\/tu\/staff\/login\?notice=loginRequired/);
    }
    const csrf = anonymous.csrf();
    for (const path of posts) {
      const page = await anonymous.post(`/tu/staff${path}`, { confirm: 'yes' }, { follow: 'never', csrf });
      expect(page.status, path).toBe(303);
      expect(page.location, path).toMatch(/^\/tu\/staff\/login/);
    }
    // The other university's member: their session is not one here, and this order is nobody there.
    expect((await otherStaff.browser.get(`/tu/staff/orders/${orderId}`, { follow: false })).location).toMatch(
      /^\/tu\/staff\/login/,
    );
    for (const path of [...gets.slice(2), `/orders/${orderId}/address-label`, `/orders/${orderId}/documents/1`])
      expect((await otherStaff.browser.get(`/ou/staff${path}`)).status, path).toBe(404);
    await otherStaff.browser.get('/ou/staff/orders');
    const token = otherStaff.browser.csrf();
    for (const path of posts)
      expect(
        (await otherStaff.browser.post(`/ou/staff${path}`, { confirm: 'yes', receipt: 'R-1' }, { csrf: token })).status,
      ).toBe(404);
    expect((await orderRow(h, orderId)).state).toBe('submitted');
  });
});

describe('#12 A-5 C-4 the postal day', () => {
  it('#12 C-4 cashier payment with a receipt number → printed → shipped with a tracking number, mailed at each step', async () => {
    const { orderId } = await placeOrder(student, 'postal', { 'copies-enrollment-ja': '2', ...postalAddress });
    const page = staffOrder(orderId);
    const unconfirmed = await act(`${page}/payment`, { receipt: 'R-2026-0042' });
    expect(unconfirmed.status).toBe(422);
    expect(errorMessages(unconfirmed.body)).toEqual([say('en', 'orders.console.errors.confirm.required')]);
    const noReceipt = await act(`${page}/payment`, { receipt: '', confirm: 'yes' });
    expect(errorMessages(noReceipt.body)).toEqual([say('en', 'orders.console.errors.receipt.required')]);

    let since = h.smtp.count();
    const paid = await act(`${page}/payment`, { receipt: 'r-2026-0042', confirm: 'yes' });
    expect(textOf(paid.body)).toContain(say('en', 'orders.console.notice.paid'));
    const paidMail = await mailAbout(since, 'subject_postal_paid');
    expect(paidMail.text).toContain('R-2026-0042');
    expect(textOf((await student.browser.get(`/tu/orders/${orderId}`)).body)).toContain('R-2026-0042');
    expect((await act(`${page}/payment`, { receipt: 'R-1', confirm: 'yes' })).body).toContain(
      say('en', 'orders.console.notice.stale'),
    );

    const queue = await registrar.browser.get('/tu/staff/postal');
    expect(queue.body).toContain(orderId);
    const detail = await registrar.browser.get(page);
    expect(detail.body).toContain(`${page}/documents/1`);
    const certificate = await registrar.browser.get(`${page}/documents/1`);
    expect(certificate.status).toBe(200);
    expect(certificate.headers['content-type']).toBe('application/pdf');
    expect(certificate.body.startsWith('%PDF')).toBe(true);
    const slip = await registrar.browser.get(`${page}/packing-slip`);
    expect(slip.headers['content-type']).toBe('application/pdf');

    since = h.smtp.count();
    await act(`${page}/printed`, { confirm: 'yes' });
    await mailAbout(since, 'subject_postal_printed');
    const badTracking = await act(`${page}/shipped`, { tracking: '12345', confirm: 'yes' });
    expect(badTracking.status).toBe(422);
    expect(errorMessages(badTracking.body)).toEqual([say('en', 'orders.console.errors.tracking.invalid')]);
    expect(badTracking.body).toContain('value="12345"');
    since = h.smtp.count();
    await act(`${page}/shipped`, { tracking: '１２３４-５６７８-９０１２', confirm: 'yes' });
    const shipped = await mailAbout(since, 'subject_postal_shipped');
    expect(shipped.text).toContain('1234-5678-9012');
    const order = await orderRow(h, orderId);
    expect(order).toMatchObject({ state: 'shipped', paymentReceipt: 'R-2026-0042', trackingNumber: '1234-5678-9012' });
    const history = await h.uow.repos.auditLog.listForSubject(h.tenant.id, orderId);
    const staffId = (await h.app.services.staff.accounts.list(h.tenant)).find(
      (m) => m.email === 'registrar@tu.example.ac.jp',
    )!.id;
    expect(history.filter((e) => e.event === 'order.advanced').map((e) => e.detail?.staffId)).toEqual([
      staffId,
      staffId,
      staffId,
    ]);
    expect((await registrar.browser.get('/tu/staff/postal')).body).not.toContain(orderId);
  });

  it('#12 A-5 a postal order marked printed has its certificates, even when nobody opened their PDFs', async () => {
    const { orderId } = await placeOrder(student, 'postal', {
      'copies-enrollment-ja': '1',
      'copies-transcript-ja': '1',
      ...postalAddress,
    });
    const page = staffOrder(orderId);
    await act(`${page}/payment`, { receipt: 'R-2026-0043', confirm: 'yes' });
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toEqual([]);
    await act(`${page}/printed`, { confirm: 'yes' });
    expect((await orderRow(h, orderId)).state).toBe('printed');
    const issued = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    expect(issued.map((certificate) => certificate.itemSeq).sort()).toEqual([1, 2]);
    // The PDF staff open afterwards is the one already issued, not a second certificate.
    await registrar.browser.get(`${page}/documents/1`);
    expect(await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId)).toHaveLength(2);
  });

  it.skipIf(skipWithoutPoppler)(
    '#12 A-5 the packing slip and the address label are PDFs with 〒, the address and the name',
    async () => {
      const { orderId } = await placeOrder(student, 'postal', { 'copies-transcript-ja': '1', ...postalAddress });
      await act(`${staffOrder(orderId)}/payment`, { receipt: 'R-7', confirm: 'yes' });
      const label = await h.app.services.orderStaff.postalDocument(h.tenant, orderId, 'address-label', 'en');
      const labelText = await pdftotext(label!);
      expect(labelText).toContain('〒100-0005');
      expect(labelText).toContain('東京都 千代田区');
      expect(labelText).toContain('山田 太郎 様');
      expect(labelText).toContain(h.tenant.name.ja);
      const slip = await h.app.services.orderStaff.postalDocument(h.tenant, orderId, 'packing-slip', 'ja');
      const slipText = await pdftotext(slip!);
      expect(slipText).toContain('納品書');
      expect(slipText).toContain(orderId);
      expect(slipText).toContain('〒100-0005');
      expect(slipText).toContain('山田 太郎');
    },
  );

  it('#12 C-4 C-11 cashier payment is refused, with the console words, when the student may no longer have the certificate', async () => {
    const ineligible = await orderingStudent(h, 'ja');
    const { orderId } = await placeOrder(ineligible, 'postal', { 'copies-enrollment-ja': '1', ...postalAddress });
    await putRecord(h, { ...ineligible.record, status: 'withdrawn' });
    const refused = await act(`${staffOrder(orderId)}/payment`, { receipt: 'R-9', confirm: 'yes' });
    expect(refused.status).toBe(422);
    expect(errorMessages(refused.body)).toEqual([say('en', 'orders.console.errors.notIssuable.status')]);
    expect((await orderRow(h, orderId)).state).toBe('submitted');
  });
});

/** A postal order paid at the cashier whose certificate has been issued for printing. */
async function issuedPostalOrder(): Promise<{ orderId: string }> {
  const { orderId } = await placeOrder(student, 'postal', { 'copies-enrollment-en': '1', ...postalAddress });
  await act(`${staffOrder(orderId)}/payment`, { receipt: 'R-11', confirm: 'yes' });
  expect((await registrar.browser.get(`${staffOrder(orderId)}/documents/1`)).status).toBe(200);
  return { orderId };
}

describe('#12 A-5 revocation and ended reservations', () => {
  it('#12 A-5 revoke: the verification page says revoked with the category, never the note', async () => {
    const { orderId } = await issuedPostalOrder();
    const [certificate] = await h.uow.repos.certificates.listForOrder(h.tenant.id, orderId);
    const form = `${staffOrder(orderId)}/certificates/${certificate!.serial}/revoke`;
    expect(
      (await otherStaff.browser.get(`/ou/staff/orders/${orderId}/certificates/${certificate!.serial}/revoke`)).status,
    ).toBe(404);
    const page = await registrar.browser.get(form);
    expect(page.status).toBe(200);
    const noCategory = await registrar.browser.post(form, { note: 'x', confirm: 'yes' });
    expect(errorMessages(noCategory.body)).toEqual([say('en', 'orders.console.errors.revoke.categoryRequired')]);
    const done = await registrar.browser.post(form, {
      category: 'record_corrected',
      note: 'Birth date typo reported by Ms Tanaka',
      confirm: 'yes',
    });
    expect(textOf(done.body)).toContain(say('en', 'orders.console.notice.revoked'));
    expect(textOf(done.body)).toContain('Birth date typo');
    for (const lang of ['ja', 'en'] as const) {
      const verifier = new TestBrowser(h, { lang, ip: `10.12.5.${lang === 'ja' ? 1 : 2}` });
      await verifier.get('/tu/verify');
      const verdict = textOf((await verifier.post('/tu/verify', { code: certificate!.verificationCode })).body);
      expect(verdict).toContain(say(lang, 'certificates.verify.verdict.revoked.title'));
      expect(verdict).toContain(say(lang, 'certificates.revocation.record_corrected'));
      expect(verdict).not.toContain('typo');
    }
    expect((await registrar.browser.get(form)).status).toBe(404);
    // Revocation asks for the second factor again once it is older than a few minutes.
    const [other] = await h.uow.repos.certificates.listForOrder(h.tenant.id, (await issuedPostalOrder()).orderId);
    h.clock.advance(6 * 60_000);
    const stale = await registrar.browser.get(`${staffOrder(other!.orderId)}/certificates/${other!.serial}/revoke`, {
      follow: false,
    });
    expect(stale.status).toBe(303);
    expect(stale.location).toMatch(/^\/tu\/staff\/reauth\?next=/);
  });

  it('#12 C-11 release of a paid campus reservation with a refund note; a voided one takes a note too', async () => {
    const terminal = await registerTerminal(h, 'campus', h.tenant.id);
    const reserve = async () => {
      const { orderId, page } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
      const number = reservationNumberIn(page.body);
      const { feeYen } = await orderRow(h, orderId);
      expect(
        (await terminalCall(h, terminal, 'POST', `/reservations/${number}/payment`, { amountYen: feeYen })).statusCode,
      ).toBe(200);
      return { orderId, number };
    };
    const paid = await reserve();
    const page = staffOrder(paid.orderId);
    expect(errorMessages((await act(`${page}/release`, { refundNote: '', confirm: 'yes' })).body)).toEqual([
      say('en', 'orders.console.errors.refundNote.required'),
    ]);
    const since = h.smtp.count();
    const released = await act(`${page}/release`, { refundNote: 'Cash refund at window 3 from Dec 1', confirm: 'yes' });
    expect(textOf(released.body)).toContain(say('en', 'orders.console.notice.released'));
    const mail = await mailAbout(since, 'subject_campus_released');
    expect(mail.text).toContain('Cash refund at window 3');
    expect(await orderRow(h, paid.orderId)).toMatchObject({
      state: 'released',
      refundNote: 'Cash refund at window 3 from Dec 1',
    });
    expect(textOf((await student.browser.get(`/tu/orders/${paid.orderId}`)).body)).toContain('Cash refund at window 3');

    const voided = await reserve();
    expect((await terminalCall(h, terminal, 'GET', `/reservations/${voided.number}/documents`)).statusCode).toBe(200);
    await terminalCall(h, terminal, 'POST', `/reservations/${voided.number}/failure`);
    expect((await terminalCall(h, terminal, 'POST', `/reservations/${voided.number}/void`)).statusCode).toBe(200);
    await act(`${staffOrder(voided.orderId)}/refund-note`, { refundNote: 'Refunded by the printer on the spot' });
    expect((await orderRow(h, voided.orderId)).refundNote).toBe('Refunded by the printer on the spot');
    const [revoked] = await h.uow.repos.certificates.listForOrder(h.tenant.id, voided.orderId);
    expect(revoked?.revokedCategory).toBe('not_delivered');
    // A reservation still waiting at the terminal is not the staff's to release.
    const { orderId: reservedId } = await placeOrder(student, 'campus', { 'copies-enrollment-ja': '1' });
    await act(`${staffOrder(reservedId)}/release`, { refundNote: 'x', confirm: 'yes' });
    expect((await orderRow(h, reservedId)).state).toBe('reserved');
  });
});
