/**
 * Summarises a V8 .cpuprofile (`node --cpu-prof`, or BENCH_PROFILE=<dir> for the benchmarks) by
 * self time: the functions where the samples fell, with their share of the busy (non-idle) time.
 * Samples before the first HTTP request (start-up: loading modules, parsing fonts) are left out,
 * so the shares are those of serving; the start-up's own time is printed apart.
 * `--inclusive` ranks by inclusive time instead (a function's own samples and those of everything
 * it called, each sample counted once per function), which shows what a hook or route costs whole.
 * Run: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [--inclusive]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const inclusive = process.argv.includes('--inclusive');
const [file, topArg] = process.argv.slice(2).filter((arg) => arg !== '--inclusive');
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [--inclusive]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const serving = (id: number) => {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
    if (byId.get(at)?.callFrame.functionName === 'parserOnIncoming') return true;
  return false;
};
const firstRequest = Math.max(0, profile.samples.findIndex(serving));
const startUpMs = profile.timeDeltas.slice(0, firstRequest).reduce((a, b) => a + b, 0) / 1000;
const keyOf = (id: number): string | undefined => {
  const frame = byId.get(id)?.callFrame;
  if (!frame) return undefined;
  const where = frame.url
    ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/')}:${frame.lineNumber + 1}`
    : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
};
const selfMs = new Map<string, number>();
profile.samples.forEach((id, i) => {
  if (i < firstRequest) return;
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  const keys = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = inclusive ? parentOf.get(at) : undefined) {
    const key = keyOf(at);
    if (key) keys.add(key);
  }
  for (const key of keys) selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
});
const idle = selfMs.get('(idle)') ?? 0;
const total = profile.samples.reduce(
  (sum, _, i) => (i < firstRequest ? sum : sum + (profile.timeDeltas[i] ?? 0) / 1000),
  0,
);
const busy = total - idle;
console.log(
  `start-up ${(startUpMs / 1000).toFixed(1)} s left out; busy ${(busy / 1000).toFixed(1)} s of ${(total / 1000).toFixed(1)} s sampled after it (${inclusive ? 'inclusive' : 'self'} time, share of busy)`,
);
for (const [key, ms] of [...selfMs.entries()]
  .filter(([key]) => key !== '(idle)' && key !== '(root)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(topArg ?? 25)))
  console.log(`${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
