/**
 * #14 mixed-load benchmark. On a throwaway PostgreSQL with two seeded universities (one whose
 * logins always take the mailed key, one whose do not), it runs real Shomei processes — one, then
 * two on the same database — and measures in one run:
 *   1. each action on its own (a few seconds each): CPU per action of the instances (event loop
 *      and other threads) and of the PostgreSQL processes, statement time inside PostgreSQL
 *      (pg_stat_statements), the per-core capacity, and which resource would saturate first;
 *   2. the workload model's mix (docs/CAPACITY.md), in proportion: per request kind its
 *      throughput and p50/p99, mails per second through a loopback SMTP sink, and how busy each
 *      resource was;
 *   3. the ratio two instances ÷ one, for every action alone and for the mix;
 *   4. rows and bytes per table afterwards (pg_total_relation_size), for storage per year.
 * Run: npm run bench:mix   (BENCH_SECONDS scales the windows: 3 s per action, 20 s per mix, 5 s of
 *   unmeasured warm-up before each configuration)
 */
import { TestSmtpServer } from '../test/helpers/smtp.js';
import { type Action, type Pools, Recorder, type Run, actions, runPhase } from './mix-client.js';
import { type BenchTenant, type Seeded, seed } from './mix-seed.js';
import {
  CORES,
  type BenchCluster,
  type CpuSpent,
  type Instance,
  type StatementTotals,
  atCleanUp,
  cleanUp,
  cleanUpOnSignals,
  cpuBetween,
  databaseTime,
  resetStatements,
  sampleCpu,
  startCluster,
  startInstance,
  tableSizes,
} from './mix-system.js';

const SCALE = Number(process.env.BENCH_SECONDS ?? 3) / 3;
const SOLO_SECONDS = 3 * SCALE;
const MIX_SECONDS = 20 * SCALE;
const WARM_UP_SECONDS = 5 * SCALE;
const USERS = 8;
const STUDENTS = 300;
const SECRET_KEY = 'bench-mix-secret-key-0123456789abcdefghijklmnop';

/**
 * The model's mix per order placed (docs/CAPACITY.md, "Mix replayed"): two logins (half of them at
 * universities that require the key), ten page views beside those inside the other actions, one
 * order of two certificates, its lookup, payment and documents at a terminal, two PDF downloads,
 * and 0.6 verification checks.
 */
const MIX: Partial<Record<Action, number>> = {
  page: 10,
  login: 1,
  loginWithKey: 1,
  order: 1,
  lookup: 1,
  pay: 1,
  documents: 1,
  pdf: 2,
  verify: 0.6,
};

interface Measured {
  action: Action;
  perSecond: number;
  spent: CpuSpent;
  database: StatementTotals;
  count: number;
  failures: Map<string, number>;
}

interface MixResult {
  recorder: Recorder;
  seconds: number;
  spent: CpuSpent;
  mails: number;
  database: StatementTotals;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const progress = (message: string) => process.stderr.write(`  … ${message}\n`);
const pad = (value: string | number, width: number) => String(value).padStart(width);
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

async function loadCodes(cluster: BenchCluster): Promise<Pools['codes']> {
  const { rows } = await cluster.admin.query<{ slug: string; code: string }>(
    `SELECT t.slug, c.verification_code AS code FROM issued_certificates c JOIN tenants t ON t.id = c.tenant_id
      ORDER BY c.issued_at DESC LIMIT 2000`,
  );
  return rows;
}

function measureWith(cluster: BenchCluster, instances: Instance[]) {
  let before = sampleCpu(instances, cluster.postmasterPid);
  let spent: CpuSpent | undefined;
  let database: StatementTotals = { ms: 0, calls: 0, writes: 0, inserted: new Map() };
  return {
    start: async () => {
      await resetStatements(cluster.admin);
      before = sampleCpu(instances, cluster.postmasterPid);
    },
    stop: async () => {
      spent = cpuBetween(before, sampleCpu(instances, cluster.postmasterPid));
      database = await databaseTime(cluster.admin);
    },
    result: () => ({ spent: spent!, database }),
  };
}

function tenantsFor(action: Action, tenants: BenchTenant[]): BenchTenant[] {
  if (action === 'login') return tenants.filter((t) => !t.keyStep);
  if (action === 'loginWithKey') return tenants.filter((t) => t.keyStep);
  return tenants;
}

async function solo(
  cluster: BenchCluster,
  instances: Instance[],
  seeded: Seeded,
  pools: Pools,
  smtp: TestSmtpServer,
): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const action of actions) {
    progress(`${instances.length} instance(s): ${action} alone`);
    if (action === 'verify') pools.codes = await loadCodes(cluster);
    const recorder = new Recorder();
    const run: Run = { instances, smtp, terminal: seeded.terminals[0]!, pools, recorder };
    const measure = measureWith(cluster, instances);
    const ms = await runPhase(
      run,
      {
        users: USERS,
        seconds: SOLO_SECONDS,
        weights: { [action]: 1 },
        tenants: tenantsFor(action, seeded.tenants),
        sessionsFirst: action === 'page' || action === 'order',
      },
      measure,
    );
    const count = recorder.done.get(action) ?? 0;
    results.push({ action, count, perSecond: count / (ms / 1000), ...measure.result(), failures: recorder.failures });
  }
  return results;
}

