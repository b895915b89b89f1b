import type { RevocationCategory } from '../../src/features/certificates/issued-certificate.model.js';
import type { LightMyRequestResponse } from 'fastify';
import pino, { type Logger } from 'pino';
import { type App, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import type { UnitOfWork } from '../../src/db/unit-of-work.js';
import type { Order } from '../../src/features/orders/order.model.js';
import type { StaffMove } from '../../src/features/orders/order-staff.service.js';
import type { Tenant, TenantPolicy } from '../../src/features/tenants/tenant.model.js';
import { operatorActor } from '../../src/platform/actor.js';
import { ManualClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/crypto.js';
import { freshDatabase } from './database.js';
import { TestSmtpServer } from './smtp.js';

export interface Harness {
  app: App;
  clock: ManualClock;
  smtp: TestSmtpServer;
  database: DatabaseHandle;
  uow: UnitOfWork;
  tenant: Tenant;
  tenants: App['services']['tenants'];
  close(): Promise<void>;
  /** Delivers queued mail now instead of waiting for the worker's poll. */
  flushMail(): Promise<void>;
  /** What the registrar does from the CLI (`shomei order advance`): the order, or 'invalid'. */
  advanceOrder(orderId: string, to: StaffMove, trackingNumber?: string): Promise<Order | 'invalid'>;
  /** `shomei certificate revoke`: whether an unrevoked certificate was revoked. */
  revoke(serial: string, category: RevocationCategory, note?: string): Promise<boolean>;
}

export const students = {
  fresh: { userId: 'u1001', password: 'Univ-Pass-1001' },
  fresh2: { userId: 'u1002', password: 'Univ-Pass-1002' },
  fresh3: { userId: 'u1003', password: 'Univ-Pass-1003' },
  fresh4: { userId: 'u1004', password: 'Univ-Pass-1004' },
} as const;

/** The whole app on a fresh database, with a real SMTP server on loopback and a clock tests move. */
export async function startHarness(
  options: { policy?: Partial<TenantPolicy>; env?: Record<string, string>; logger?: Logger } = {},
): Promise<Harness> {
  const smtp = new TestSmtpServer();
  const smtpUrl = await smtp.start();
  const testDatabase = await freshDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabase.url,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Shomei Test <no-reply@shomei.test>',
    PUBLIC_URL: 'http://shomei.test',
    HASH_CONCURRENCY: '2',
    ...options.env,
  });
  const database = testDatabase.handle;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 1, 0, 0));
  const app = await buildApp({
    config,
    database,
    clock,
    secretKey: 'test-secret-key-that-is-long-enough-0123456789',
    ...(process.env.TEST_LOG && { logger: pino({ level: process.env.TEST_LOG }) }),
    ...(options.logger && { logger: options.logger }),
    mailPollIntervalMs: 50,
  });
  const { services } = app;
  services.mailWorker.start();
  const tenants = services.tenants;
  const tenant = await tenants.create({
    slug: 'tu',
    name: { ja: 'テスト大学', en: 'Test University' },
    policy: options.policy ?? {},
    content: {
      ja: {
        loginNotes: ['初回は大学のパスワードでログインしてください。'],
        inquiry: {
          title: 'テスト大学 コールセンター',
          phones: [{ number: '03-0000-0000', hours: '平日 9:00～17:00' }],
        },
      },
      en: {
        loginNotes: ['Log in with your university password the first time.'],
        inquiry: {
          title: 'Test University call centre',
          phones: [{ number: '+81-3-0000-0000', hours: 'Weekdays 9:00–17:00' }],
        },
      },
    },
  });
  for (const student of Object.values(students))
    await tenants.setRosterPassword(tenant, student.userId, student.password);
  return {
    app,
    clock,
    smtp,
    database,
    uow: services.uow,
    tenant,
    tenants,
    async flushMail() {
      await services.mailWorker.drain();
    },
    async advanceOrder(orderId, to, trackingNumber) {
      const moved = await services.orderStaff.advance(tenant, orderId, to, operatorActor(tenant.id), trackingNumber);
      return moved.status === 'moved' ? moved.order : 'invalid';
    },
    async revoke(serial, category, note = '') {
      return (
        (await services.verification.revoke(tenant, serial, { category, note }, operatorActor(tenant.id))).status ===
        'revoked'
      );
    },
    async close() {
      await app.server.close();
      await testDatabase.drop();
      await smtp.stop();
    },
  };
}

export interface Page {
  status: number;
  body: string;
  location: string | undefined;
  headers: LightMyRequestResponse['headers'];
  /** A form's error answer: the POST's 303 to the page that shows the kept values and errors (#10). */
  postStatus?: number;
}

/** The address a form's error answer redirects to: its page, with the kept state's id. */
export const keptFormState = /[?&]form=[A-Za-z0-9_-]{43}$/;

/**
 * A browser for `app.inject`: keeps cookies, takes the CSRF token from the last page's form,
 * follows redirects when asked.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header this browser was sent, in order, as sent. */
  readonly setCookieHeaders: string[] = [];
  lastBody = '';
  constructor(
    private readonly harness: Harness,
    readonly options: { lang?: 'ja' | 'en'; ip?: string; userAgent?: string } = {},
  ) {
    if (options.lang) this.cookies.set('shomei-lang', options.lang);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): void {
    const header = response.headers['set-cookie'];
    if (header !== undefined) this.setCookieHeaders.push(...(Array.isArray(header) ? header : [String(header)]));
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired =
        cookie.maxAge === 0 ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now()) ||
        cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  private toPage(response: LightMyRequestResponse): Page {
    this.remember(response);
    const location = response.headers.location as string | undefined;
    if (!location) this.lastBody = response.body;
    return { status: response.statusCode, body: response.body, location, headers: response.headers };
  }

  private headers(): Record<string, string> {
    return {
      cookie: this.cookieHeader(),
      'user-agent':
        this.options.userAgent ??
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
      'accept-language': this.options.lang === 'en' ? 'en-US,en;q=0.9' : 'ja,en;q=0.5',
    };
  }

  async get(url: string, options: { follow?: boolean } = {}): Promise<Page> {
    const response = await this.harness.app.server.inject({
      method: 'GET',
      url,
      headers: this.headers(),
      remoteAddress: this.options.ip ?? '127.0.0.1',
    });
    const page = this.toPage(response);
    if (options.follow !== false && page.location) return this.get(page.location, options);
    return page;
  }

  csrf(html = this.lastBody): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error('no CSRF token on the page');
    return match[1];
  }

  /**
   * `follow: false` still follows a form's error answer (a 303 to the form with its kept state,
   * #10 §1), as a browser shows it: the page says what was wrong, with the error's status.
   * `follow: 'never'` returns every answer as sent.
   */
  async post(
    url: string,
    form: Record<string, string>,
    options: { follow?: boolean | 'never'; csrf?: string | false } = {},
  ): Promise<Page> {
    const body = new URLSearchParams({
      ...(options.csrf === false ? {} : { _csrf: options.csrf ?? this.csrf() }),
      ...form,
    }).toString();
    const response = await this.harness.app.server.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: this.options.ip ?? '127.0.0.1',
    });
    const page = this.toPage(response);
    if (options.follow === 'never' || !page.location) return page;
    if (options.follow !== false) return this.get(page.location);
    if (keptFormState.test(page.location)) return { ...(await this.get(page.location)), postStatus: page.status };
    return page;
  }
}

/** Text of the page without tags, for asserting what a student reads. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

export function uniqueEmail(label: string): string {
  return `${label}.${newId().slice(0, 8)}@mail.test`;
}
