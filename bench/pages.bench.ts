/**
 * #11 pages benchmark: what Shomei's pages cost next to the same bytes served from memory by bare
 * Fastify, measured in one run with alternating rounds, as ratios of requests per second:
 *   - the Login page, as a first visit (no cookies: a CSRF secret is made for it);
 *   - the Select Printing Destination page (home), logged in, as a returning browser;
 *   - the public verification page.
 * Beside them the floor (floor.server.ts): the least work any implementation of each page must do
 * with the same libraries, which bounds what a ratio goal can ask.
 * Soak mode (`npm run bench:pages -- --soak`, BENCH_SOAK_SECONDS=600 by default) runs a mixed
 * load — the three pages and logins at a student-like rate — and prints the server's RSS over time.
 * BENCH_PROFILE=<dir> writes the server's CPU profile there (bench/profile-summary.ts reads it).
 * BENCH_PIN=1 runs each server on the last core and the load generator on the first (taskset):
 * on a shared or virtual machine the figures then move far less between runs.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  CORES,
  SECOND_PASSWORD,
  UNIVERSITY_PASSWORD,
  cookiesOf,
  load,
  loginRequests,
  median,
  pinLoadGenerator,
  prepareBenchDatabase,
  processCpuMs,
  rssMb,
  startFromMemory,
  startShomei,
  stop,
  studentId,
} from './bench-server.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const SOAK = process.argv.includes('--soak');
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const PINNED = process.env.BENCH_PIN === '1';
const STUDENTS = 20;

interface Page {
  name: string;
  path: string;
  headers: Record<string, string>;
  goal: number;
}

async function logIn(base: string, i: number): Promise<string> {
  const page = await fetch(`${base}/bench/login`);
  const csrfCookie = cookiesOf(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${base}/bench/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({
      _csrf: token,
      userId: studentId(i),
      password: UNIVERSITY_PASSWORD,
      secondPassword: SECOND_PASSWORD,
    }).toString(),
  });
  if (response.status !== 303 || !response.headers.get('location')?.endsWith('/home'))
    throw new Error(`bench login failed: ${response.status}`);
  return `${csrfCookie}; ${cookiesOf(response)}`;
}

async function body(base: string, page: Page): Promise<string> {
  const response = await fetch(`${base}${page.path}`, { headers: page.headers });
  if (response.status !== 200) throw new Error(`${page.path}: ${response.status}`);
  return response.text();
}

/** A server under measurement, with the cookies of a browser logged in to it (the home page). */
type Server = { name: string; process: ChildProcess; base: string; returning: string };

/**
 * Two ratios per page and server against bare Fastify: requests per second, and CPU time per
 * request of the serving process. The second holds still on a loaded machine (others' work does
 * not land on the server's own clock), the first is what the issue's table states. The floor
 * (floor.server.ts) is the least any implementation of the page must do: its ratio is the most a
 * goal can ask.
 */
async function ratios(servers: Server[], bare: Server, pages: Page[]): Promise<void> {
  const measured = [...servers, bare];
  const results = pages.map(() =>
    measured.map(() => ({ rate: [] as number[], cpu: [] as number[], p99: [] as number[] })),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, page] of pages.entries()) {
      // Which goes first rotates too, so a slow start of the machine falls on each alike.
      for (let turn = 0; turn < measured.length; turn++) {
        const s = (round + turn) % measured.length;
        const server = measured[s]!;
        const headers = 'cookie' in page.headers ? { ...page.headers, cookie: server.returning } : page.headers;
        const cpuBefore = processCpuMs(server.process.pid ?? 0).all;
        const result = await load(server.base, {
          connections: CONNECTIONS,
          duration: DURATION,
          requests: [{ method: 'GET', path: page.path, headers }],
        });
        const served = (result.statusCodeStats as Record<string, { count: number } | undefined>)['200']?.count ?? 0;
        const r = results[i]![s]!;
        r.cpu.push((processCpuMs(server.process.pid ?? 0).all - cpuBefore) / Math.max(1, served));
        r.rate.push(served / result.duration);
        r.p99.push(result.latency.p99);
      }
    }
  }
  console.log(
    `cores: ${CORES}${PINNED ? ' (servers pinned to the last, the load generator to the first)' : ''}, ${ROUNDS} rotating rounds of ${DURATION}s per server and page, ${CONNECTIONS} connections (medians)`,
  );
  const bareAt = measured.length - 1;
  for (const [i, page] of pages.entries()) {
    const baseline = results[i]![bareAt]!;
    console.log(
      `${page.name} (goal ≥ ${page.goal}); bare Fastify ${median(baseline.rate).toFixed(0)} req/s, ${(median(baseline.cpu) * 1000).toFixed(0)} µs/request`,
    );
    for (const [s, server] of servers.entries()) {
      const r = results[i]![s]!;
      const ratio = median(r.rate.map((rate, round) => rate / (baseline.rate[round] ?? 1)));
      const cpuRatio = median(baseline.cpu.map((cpu, round) => cpu / (r.cpu[round] ?? 1)));
      console.log(
        `  ${server.name.padEnd(7)} ${median(r.rate).toFixed(0).padStart(6)} req/s = ${ratio.toFixed(2)}; ` +
          `CPU/request ${(median(r.cpu) * 1000).toFixed(0)} µs = ${cpuRatio.toFixed(2)}; p99 ${median(r.p99)} ms`,
      );
    }
  }
}