async function mix(
  cluster: BenchCluster,
  instances: Instance[],
  seeded: Seeded,
  pools: Pools,
  smtp: TestSmtpServer,
): Promise<MixResult> {
  progress(`${instances.length} instance(s): the mix`);
  pools.codes = await loadCodes(cluster);
  const recorder = new Recorder();
  const run: Run = { instances, smtp, terminal: seeded.terminals[0]!, pools, recorder };
  const measure = measureWith(cluster, instances);
  const mailsBefore = smtp.count();
  const ms = await runPhase(
    run,
    { users: USERS * 1.5, seconds: MIX_SECONDS, weights: MIX, tenants: seeded.tenants, sessionsFirst: false },
    measure,
  );
  return { recorder, seconds: ms / 1000, ...measure.result(), mails: smtp.count() - mailsBefore };
}

/**
 * A few seconds of the mix, unmeasured, so that every instance has parsed its fonts, compiled
 * its hot paths and filled its pools before anything is timed.
 */
async function warmUp(instances: Instance[], seeded: Seeded, pools: Pools, smtp: TestSmtpServer): Promise<void> {
  progress(`${instances.length} instance(s): warming up`);
  const run: Run = { instances, smtp, terminal: seeded.terminals[0]!, pools, recorder: new Recorder() };
  const idle = async () => undefined;
  await runPhase(
    run,
    { users: USERS, seconds: WARM_UP_SECONDS, weights: MIX, tenants: seeded.tenants, sessionsFirst: false },
    { start: idle, stop: idle },
  );
}

/** Which part runs out first at full load: each part's capacity for this action alone. */
function firstToSaturate(m: Measured, instances: number): string {
  const per = (ms: number) => ms / Math.max(1, m.count);
  const limits: Array<[string, number]> = [
    [
      m.action === 'documents' ? 'event loop (PDF rendering + signing)' : 'event loop',
      (instances * 1000) / per(m.spent.main),
    ],
    [
      m.action.startsWith('login') ? 'hash threads (argon2)' : 'other threads',
      (instances * Math.min(CORES, 64) * 1000) / per(m.spent.threads),
    ],
    ['database', (CORES * 1000) / per(m.spent.postgres)],
  ];
  limits.sort((a, b) => a[1] - b[1]);
  return `${limits[0]![0]} (~${fixed(limits[0]![1], 0)}/s)`;
}

function printSolo(label: string, results: Measured[], instances: number): void {
  console.log(`\n${label}: each action alone, ${USERS} users, ${fixed(SOLO_SECONDS)} s each`);
  console.log(
    '  action         n    /s   | CPU ms per action: loop  threads  postgres | DB stmt ms  stmts writes | per core /s | first to saturate',
  );
  for (const m of results) {
    const per = (ms: number) => ms / Math.max(1, m.count);
    const cpu = per(m.spent.main + m.spent.threads + m.spent.postgres);
    console.log(
      `  ${m.action.padEnd(12)} ${pad(m.count, 5)} ${pad(fixed(m.perSecond), 6)} |` +
        `${pad(fixed(per(m.spent.main), 2), 22)} ${pad(fixed(per(m.spent.threads), 2), 8)} ${pad(fixed(per(m.spent.postgres), 2), 9)} |` +
        `${pad(fixed(per(m.database.ms), 2), 11)} ${pad(fixed(per(m.database.calls), 1), 6)} ${pad(fixed(per(m.database.writes), 1), 6)} |` +
        `${pad(fixed(1000 / cpu, 0), 12)} | ${firstToSaturate(m, instances)}` +
        `  [machine ${fixed(m.spent.machineBusy * 100, 0)}% busy, others ${fixed(m.spent.others * 100, 0)}%]`,
    );
    for (const [failure, n] of m.failures) console.log(`      ! ${n}× ${failure}`);
  }
}

