import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { seedDemoCatalogue } from '../../src/dev/demo/demo-catalogue.js';
import { TerminalService } from '../../src/features/orders/terminal.service.js';
import type { StudentCourseInput, StudentRecordInput } from '../../src/features/records/record.model.js';
import type { TenantPolicy } from '../../src/features/tenants/tenant.model.js';
import { operatorActor } from '../../src/platform/actor.js';
import { randomToken } from '../../src/platform/crypto.js';
import type { Lang } from '../../src/platform/i18n.js';
import { type Harness, type Page, TestBrowser, startHarness } from './harness.js';
import { type ReadyStudent, readyStudent } from './accounts.js';
import { logIn } from './journeys.js';

/** The refusing recipient of the tests' tenant (C-9). */
export const REFUSING_DOMAIN = 'refuses.example.go.jp';

/** Fixed in the harness: 2026-11-22 10:00 in Japan, academic year 2026 (April 2026 – March 2027). */
export const issuancePolicy: Partial<TenantPolicy> = {
  destinations: ['campus', 'convenience', 'postal', 'digital'],
  digitalRefusingDomains: [REFUSING_DOMAIN],
};

/** The harness with every destination on, the demo catalogue, and a refusing recipient domain. */
export async function startIssuanceHarness(env?: Record<string, string>): Promise<Harness> {
  const h = await startHarness({ policy: issuancePolicy, ...(env && { env }) });
  await h.uow.run(operatorActor(h.tenant.id), async (repos) => seedDemoCatalogue(repos, h.tenant.id));
  return h;
}

let nextStudentNumber = 1;

/** A fourth-year student of a four-year programme, enrolled, graduating next March: everything available. */
export function studentRecord(userId: string, overrides: Partial<StudentRecordInput> = {}): StudentRecordInput {
  return {
    studentNumber: `t26${String(nextStudentNumber++).padStart(5, '0')}`,
    userId,
    name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ', roman: 'YAMADA Taro' },
    birthDate: '2004-06-14',
    faculty: { ja: '文学部', en: 'Faculty of Letters' },
    department: { ja: '日本文学科', en: 'Department of Japanese Literature' },
    year: 4,
    programYears: 4,
    status: 'enrolled',
    admissionDate: '2023-04-01',
    expectedGraduationDate: '2027-03-31',
    creditsEarned: 8,
    gpaHundredths: 325,
    ...overrides,
  };
}

export const sampleCourses: StudentCourseInput[] = [
  {
    academicYear: 2023,
    term: { ja: '前期', en: 'Spring' },
    name: { ja: '日本文学概論', en: 'Introduction to Japanese Literature' },
    credits: 2,
    grade: 'S',
  },
  {
    academicYear: 2023,
    term: { ja: '後期', en: 'Fall' },
    name: { ja: '古典文学講読', en: 'Readings in Classical Japanese Literature' },
    credits: 2,
    grade: 'A',
  },
  {
    academicYear: 2024,
    term: { ja: '通年', en: 'Full year' },
    name: { ja: '中世文学演習', en: 'Seminar in Medieval Japanese Literature' },
    credits: 4,
    grade: 'B',
  },
];

export async function putRecord(h: Harness, record: StudentRecordInput): Promise<void> {
  await h.uow.run(operatorActor(h.tenant.id), async (repos) => {
    await repos.records.upsert(h.tenant.id, record, h.clock.now());
    await repos.records.replaceCourses(h.tenant.id, record.studentNumber, sampleCourses);
  });
}

export interface OrderingStudent extends ReadyStudent {
  browser: TestBrowser;
  record: StudentRecordInput;
  lang: Lang;
}

/** A student with a record, logged in and on the Select Printing Destination screen. */
export async function orderingStudent(
  h: Harness,
  lang: Lang,
  record: Partial<StudentRecordInput> = {},
  ip = '127.0.0.1',
): Promise<OrderingStudent> {
  const browser = new TestBrowser(h, { lang, ip });
  const student = await readyStudent(h, browser);
  const full = studentRecord(student.userId, record);
  await putRecord(h, full);
  const home = await logIn(h, browser, student, student.secondPassword, student.email);
  expect(home.status).toBe(200);
  return { ...student, browser, record: full, lang };
}

