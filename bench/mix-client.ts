/**
 * #14 mixed-load benchmark: the scripted client. Virtual users replay the workload model's
 * actions (a student's pages, logins with the mailed key where the university requires it,
 * orders, a store terminal's lookup / payment / documents, verification checks) in proportion:
 * each next action is the one furthest behind its share, so slow and fast actions keep the mix.
 */
import { HttpBrowser } from '../test/helpers/http-browser.js';
import { type TestSmtpServer, keyIn } from '../test/helpers/smtp.js';
import type { Instance } from './mix-system.js';
import { type BenchTenant, ORDER_FEE_YEN, ORDER_FORM, SECOND_PASSWORD, UNIVERSITY_PASSWORD } from './mix-seed.js';

export const actions = [
  'page',
  'login',
  'loginWithKey',
  'order',
  'lookup',
  'pay',
  'documents',
  'pdf',
  'verify',
] as const;
export type Action = (typeof actions)[number];

/** The HTTP requests each action is made of, by kind (what the latency table lists). */
export type RequestKind =
  | 'page'
  | 'login'
  | 'login-key'
  | 'order-draft'
  | 'order-place'
  | 'terminal-lookup'
  | 'terminal-pay'
  | 'terminal-documents'
  | 'terminal-pdf'
  | 'verify';

export class Recorder {
  readonly latencies = new Map<RequestKind, number[]>();
  readonly done = new Map<Action, number>();
  readonly failures = new Map<string, number>();

  time<T extends { status: number }>(kind: RequestKind, expect: number, request: () => Promise<T>): Promise<T> {
    const started = performance.now();
    return request().then((response) => {
      const list = this.latencies.get(kind) ?? [];
      list.push(performance.now() - started);
      this.latencies.set(kind, list);
      if (response.status !== expect) throw new Error(`${kind}: HTTP ${response.status}, expected ${expect}`);
      return response;
    });
  }

  fail(action: Action, error: unknown): void {
    const key = `${action}: ${error instanceof Error ? error.message.slice(0, 120) : String(error)}`;
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }
}

/** What actions hand to each other: reservations made by orders, paid ones, issued documents. */
export interface Pools {
  reserved: string[];
  paid: string[];
  documents: string[];
  codes: Array<{ slug: string; code: string }>;
}

export interface Run {
  instances: Instance[];
  smtp: TestSmtpServer;
  terminal: string;
  pools: Pools;
  recorder: Recorder;
}

interface VirtualUser {
  tenant: BenchTenant;
  students: BenchTenant['students'];
  next: number;
  session: HttpBrowser | undefined;
  orders: string[];
}