/** Used by the command line only (`shomei import`'s progress bar), never by the server. */
const COMMAND_LINE_ONLY = new Set(['cli-progress']);

/**
 * The RSS floor: node, run as the server is, importing Shomei's runtime dependencies and nothing
 * else — no module of Shomei's, no request served.
 */
function librariesRssMb(): number {
  const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
  const imports = Object.keys(manifest.dependencies)
    .filter((name) => !COMMAND_LINE_ONLY.has(name))
    .map((name) => `await import(${JSON.stringify(name)});`)
    .join(' ');
  const script = `${imports} globalThis.gc(); process.stdout.write(require('node:fs').readFileSync('/proc/self/status', 'utf8'));`;
  const status = execFileSync(
    process.execPath,
    ['--max-semi-space-size=4', '--expose-gc', '--input-type=commonjs', '-e', `(async () => { ${script} })()`],
    { env: { ...process.env, MALLOC_ARENA_MAX: '2' } },
  ).toString();
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** The three pages and logins at once, for `seconds`, printing the server's RSS as it goes. */
async function soak(shomei: ChildProcess, base: string, pages: Page[], seconds: number): Promise<void> {
  const pid = shomei.pid ?? 0;
  const logins = await loginRequests(base, STUDENTS);
  const started = Date.now();
  const samples: Array<{ second: number; rss: number }> = [{ second: 0, rss: rssMb(pid) }];
  console.log(`soak: ${seconds}s of mixed load (pages at full speed, logins at 10/s); RSS of the server`);
  console.log(`   0 s  ${samples[0]!.rss.toFixed(1)} MB (at rest)`);
  const timer = setInterval(() => {
    const second = Math.round((Date.now() - started) / 1000);
    const rss = rssMb(pid);
    samples.push({ second, rss });
    console.log(`${String(second).padStart(4)} s  ${rss.toFixed(1)} MB`);
  }, 30_000);
  const cpuBefore = processCpuMs(pid).all;
  const [pageLoad] = await Promise.all([
    load(base, {
      connections: CONNECTIONS,
      duration: seconds,
      requests: pages.map((p) => ({ method: 'GET' as const, path: p.path, headers: p.headers })),
    }),
    load(base, { connections: 2, duration: seconds, overallRate: 10, requests: logins }),
  ]);
  clearInterval(timer);
  const after = samples.filter((s) => s.second >= 60);
  const first = after[0];
  const last = after.at(-1);
  console.log(
    `pages served: ${pageLoad.requests.total} (${pageLoad.non2xx} not 2xx), server CPU ${((processCpuMs(pid).all - cpuBefore) / 1000).toFixed(0)} s`,
  );
  if (first && last)
    console.log(
      `RSS at ${first.second} s: ${first.rss.toFixed(1)} MB (goal ≤ 120); at ${last.second} s: ${last.rss.toFixed(1)} MB; max after 60 s ${Math.max(...after.map((s) => s.rss)).toFixed(1)} MB`,
    );
  console.log(
    `RSS of node importing Shomei's runtime dependencies alone (the floor): ${librariesRssMb().toFixed(1)} MB`,
  );
}

async function main() {
  if (PINNED) pinLoadGenerator();
  const { dir, databaseUrl } = await prepareBenchDatabase(STUDENTS);
  const shomei = await startShomei(databaseUrl, {}, { pinned: PINNED });
  const returning = await logIn(shomei.base, 0);
  const pages: Page[] = [
    { name: 'Login page (first visit)', path: '/bench/login', headers: {}, goal: 0.5 },
    { name: 'Select Printing Destination (home)', path: '/bench/home', headers: { cookie: returning }, goal: 0.4 },
    { name: 'Verification page', path: '/bench/verify', headers: {}, goal: 0.4 },
  ];
  try {
    if (SOAK) {
      await soak(shomei.process, shomei.base, pages, SOAK_SECONDS);
      return;
    }
    const bytes = Object.fromEntries(await Promise.all(pages.map(async (p) => [p.path, await body(shomei.base, p)])));
    for (const p of pages) console.log(`${p.name}: ${Buffer.byteLength(bytes[p.path] as string)} bytes`);
    const bare = await startFromMemory('bare-pages.server.ts', bytes, dir, { pinned: PINNED });
    try {
      const floor = await startFromMemory('floor.server.ts', bytes, dir, { pinned: PINNED });
      try {
        await ratios(
          [
            { name: 'Shomei', ...shomei, returning },
            { name: 'floor', ...floor, returning: await logIn(floor.base, 0) },
          ],
          { name: 'bare', ...bare, returning: '' },
          pages,
        );
      } finally {
        await stop(floor.process);
      }
    } finally {
      await stop(bare.process);
    }
  } finally {
    await stop(shomei.process);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
