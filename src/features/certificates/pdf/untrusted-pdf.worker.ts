/**
 * Reads the ids of one uploaded PDF at a time for untrusted-pdf.ts, in a worker thread whose
 * heap, time and decoded bytes are limited. Decoded stream data lives in ArrayBuffers, outside
 * the V8 heap that `resourceLimits` bounds, so a compression bomb would grow the process without
 * ever meeting that limit: every pdf-lib decoder asks DecodeStream.ensureBuffer for room first,
 * and here that is where the bytes are counted and refused.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { ReadLimitExceeded, readCertificateIds } from './certificate-ids.js';

interface DecodeStreamPrototype {
  ensureBuffer(this: object, requested: number): Uint8Array;
}

const { decodedBytesLimit } = workerData as { decodedBytesLimit: number };
// pdf-lib resolves to its CommonJS build (no "exports" map), so this is the class its decoders extend.
const { default: DecodeStream } = createRequire(import.meta.url)('pdf-lib/cjs/core/streams/DecodeStream.js') as {
  default: { prototype: DecodeStreamPrototype };
};

let decoded = 0;
let exceeded = false;
let requestedBy = new WeakMap<object, number>();
const ensureBuffer = DecodeStream.prototype.ensureBuffer;
DecodeStream.prototype.ensureBuffer = function limitedEnsureBuffer(this: object, requested: number) {
  const before = requestedBy.get(this) ?? 0;
  if (requested > before) {
    decoded += requested - before;
    requestedBy.set(this, requested);
  }
  // pdf-lib recovers from errors in an object and reads on, so the refusal is remembered too.
  if (decoded > decodedBytesLimit) {
    exceeded = true;
    throw new ReadLimitExceeded('decoded stream data');
  }
  return ensureBuffer.call(this, requested);
};

// pdf-lib reports what it recovers from on the console; an uploaded file must not write into the
// service's stdout, which is its JSON log.
console.log = console.warn = console.error = () => undefined;

const port = parentPort!;
port.on('message', (pdf: Uint8Array) => {
  decoded = 0;
  exceeded = false;
  requestedBy = new WeakMap();
  readCertificateIds(pdf).then(
    (ids) => port.postMessage(exceeded ? { status: 'limit' } : { status: 'read', ids }),
    () => port.postMessage({ status: 'limit' }),
  );
});
port.postMessage({ status: 'ready' });
