import fs from 'node:fs/promises';
import os from 'node:os';

/**
 * Lowers the priority of every thread of this process but the event loop's (#11). argon2 runs on
 * libuv's threads, and with one hash per core it took the cores from the event loop as an equal:
 * pages, and the refusals that are meant to answer at once, waited their turn behind the hashes
 * (503s at a p99 of 280 ms under 200 connections). Niced, the hashes get what the event loop
 * leaves and still every idle cycle, so logins per second do not change. V8's helper threads
 * (garbage collection, compilation) are lowered with them: the event loop does their work itself
 * when they cannot run.
 *
 * Linux keeps a nice value per thread, and `setpriority` takes a thread's id in place of a
 * process id; elsewhere nothing changes. The listing is read through libuv's thread pool, which
 * starts all its threads at its first task, so they are all in it. Returns the number lowered.
 */
export async function lowerHelperThreads(nice: number): Promise<number> {
  if (nice === 0 || os.platform() !== 'linux') return 0;
  let tasks: string[];
  try {
    tasks = await fs.readdir('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const task of tasks) {
    const tid = Number(task);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      if (os.getPriority(tid) < nice) os.setPriority(tid, nice);
      lowered++;
    } catch {
      // A thread that ended between the listing and the call.
    }
  }
  return lowered;
}