let rotation = 0;
const baseOf = (run: Run) => run.instances[rotation++ % run.instances.length]!.base;
const pick = <T>(list: T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

async function logIn(run: Run, user: VirtualUser): Promise<void> {
  const base = baseOf(run);
  const slug = user.tenant.tenant.slug;
  const student = user.students[user.next++ % user.students.length]!;
  const browser = new HttpBrowser();
  await run.recorder.time('page', 200, () => browser.get(`${base}/${slug}/login`));
  const since = run.smtp.count();
  const first = await run.recorder.time('login', 303, () =>
    browser.post(`${base}/${slug}/login`, {
      userId: student.userId,
      password: UNIVERSITY_PASSWORD,
      secondPassword: SECOND_PASSWORD,
    }),
  );
  if (first.location?.startsWith(`/${slug}/login/key`)) {
    const mail = await run.smtp.waitFor(student.email, {
      since,
      match: (m) => /Authentication key|認証キー/.test(m.subject),
      timeoutMs: 30_000,
    });
    await run.recorder.time('page', 200, () => browser.get(`${base}${first.location}`));
    const done = await run.recorder.time('login-key', 303, () =>
      browser.post(`${base}${first.location}`, { key: keyIn(mail) }),
    );
    if (done.location !== `/${slug}/login/authenticated`) throw new Error(`key step ended at ${done.location}`);
  } else if (first.location !== `/${slug}/home`) {
    throw new Error(`login ended at ${first.location}`);
  }
  user.session = browser;
  // Each login is the next student's: the orders the user knows are now someone else's.
  user.orders = [];
}

async function viewPage(run: Run, user: VirtualUser, browser: HttpBrowser): Promise<void> {
  const base = `${baseOf(run)}/${user.tenant.tenant.slug}`;
  const order = pick(user.orders);
  const pages = [`${base}/home`, `${base}/orders`, ...(order ? [`${base}/orders/${order}`] : [])];
  await run.recorder.time('page', 200, () => browser.get(pages[Math.floor(Math.random() * pages.length)]!));
}

async function placeOrder(run: Run, user: VirtualUser, browser: HttpBrowser): Promise<void> {
  const base = `${baseOf(run)}/${user.tenant.tenant.slug}`;
  const form = `${base}/orders/new?destination=convenience`;
  await run.recorder.time('page', 200, () => browser.get(form));
  const drafted = await run.recorder.time('order-draft', 303, () => browser.post(form, ORDER_FORM));
  const review = `${baseOf(run).replace(/\/$/, '')}${drafted.location}`;
  await run.recorder.time('page', 200, () => browser.get(review));
  const placed = await run.recorder.time('order-place', 303, () =>
    browser.post(review.replace('/orders/review', '/orders/place'), {}),
  );
  const page = await run.recorder.time('page', 200, () => browser.get(`${baseOf(run)}${placed.location}`));
  // Shown grouped for keying in (1234-5678-9012); the API takes it either way.
  const number = /<p class="reservation__number">([\d-]+)<\/p>/.exec(page.body)?.[1]?.replaceAll('-', '');
  const id = /\/orders\/([^/?]+)/.exec(placed.location ?? '')?.[1];
  if (!number || !id) throw new Error('no reservation number on the placed order');
  user.orders.push(id);
  run.pools.reserved.push(number);
}

async function terminalCall(
  run: Run,
  kind: RequestKind,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return run.recorder.time(kind, 200, async () => {
    const response = await fetch(`${baseOf(run)}/api/v1/terminal${path}`, {
      method,
      headers: {
        authorization: run.terminal,
        // One store, one machine: a reservation paid here is fetched here (#9).
        'x-store-id': 'bench-store',
        'x-machine-id': 'bench-machine',
        'x-transaction-id': `bench-${Date.now()}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()).toString('latin1') };
  });
}

async function perform(run: Run, user: VirtualUser, action: Action): Promise<void> {
  const { pools } = run;
  switch (action) {
    case 'login':
    case 'loginWithKey':
      return logIn(run, user);
    case 'page':
      return viewPage(run, user, user.session!);
    case 'order':
      return placeOrder(run, user, user.session!);
    case 'lookup': {
      const number = pick(pools.reserved)!;
      await terminalCall(run, 'terminal-lookup', 'GET', `/reservations/${number}`);
      return;
    }
    case 'pay': {
      const number = pools.reserved.shift()!;
      await terminalCall(run, 'terminal-pay', 'POST', `/reservations/${number}/payment`, { amountYen: ORDER_FEE_YEN });
      pools.paid.push(number);
      return;
    }
    case 'documents': {
      const number = pools.paid.shift()!;
      const listed = await terminalCall(run, 'terminal-documents', 'GET', `/reservations/${number}/documents`);
      const documents = (JSON.parse(listed.body) as { documents: Array<{ url: string }> }).documents;
      pools.documents.push(...documents.map((d) => d.url.replace('/api/v1/terminal', '')));
      if (pools.documents.length > 2000) pools.documents.splice(0, pools.documents.length - 2000);
      return;
    }
    case 'pdf': {
      await terminalCall(run, 'terminal-pdf', 'GET', pick(pools.documents)!);
      return;
    }
    case 'verify': {
      const { slug, code } = pick(pools.codes)!;
      await run.recorder.time('verify', 200, () =>
        fetch(`${baseOf(run)}/${slug}/verify?code=${encodeURIComponent(code)}`).then(async (r) => {
          await r.arrayBuffer();
          return r;
        }),
      );
      return;
    }
  }
}

function available(run: Run, user: VirtualUser, action: Action): boolean {
  const { pools } = run;
  switch (action) {
    case 'login':
      return !user.tenant.keyStep;
    case 'loginWithKey':
      return user.tenant.keyStep;
    case 'page':
    case 'order':
      return user.session !== undefined;
    case 'lookup':
    case 'pay':
      return pools.reserved.length > 0;
    case 'documents':
      return pools.paid.length > 0;
    case 'pdf':
      return pools.documents.length > 0;
    case 'verify':
      return pools.codes.length > 0;
  }
}

export interface PhaseOptions {
  users: number;
  seconds: number;
  /** Each action's share of all actions (need not sum to 1). */
  weights: Partial<Record<Action, number>>;
  tenants: BenchTenant[];
  /** Log every user in before the measured window (for page views and orders on their own). */
  sessionsFirst: boolean;
}

/**
 * Runs the virtual users until the time is up or no weighted action can run any more (a pool
 * ran dry); `measure` brackets exactly the measured window. Returns its length in ms.
 */
export async function runPhase(
  run: Run,
  options: PhaseOptions,
  measure: { start(): Promise<void>; stop(): Promise<void> },
): Promise<number> {
  const users: VirtualUser[] = Array.from({ length: options.users }, (_, i) => {
    const tenant = options.tenants[i % options.tenants.length]!;
    const sharing = Math.ceil(options.users / options.tenants.length);
    const slot = Math.floor(i / options.tenants.length);
    // Disjoint students per user: a mailed key must reach the login that asked for it.
    return {
      tenant,
      students: tenant.students.filter((_, n) => n % sharing === slot),
      next: 0,
      session: undefined,
      orders: [],
    };
  });
  if (options.sessionsFirst) {
    const recorder = run.recorder;
    run.recorder = new Recorder();
    await Promise.all(users.map((user) => logIn(run, user)));
    run.recorder = recorder;
  }
  const weighted = actions.filter((a) => (options.weights[a] ?? 0) > 0);
  const done = run.recorder.done;
  const choose = (user: VirtualUser): Action | undefined => {
    let best: Action | undefined;
    let lag = Infinity;
    for (const action of weighted) {
      if (!available(run, user, action)) continue;
      const share = (done.get(action) ?? 0) / options.weights[action]!;
      if (share < lag) [best, lag] = [action, share];
    }
    return best;
  };
  const needsSession = weighted.includes('page') || weighted.includes('order');
  await measure.start();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    users.map(async (user) => {
      while (performance.now() < deadline) {
        // Page views and orders need a session: without one, a user's first action is its login.
        const action =
          needsSession && user.session === undefined ? (user.tenant.keyStep ? 'loginWithKey' : 'login') : choose(user);
        if (!action) return;
        done.set(action, (done.get(action) ?? 0) + 1);
        await perform(run, user, action).catch((error: unknown) => run.recorder.fail(action, error));
      }
    }),
  );
  const elapsed = performance.now() - started;
  await measure.stop();
  return elapsed;
}
