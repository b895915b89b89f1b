import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './paths.js';

/** Run in a process of its own: under the test runner, the test itself may be on a helper thread. */
function nicesAfterLowering(nice: number): { main: number; others: number[]; lowered: number } {
  const script = `
    import fs from 'node:fs';
    import { hash } from '@node-rs/argon2';
    import { lowerHelperThreads } from ${JSON.stringify(path.join(projectRoot, 'src/platform/thread-priority.ts'))};
    await hash('warm the pool', { memoryCost: 1024, timeCost: 1 });
    const lowered = await lowerHelperThreads(${nice});
    const niceOf = (tid) => Number(fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
    const tasks = fs.readdirSync('/proc/self/task');
    console.log(JSON.stringify({
      main: niceOf(process.pid),
      others: tasks.filter((t) => Number(t) !== process.pid).map(niceOf),
      lowered,
    }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

describe.skipIf(os.platform() !== 'linux')('#11 helper threads yield to the event loop', () => {
  it('lowers every thread but the main one, libuv pool included', () => {
    const { main, others, lowered } = nicesAfterLowering(10);
    expect(main).toBe(0);
    // Node 20 starts 4 V8 helpers and 4 libuv threads at least.
    expect(others.length).toBeGreaterThanOrEqual(8);
    expect(lowered).toBe(others.length);
    expect(new Set(others)).toEqual(new Set([10]));
  });

  it('leaves every thread as it is at 0', () => {
    const { others, lowered } = nicesAfterLowering(0);
    expect(lowered).toBe(0);
    expect(new Set(others)).toEqual(new Set([0]));
  });
});