function printMix(one: MixResult, two: MixResult): void {
  console.log(`\nthe mix (docs/CAPACITY.md), ${USERS * 1.5} users, ${fixed(MIX_SECONDS)} s: 1 instance | 2 instances`);
  console.log('  request kind          req/s   p50   p99 |  req/s   p50   p99 | 2 ÷ 1');
  const kinds = [...new Set([...one.recorder.latencies.keys(), ...two.recorder.latencies.keys()])];
  let total1 = 0;
  let total2 = 0;
  for (const kind of kinds) {
    const a = one.recorder.latencies.get(kind) ?? [];
    const b = two.recorder.latencies.get(kind) ?? [];
    total1 += a.length;
    total2 += b.length;
    const rate = (list: number[], r: MixResult) => list.length / r.seconds;
    console.log(
      `  ${kind.padEnd(20)} ${pad(fixed(rate(a, one)), 6)} ${pad(fixed(percentile(a, 50), 0), 5)} ${pad(fixed(percentile(a, 99), 0), 5)} |` +
        ` ${pad(fixed(rate(b, two)), 6)} ${pad(fixed(percentile(b, 50), 0), 5)} ${pad(fixed(percentile(b, 99), 0), 5)} |` +
        ` ${pad(fixed(rate(b, two) / Math.max(1e-9, rate(a, one)), 2), 5)}`,
    );
  }
  console.log(
    `  ${'all requests'.padEnd(20)} ${pad(fixed(total1 / one.seconds), 6)}             | ${pad(fixed(total2 / two.seconds), 6)}             | ${pad(fixed(total2 / two.seconds / (total1 / one.seconds), 2), 5)}`,
  );
  for (const [label, r] of [
    ['1 instance ', one],
    ['2 instances', two],
  ] as const) {
    const s = r.spent;
    const requests = [...r.recorder.latencies.values()].reduce((n, l) => n + l.length, 0);
    console.log(
      `  ${label}: mails ${fixed(r.mails / r.seconds)}/s; CPU per request ${fixed((s.main + s.threads + s.postgres) / Math.max(1, requests), 2)} ms` +
        ` (DB statements ${fixed(r.database.ms / Math.max(1, requests), 2)} ms); busiest event loop ${fixed(s.busiestLoop * 100, 0)}% of a core,` +
        ` other threads ${fixed(s.threads / s.wallMs, 2)} cores, postgres ${fixed(s.postgres / s.wallMs, 2)} cores,` +
        ` load generator ${fixed(s.client / s.wallMs, 2)} cores; machine ${fixed(s.machineBusy * 100, 0)}% busy (others ${fixed(s.others * 100, 0)}%)`,
    );
    const orders = r.recorder.done.get('order') ?? 0;
    console.log(
      `    database writes ${fixed(r.database.writes / r.seconds)}/s (${fixed(r.database.writes / Math.max(1, orders))} per order placed); rows inserted per order placed (${orders} orders): ` +
        [...r.database.inserted]
          .filter(([, n]) => n > 0)
          .sort((a, b) => b[1] - a[1])
          .map(([table, n]) => `${table} ${fixed(n / Math.max(1, orders), 2)}`)
          .join(', '),
    );
    for (const [failure, n] of r.recorder.failures) console.log(`      ! ${n}× ${failure}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  cleanUpOnSignals();
  // The sink first, so that it is stopped last: the instances and the cluster go before it.
  const smtp = new TestSmtpServer();
  const smtpUrl = await smtp.start();
  atCleanUp(() => smtp.stop());
  progress('starting PostgreSQL and seeding');
  const cluster = await startCluster();
  const seeded = await seed(cluster.url, SECRET_KEY, { studentsPerTenant: STUDENTS, reservations: 2500, terminals: 1 });
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: cluster.url,
    SMTP_URL: smtpUrl,
    SECRET_KEY,
    PUBLIC_URL: 'https://bench.test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
  };
  const pools: Pools = { reserved: [...seeded.reserved], paid: [], documents: [], codes: [] };
  console.log(
    `Shomei mixed-load benchmark (#14) — node ${process.version}, ${CORES} cores, PostgreSQL on loopback, ` +
      `2 universities × ${STUDENTS} students, ${seeded.reserved.length} store reservations; setup ${fixed((Date.now() - started) / 1000)} s`,
  );

  progress('starting instance 1');
  const first = await startInstance(env);
  await warmUp([first], seeded, pools, smtp);
  const soloOne = await solo(cluster, [first], seeded, pools, smtp);
  const mixOne = await mix(cluster, [first], seeded, pools, smtp);
  progress('starting instance 2');
  const second = await startInstance(env);
  await warmUp([first, second], seeded, pools, smtp);
  const soloTwo = await solo(cluster, [first, second], seeded, pools, smtp);
  const mixTwo = await mix(cluster, [first, second], seeded, pools, smtp);

  printSolo('1 instance', soloOne, 1);
  printSolo('2 instances', soloTwo, 2);
  console.log('\n2 instances ÷ 1, each action alone (throughput):');
  console.log(
    '  ' +
      soloOne
        .map((m, i) => `${m.action} ${fixed((soloTwo[i]?.perSecond ?? 0) / Math.max(1e-9, m.perSecond), 2)}`)
        .join(', '),
  );
  const login = soloOne.find((m) => m.action === 'login');
  const withKey = soloOne.find((m) => m.action === 'loginWithKey');
  if (login && withKey) {
    const cpu = (m: Measured) => (m.spent.main + m.spent.threads + m.spent.postgres) / Math.max(1, m.count);
    console.log(`  the key step adds ${fixed(cpu(withKey) - cpu(login), 2)} ms CPU to a login (1 instance)`);
  }
  printMix(mixOne, mixTwo);

  console.log('\nrows and bytes per table after the run (pg_total_relation_size: heap + indexes + TOAST):');
  for (const { table, rows, bytes } of await tableSizes(cluster.admin)) {
    if (rows === 0) continue;
    console.log(
      `  ${table.padEnd(22)} ${pad(rows, 8)} rows ${pad(fixed(bytes / 1024, 0), 8)} KiB ${pad(fixed(bytes / rows, 0), 8)} B/row`,
    );
  }
  console.log(`\ntotal ${fixed((Date.now() - started) / 1000)} s`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
