/**
 * What the HTTP benchmarks share: a SQLite file with one university and set-up students, Shomei
 * started as its own process on it, and the measurements taken of that process from /proc.
 */
import { type ChildProcess, type SpawnOptions, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { UnitOfWork } from '../src/db/unit-of-work.js';
import { TenantService } from '../src/features/tenants/tenant.service.js';
import { systemClock } from '../src/platform/clock.js';
import { newId } from '../src/platform/crypto.js';
import { PasswordHasher } from '../src/platform/password-hasher.js';
import { SECOND_PASSWORD, UNIVERSITY_PASSWORD, studentId } from './students.js';

export { SECOND_PASSWORD, UNIVERSITY_PASSWORD, studentId };
export const CORES = os.availableParallelism();

/**
 * `pinned`: the server runs on the last core only (`taskset`), and `pinLoadGenerator` keeps the
 * benchmark's own process on the first, so neither takes the other's core and the host's other
 * work moves the figures less (docs/PERFORMANCE.md, #11).
 */
function spawnServer(args: string[], pinned: boolean, options: SpawnOptions): ChildProcess {
  return pinned
    ? spawn('taskset', ['--cpu-list', String(CORES - 1), process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

export function pinLoadGenerator(): void {
  if (CORES < 2) throw new Error('pinning needs two cores: one for the servers, one for the load generator');
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', '0', String(process.pid)], { stdio: 'ignore' });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A SQLite file with the university `bench` and `students` fully set-up students (two-factor off). */
export async function prepareBenchDatabase(students: number): Promise<{ dir: string; databaseUrl: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-bench-'));
  const databaseUrl = `sqlite:${path.join(dir, 'bench.sqlite')}`;
  const database = openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  const uow = new UnitOfWork(database.db, systemClock);
  const hasher = new PasswordHasher({ concurrency: CORES, queueLimit: 10_000 });
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, PUBLIC_URL: 'https://bench.test' });
  const tenants = new TenantService({ uow, clock: systemClock, hasher, config });
  const tenant = await tenants.create({
    slug: 'bench',
    name: { ja: 'ベンチ大学', en: 'Bench University' },
    policy: { twoFactorDefaultOn: false },
  });
  const universityHash = await hasher.hash(UNIVERSITY_PASSWORD);
  const secondHash = await hasher.hash(SECOND_PASSWORD);
  const now = Date.now();
  for (let i = 0; i < students; i++) {
    const userId = studentId(i);
    await uow.repos.roster.upsert(tenant.id, userId, universityHash, now);
    const account = await uow.repos.accounts.findOrCreate(
      tenant.id,
      newId(),
      userId,
      { twoFactorEnabled: false, lang: 'ja' },
      now,
    );
    await uow.repos.accounts.setVerifiedEmail(tenant.id, account.id, `${userId}@bench.test`, now);
    await uow.repos.accounts.setSecondPassword(tenant.id, account.id, secondHash, now);
  }
  await database.close();
  return { dir, databaseUrl };
}

let built = false;

/**
 * The server as production runs it (`npm start`: compiled by tsc, plain node), built once per
 * benchmark run. Under tsx a second thread compiles modules and source maps stay enabled, which
 * added about 60 MB of RSS and made every Error's stack dearer. `BENCH_TSX=1` runs src/ under tsx
 * instead; `BENCH_BUILT=1` takes dist/ as it is (after a build of one's own).
 */
function serverEntry(): string[] {
  if (process.env.BENCH_TSX === '1') return ['--import', 'tsx', 'src/server.ts'];
  if (!built && process.env.BENCH_BUILT !== '1') {
    console.log('building dist/ (tsc -p tsconfig.build.json) …');
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
      stdio: 'inherit',
    });
  }
  built = true;
  return ['dist/src/server.js'];
}

/** Shomei in production mode on the file; `BENCH_PROFILE=<dir>` writes a CPU profile there on exit. */
export async function startShomei(
  databaseUrl: string,
  env: Record<string, string> = {},
  { pinned = false } = {},
): Promise<{ process: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawnServer(
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
      // As docs/DEPLOYMENT.md runs it: a young generation of 4 MB semi-spaces instead of V8's 16 MB.
      '--max-semi-space-size=4',
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...serverEntry(),
    ],
    pinned,
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        SMTP_URL: 'smtp://127.0.0.1:9',
        SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnop',
        PUBLIC_URL: 'https://bench.test',
        LOG_LEVEL: 'silent',
        MALLOC_ARENA_MAX: '2',
        ...env,
      },
      stdio: 'inherit',
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/readyz`);
  return { process: child, base };
}

/**
 * A comparison server of the benchmarks (bare-pages.server.ts, floor.server.ts) on Shomei's pages,
 * given as { path: body } and written to `dir`, which also holds the floor's SQLite file.
 */
export async function startFromMemory(
  script: 'bare-pages.server.ts' | 'floor.server.ts',
  pages: Record<string, string>,
  dir: string,
  { pinned = false } = {},
): Promise<{ process: ChildProcess; base: string }> {
  const name = path.basename(script, '.server.ts');
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(pages));
  const port = await freePort();
  const child = spawnServer(
    ['--import', 'tsx', path.join('bench', script), file, path.join(dir, `${name}.sqlite`)],
    pinned,
    { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/readyz`);
  return { process: child, base };
}

export async function waitUntilReady(url: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      if (i > 300) throw new Error(`${url} did not answer`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Ends the process and waits for it, so a CPU profile is written before the benchmark exits. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * CPU milliseconds used so far, from /proc: the whole process (all threads), and its main
 * thread alone — the event loop, where everything but hashing happens.
 */
export function processCpuMs(pid: number): { all: number; main: number } {
  const read = (file: string) => {
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  return { all: read(`/proc/${pid}/stat`), main: read(`/proc/${pid}/task/${pid}/stat`) };
}

/** Resident set size in MB, from /proc. */
export function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function load(base: string, options: Omit<autocannon.Options, 'url'>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ ...options, url: base }, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/**
 * The form posts of a full login for each of `students`, under one CSRF secret and token (the
 * token is valid for the cookie it came with), so a load generator can replay them.
 */
export async function loginRequests(base: string, students: number) {
  const page = await fetch(`${base}/bench/login`, { headers: { 'x-forwarded-proto': 'https' } });
  const csrfCookie = cookiesOf(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  return Array.from({ length: students }, (_, i) => ({
    method: 'POST' as const,
    path: '/bench/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({
      _csrf: token,
      userId: studentId(i),
      password: UNIVERSITY_PASSWORD,
      secondPassword: SECOND_PASSWORD,
    }).toString(),
  }));
}