/** The order form, filled and sent; returns the review page's URL (or the 422 page). */
export async function fillOrderForm(
  student: OrderingStudent,
  destination: string,
  form: Record<string, string>,
): Promise<Page> {
  const page = await student.browser.get(`/tu/orders/new?destination=${destination}`);
  expect(page.status).toBe(200);
  return student.browser.post(`/tu/orders/new?destination=${destination}`, form, { follow: false });
}

export const postalAddress = {
  postalCode: '100-0005',
  prefecture: '13',
  city: '千代田区',
  street: '丸の内1-1-1',
  building: 'テストビル3階',
  recipient: '山田 太郎',
};

export const digitalRecipient = {
  recipientName: 'Sample Corporation, Human Resources',
  recipientEmail: 'hr@sample-corp.example.com',
  recipientAccepts: 'yes',
};

/** Form → review → Confirm: the placed order's id (and the detail page it lands on). */
export async function placeOrder(
  student: OrderingStudent,
  destination: string,
  form: Record<string, string>,
): Promise<{ orderId: string; page: Page; reviewUrl: string }> {
  const drafted = await fillOrderForm(student, destination, form);
  expect(drafted.status, drafted.body.slice(0, 3000)).toBe(303);
  const reviewUrl = drafted.location!;
  expect(reviewUrl).toMatch(/^\/tu\/orders\/review\?flow=/);
  const review = await student.browser.get(reviewUrl);
  expect(review.status).toBe(200);
  const placed = await student.browser.post(
    reviewUrl.replace('/orders/review', '/orders/place'),
    {},
    { follow: false },
  );
  expect(placed.status).toBe(303);
  expect(placed.location).toMatch(/^\/tu\/orders\/[^/?]+\?notice=placed$/);
  const orderId = /^\/tu\/orders\/([^/?]+)/.exec(placed.location!)![1]!;
  const page = await student.browser.get(placed.location!);
  expect(page.status).toBe(200);
  return { orderId, page, reviewUrl };
}

/** A fee as the pages write it: 1,000円 in Japanese, ¥1,000 in English. */
export function yen(amount: number, lang: Lang): string {
  return lang === 'ja' ? `${amount.toLocaleString('ja-JP')}円` : `¥${amount.toLocaleString('en-US')}`;
}

export interface TestTerminal {
  id: string;
  authorization: string;
}

/** The machine a test terminal's calls come from unless a test names another (#9). */
export interface TestMachine {
  storeId?: string;
  machineId?: string;
  transactionId?: string;
  idempotencyKey?: string;
}

let nextTerminal = 1;

/** Registers a terminal with its own secret: a campus printer of a tenant, or a store gateway (tenantId null). */
export async function registerTerminal(
  h: Harness,
  kind: 'campus' | 'convenience',
  tenantId: string | null,
): Promise<TestTerminal> {
  const id = `test-${kind}-${nextTerminal++}`;
  const secret = randomToken();
  await h.uow.repos.terminals.upsert(
    {
      id,
      tenantId,
      kind,
      name: `Test ${kind} terminal ${id}`,
      secretHash: h.app.services.secrets.hash(TerminalService.secretPurpose, secret),
    },
    h.clock.now(),
  );
  return { id, authorization: `Bearer ${id}.${secret}` };
}

/** One call of the terminal API as a terminal makes it. */
export function terminalCall(
  h: Harness,
  terminal: TestTerminal | { authorization?: string },
  method: 'GET' | 'POST' | 'HEAD',
  path: string,
  body?: unknown,
  machine: TestMachine = {},
): Promise<LightMyRequestResponse> {
  return h.app.server.inject({
    method,
    url: `/api/v1/terminal${path}`,
    headers: {
      ...(terminal.authorization !== undefined && { authorization: terminal.authorization }),
      'x-store-id': machine.storeId ?? 'store-0001',
      'x-machine-id': machine.machineId ?? 'machine-1',
      'x-transaction-id': machine.transactionId ?? randomToken(9),
      ...(machine.idempotencyKey !== undefined && { 'idempotency-key': machine.idempotencyKey }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

/** The reservation number on an order's page, shown grouped (1234-5678-9012, #10); its 12 digits. */
export function reservationNumberIn(html: string): string {
  const match = /<p class="reservation__number">(\d{4}-\d{4}-\d{4})<\/p>/.exec(html);
  if (!match?.[1]) throw new Error('no grouped reservation number on the page');
  return match[1].replace(/-/g, '');
}

export async function orderRow(h: Harness, orderId: string) {
  const order = await h.uow.repos.orders.find(h.tenant.id, orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  return order;
}

export { startHarness };
