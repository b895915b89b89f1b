import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CertificateIds } from './certificate-ids.js';

/** How much an uploaded file may cost to read (C-13): configured by VERIFY_PARSE_* (config.ts). */
export interface UntrustedPdfLimits {
  /** Workers reading at the same time. */
  workers: number;
  /** Files waiting for a worker; one more is refused at once. */
  queue: number;
  /** From the file reaching a worker to its answer. */
  timeoutMs: number;
  /** The worker's heap, and half as much again for decoded stream data. */
  memoryMb: number;
}

export type PdfReading =
  { status: 'read'; ids: CertificateIds } | { status: 'unchecked'; reason: 'time' | 'memory' | 'busy' | 'failed' };

type WorkerAnswer = { status: 'ready' } | { status: 'read'; ids: CertificateIds } | { status: 'limit' };

interface Slot {
  worker: Worker;
  /** Resolves true once the worker has loaded pdf-lib, false when it died first. */
  ready: Promise<boolean>;
  dead: boolean;
  finish: ((reading: PdfReading) => void) | undefined;
}

/**
 * The built service runs dist/…/untrusted-pdf.worker.js. Tests and `npm run dev` run the
 * TypeScript sources, which a worker cannot load by itself on Node 20 (`--import tsx` in its
 * execArgv is not applied to the worker's entry): it loads them through tsx's API instead.
 */
function workerEntry(): URL | string {
  if (!import.meta.url.endsWith('.ts')) return new URL('./untrusted-pdf.worker.js', import.meta.url);
  const tsx = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsx, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./untrusted-pdf.worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
}

/** A worker that has not loaded in this long is taken for broken. */
const START_TIMEOUT_MS = 20_000;

/**
 * Uploaded PDFs are parsed here and nowhere else (#9 §1, C-13): in a small pool of worker
 * threads with a heap limit, a decoded-bytes limit and a time limit, behind a bounded queue. A
 * file over a limit, or one that finds the queue full, is "unchecked"; the worker that ran over
 * is terminated and replaced, so the server itself never holds the file's objects.
 */
export class UntrustedPdfReader {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<{ pdf: Uint8Array; resolve: (reading: PdfReading) => void }> = [];
  private closed = false;

  constructor(private readonly limits: UntrustedPdfLimits) {}

  read(pdf: Uint8Array): Promise<PdfReading> {
    return new Promise((resolve) => {
      if (this.closed) return resolve({ status: 'unchecked', reason: 'busy' });
      const slot = this.idle.pop() ?? (this.slots.size < this.limits.workers ? this.spawn() : undefined);
      if (slot) void this.run(slot, pdf, resolve);
      else if (this.waiting.length < this.limits.queue) this.waiting.push({ pdf, resolve });
      else resolve({ status: 'unchecked', reason: 'busy' });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.waiting.splice(0)) waiting.resolve({ status: 'unchecked', reason: 'busy' });
    await Promise.all([...this.slots].map((slot) => this.discard(slot)));
  }

  private spawn(): Slot {
    const worker = new Worker(workerEntry(), {
      eval: import.meta.url.endsWith('.ts'),
      workerData: { decodedBytesLimit: (this.limits.memoryMb / 2) * 1024 * 1024 },
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 },
    });
    worker.unref();
    let started: (ok: boolean) => void = () => undefined;
    const slot: Slot = {
      worker,
      ready: new Promise<boolean>((resolve) => {
        started = resolve;
        setTimeout(() => resolve(false), START_TIMEOUT_MS).unref();
      }),
      dead: false,
      finish: undefined,
    };
    worker.on('message', (answer: WorkerAnswer) => {
      if (answer.status === 'ready') started(true);
      else if (answer.status === 'read') slot.finish?.({ status: 'read', ids: answer.ids });
      else slot.finish?.({ status: 'unchecked', reason: 'memory' });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      slot.dead = true;
      started(false);
      slot.finish?.({ status: 'unchecked', reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'failed' });
    });
    worker.on('exit', () => {
      slot.dead = true;
      started(false);
      slot.finish?.({ status: 'unchecked', reason: 'failed' });
      this.forget(slot);
    });
    this.slots.add(slot);
    return slot;
  }

  private async run(slot: Slot, pdf: Uint8Array, resolve: (reading: PdfReading) => void): Promise<void> {
    resolve(await this.readIn(slot, pdf));
    if (slot.dead || this.closed) {
      await this.discard(slot);
      const next = this.waiting.shift();
      if (next && !this.closed) void this.run(this.spawn(), next.pdf, next.resolve);
      return;
    }
    const next = this.waiting.shift();
    if (next) void this.run(slot, next.pdf, next.resolve);
    else this.idle.push(slot);
  }

  private async readIn(slot: Slot, pdf: Uint8Array): Promise<PdfReading> {
    if (!(await slot.ready)) {
      slot.dead = true;
      return { status: 'unchecked', reason: 'failed' };
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        slot.dead = true;
        slot.finish?.({ status: 'unchecked', reason: 'time' });
      }, this.limits.timeoutMs);
      slot.finish = (reading) => {
        clearTimeout(timer);
        slot.finish = undefined;
        resolve(reading);
      };
      const copy = Uint8Array.from(pdf);
      slot.worker.postMessage(copy, [copy.buffer]);
    });
  }

  private async discard(slot: Slot): Promise<void> {
    slot.dead = true;
    this.forget(slot);
    await slot.worker.terminate();
  }

  /** A worker that ended, however, is neither counted nor handed a file again. */
  private forget(slot: Slot): void {
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
  }
}
