/**
 * #14 mixed-load benchmark: the machine side. A PostgreSQL cluster of the benchmark's own (with
 * pg_stat_statements, for database time per request), Shomei instances as processes, CPU time
 * read from /proc, and one cleanup that ends every process it started, by pid, also on Ctrl-C.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../test/helpers/throwaway-postgres.js';

const run = promisify(execFile);
const TICKS_PER_SECOND = 100;

const cleanups: Array<() => Promise<void>> = [];

/** Registers a step of the cleanup (run newest first). */
export function atCleanUp(step: () => Promise<void>): void {
  cleanups.push(step);
}

/**
 * Runs every registered cleanup once, newest first; failures are reported, not thrown. Each step
 * gets at most 15 s, and a timer keeps the process alive meanwhile: a step waiting on a socket
 * that has no handle left (the SMTP sink after Ctrl-C) would otherwise let Node exit before the
 * cluster is stopped.
 */
export async function cleanUp(): Promise<void> {
  const keepAlive = setInterval(() => undefined, 1000);
  for (const step of cleanups.splice(0).reverse()) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 15_000)));
    await Promise.race([step().catch((error: unknown) => console.error('cleanup:', error)), timeout]);
    clearTimeout(timer);
  }
  clearInterval(keepAlive);
}

/**
 * Ctrl-C and kill end the run through the same cleanup as a normal exit. Ctrl-C reaches this
 * process twice (from the terminal and relayed by tsx), so later signals are ignored rather
 * than left to their default, which would end the process halfway through the cleanup.
 */
export function cleanUpOnSignals(): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping the instances and the cluster`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const version = fs
    .readdirSync(root)
    .sort((a, b) => Number(a) - Number(b))
    .pop();
  if (!version) throw new Error('PostgreSQL server not installed');
  return `${root}/${version}/bin`;
}

function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export interface BenchCluster {
  /** The application's URL (role shomei). */
  url: string;
  /** A superuser connection, for pg_stat_statements and table sizes. */
  admin: pg.Pool;
  /** The postmaster's pid: its children are the backends whose CPU is the database's. */
  postmasterPid: number;
}

/** A throwaway cluster (scripts/postgres-up.sh) restarted once with pg_stat_statements loaded. */
export async function startCluster(): Promise<BenchCluster> {
  const dataDir = `/tmp/shomei-bench-mix-pg-${process.pid}`;
  const port = await freePort();
  cleanups.push(async () => {
    const [command, args] = asPostgres(`${pgBin()}/pg_ctl`, ['-D', dataDir, '-m', 'immediate', 'stop']);
    await run(command, args, { timeout: 30_000 }).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const { stdout } = await run('scripts/postgres-up.sh', [dataDir, String(port)], { timeout: 60_000 });
  fs.appendFileSync(
    `${dataDir}/postgresql.auto.conf`,
    "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'all'\n",
  );
  const [command, args] = asPostgres(`${pgBin()}/pg_ctl`, [
    '-D',
    dataDir,
    '-m',
    'fast',
    '-w',
    '-t',
    '30',
    '-l',
    `${dataDir}/server.log`,
    'restart',
  ]);
  await run(command, args, { timeout: 60_000 });
  const admin = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/shomei`, max: 2 });
  cleanups.push(() => admin.end());
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const postmasterPid = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  return { url: stdout.trim(), admin, postmasterPid };
}

export interface Instance {
  pid: number;
  base: string;
}

/** One real server process (`src/server.ts`) on its own port, ready when /readyz says so. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('instance did not spawn');
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { pid, base };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('Shomei instance did not start');
}

function statTicks(file: string): number {
  try {
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the task ended between listing and reading
  }
}

/** The machine's busy and total CPU time in ms, from /proc/stat. */
function machineMs(): { busy: number; total: number } {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
}

/**
 * The postmaster and its children (backends and the server's own helpers). A backend that has
 * ended (a pool closing an idle connection) lives on in the postmaster's children's time.
 */
function postgresMs(postmasterPid: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
      if (Number(entry) === postmasterPid)
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

export interface CpuSample {
  at: number;
  /** Per instance: every thread, and the main thread alone (the event loop). */
  instances: Array<{ all: number; main: number }>;
  postgres: number;
  /** This process: the load generator and the mail sink. */
  client: number;
  machine: { busy: number; total: number };
}

export function sampleCpu(instances: Instance[], postmasterPid: number): CpuSample {
  const client = process.cpuUsage();
  return {
    at: performance.now(),
    instances: instances.map(({ pid }) => ({
      all: (statTicks(`/proc/${pid}/stat`) * 1000) / TICKS_PER_SECOND,
      main: (statTicks(`/proc/${pid}/task/${pid}/stat`) * 1000) / TICKS_PER_SECOND,
    })),
    postgres: postgresMs(postmasterPid),
    client: (client.user + client.system) / 1000,
    machine: machineMs(),
  };
}

export interface CpuSpent {
  wallMs: number;
  /** Summed over instances. */
  main: number;
  /** Threads other than the event loop: argon2 on libuv's pool, GC, compilation. */
  threads: number;
  /** Busiest instance's event loop, as a share of one core. */
  busiestLoop: number;
  postgres: number;
  client: number;
  /** Share of the whole machine busy, and the part of it none of the above explains. */
  machineBusy: number;
  others: number;
}

export function cpuBetween(before: CpuSample, after: CpuSample): CpuSpent {
  const wallMs = after.at - before.at;
  const per = after.instances.map((a, i) => ({
    all: a.all - (before.instances[i]?.all ?? 0),
    main: a.main - (before.instances[i]?.main ?? 0),
  }));
  const main = per.reduce((sum, p) => sum + p.main, 0);
  const all = per.reduce((sum, p) => sum + p.all, 0);
  const postgres = after.postgres - before.postgres;
  const client = after.client - before.client;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  return {
    wallMs,
    main,
    threads: all - main,
    busiestLoop: Math.max(...per.map((p) => p.main)) / wallMs,
    postgres,
    client,
    machineBusy: busy / Math.max(1, total),
    others: Math.max(0, busy - all - postgres - client) / Math.max(1, total),
  };
}

export const CORES = os.availableParallelism();

/** Resets pg_stat_statements; `databaseTime` then sums what the application's statements took. */
export async function resetStatements(admin: pg.Pool): Promise<void> {
  await admin.query('SELECT pg_stat_statements_reset()');
}

export interface StatementTotals {
  /** Execution time inside PostgreSQL, summed over the application's statements. */
  ms: number;
  calls: number;
  /** INSERT, UPDATE and DELETE statements. */
  writes: number;
  /** Rows inserted per table. */
  inserted: Map<string, number>;
}

export async function databaseTime(admin: pg.Pool): Promise<StatementTotals> {
  const { rows } = await admin.query<{ query: string; ms: number; calls: string; rows: string }>(
    `SELECT query, total_exec_time AS ms, calls, rows FROM pg_stat_statements
      WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'shomei')`,
  );
  const totals: StatementTotals = { ms: 0, calls: 0, writes: 0, inserted: new Map() };
  for (const row of rows) {
    totals.ms += Number(row.ms);
    totals.calls += Number(row.calls);
    const write = /^\s*(insert into|update|delete from)\s+"?(\w+)"?/i.exec(row.query);
    if (!write) continue;
    totals.writes += Number(row.calls);
    if (write[1]!.toLowerCase() === 'insert into')
      totals.inserted.set(write[2]!, (totals.inserted.get(write[2]!) ?? 0) + Number(row.rows));
  }
  return totals;
}

/** Per table of the application: rows, and bytes including indexes and TOAST. */
export async function tableSizes(admin: pg.Pool): Promise<Array<{ table: string; rows: number; bytes: number }>> {
  const { rows } = await admin.query<{ table: string }>(
    `SELECT tablename AS table FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const sizes: Array<{ table: string; rows: number; bytes: number }> = [];
  for (const { table } of rows) {
    const counted = await admin.query<{ rows: string; bytes: string }>(
      `SELECT count(*) AS rows, pg_total_relation_size($1::regclass) AS bytes FROM "${table}"`,
      [table],
    );
    sizes.push({ table, rows: Number(counted.rows[0]?.rows ?? 0), bytes: Number(counted.rows[0]?.bytes ?? 0) });
  }
  return sizes;
}
