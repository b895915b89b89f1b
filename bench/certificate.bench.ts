/**
 * #4 certificate benchmark: what one signed, one-page Japanese certificate costs, measured in one
 * run next to what the bare PDF library costs for an empty page.
 *   1. the one-off cost of reading and parsing the fonts (CertificateRenderer's constructor);
 *   2. the first certificate of a fresh renderer (lazy font tables, JIT warm-up);
 *   3. milliseconds per certificate, single-threaded, steady state — signed, and unsigned;
 *   4. the same with the font parsed for every document (a new renderer per certificate), to
 *      show what parsing once saves;
 *   5. pdf-lib alone writing an empty A4 page (the floor any PDF costs);
 *   6. certificates per second on all cores (worker_threads, one renderer per worker);
 *   7. PAdES B-T and B-LTA (#9 §3) against a TSA and OCSP responder on loopback (openssl ts and
 *      openssl ocsp, test/helpers/trust-services.ts), next to the TSA's own round trip — that
 *      TSA starts an openssl process per request, so most of its time is the TSA's, not ours.
 * Run: npx tsx bench/certificate.bench.ts   (BENCH_SECONDS=5 by default per measurement)
 */
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PDFDocument } from 'pdf-lib';
import type { CertificateData } from '../src/features/certificates/certificate.model.js';
import { CertificateRenderer } from '../src/features/certificates/pdf/certificate.renderer.js';
import {
  type CertificateSigner,
  createDevelopmentSigner,
} from '../src/features/certificates/pdf/certificate.signing.js';
import { collectValidationData } from '../src/features/certificates/pdf/pades/revocation.js';
import { HttpTimestampAuthority } from '../src/features/certificates/pdf/pades/timestamp.js';
import { openPkcs12Signer } from '../src/features/certificates/signing/pkcs12-signer.js';
import { sampleCertificate, sampleIssuedAt } from '../test/helpers/certificate-fixtures.js';
import { startTrustServices } from '../test/helpers/trust-services.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CORES = os.availableParallelism();

interface WorkerInput {
  p12Base64: string;
  passphrase: string;
  seconds: number;
}

function certificate(i: number): CertificateData {
  const data = sampleCertificate('enrollment', 'ja');
  // A different serial and code per document, as in real issuance.
  const n = String(i).padStart(6, '0');
  return { ...data, serial: `DEMO-2026-${n}`, verificationCode: `K7QM-X4TD-${n.slice(-4)}` };
}

/** Runs `task` repeatedly for `seconds` (after `warmup` runs); returns per-run milliseconds. */
async function measure(seconds: number, warmup: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await task(i);
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let i = warmup;
  while (performance.now() < deadline) {
    const started = performance.now();
    await task(i++);
    times.push(performance.now() - started);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function emptyPage(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]);
  return doc.save();
}

/** Worker: one renderer, warmed up; on "go", signed certificates until the deadline. */
async function workerMain(input: WorkerInput): Promise<void> {
  const renderer = new CertificateRenderer();
  const signer: CertificateSigner = {
    key: openPkcs12Signer(Buffer.from(input.p12Base64, 'base64'), input.passphrase),
    name: 'デモ大学',
  };
  for (let i = 0; i < 20; i++) await renderer.render(certificate(i), sampleIssuedAt, signer);
  const port = parentPort!;
  const deadline = await new Promise<number>((resolve) => {
    port.once('message', (message: { deadline: number }) => resolve(message.deadline));
    port.postMessage({ ready: true });
  });
  let count = 0;
  while (Date.now() < deadline) {
    await renderer.render(certificate(count), sampleIssuedAt, signer);
    count++;
  }
  port.postMessage({ count });
}

/** Certificates per second with one worker (and renderer) per core, all started together. */
async function allCores(development: { p12Base64: string; passphrase: string }): Promise<number> {
  const input: WorkerInput = { ...development, seconds: SECONDS };
  const workers = Array.from({ length: CORES }, () => {
    // Workers do not inherit tsx's loader: the worker loads this file through tsx's API.
    const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
    return new Worker(bootstrap, { eval: true, workerData: input });
  });
  const next = (worker: Worker) =>
    new Promise<Record<string, number | boolean>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await Promise.all(workers.map(next)); // every worker has parsed its fonts and warmed up
  const started = Date.now();
  const results = workers.map(next);
  for (const worker of workers) worker.postMessage({ deadline: started + SECONDS * 1000 });
  const counts = await Promise.all(results);
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(workers.map((worker) => worker.terminate()));
  return counts.reduce((sum, result) => sum + Number(result.count), 0) / elapsed;
}

async function main(): Promise<void> {
  const development = createDevelopmentSigner('デモ大学 証明書発行（開発用）', 'デモ大学', sampleIssuedAt);
  const signer: CertificateSigner = {
    key: openPkcs12Signer(Buffer.from(development.p12Base64, 'base64'), development.passphrase),
    name: 'デモ大学',
  };

  // 1 + 2: a fresh renderer, then its first document.
  const renderer = new CertificateRenderer();
  const parseMs = renderer.fontLoadMs;
  let started = performance.now();
  const first = await renderer.render(certificate(0), sampleIssuedAt, signer);
  const firstMs = performance.now() - started;

  // 5 first, so pdf-lib is warm for everyone: the bare library writing an empty page.
  const bare = median(await measure(SECONDS / 2, 20, () => emptyPage()));

  // 3: steady state, signed and unsigned.
  const signedTimes = await measure(SECONDS, 20, (i) => renderer.render(certificate(i), sampleIssuedAt, signer));
  const unsignedTimes = await measure(SECONDS / 2, 10, (i) => renderer.render(certificate(i), sampleIssuedAt));

  // 4: parsing the fonts for every document.
  const reparseTimes = await measure(SECONDS / 2, 2, async (i) =>
    new CertificateRenderer().render(certificate(i), sampleIssuedAt, signer),
  );
  const parseAgain: number[] = [];
  for (let i = 0; i < 5; i++) parseAgain.push(new CertificateRenderer().fontLoadMs);

  // 6: all cores.
  const perSecond = await allCores(development);

  // 7: long-term signatures with a loopback TSA and OCSP responder. The time spent waiting for
  // the TSA and the responders is measured apart, so "ours" is what Shomei adds on top of them.
  const trust = await startTrustServices();
  const bt = { total: [] as number[], ours: [] as number[] };
  const lta = { total: [] as number[], ours: [] as number[] };
  let tsaMs: number;
  let ltaBytes = 0;
  try {
    const tsa = new HttpTimestampAuthority({ url: trust.tsaUrl });
    let waited = 0;
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await call();
      } finally {
        waited += performance.now() - started;
      }
    };
    const timestamps = { url: tsa.url, stamp: (digest: Buffer) => timed(() => tsa.stamp(digest)) };
    const validationData = (certs: Buffer[]) => timed(() => collectValidationData(certs));
    const trustSigner: CertificateSigner = { key: trust.signer, name: 'テスト大学' };
    tsaMs = median(await measure(SECONDS / 2, 3, () => tsa.stamp(Buffer.alloc(32, 1))));
    const run = async (renderer: CertificateRenderer, into: { total: number[]; ours: number[] }) => {
      for (let i = 0; i < 2; i++) await renderer.render(certificate(i), sampleIssuedAt, trustSigner);
      const deadline = performance.now() + (SECONDS / 2) * 1000;
      for (let i = 0; performance.now() < deadline || into.total.length < 3; i++) {
        waited = 0;
        const started = performance.now();
        const pdf = await renderer.render(certificate(i), sampleIssuedAt, trustSigner);
        const total = performance.now() - started;
        into.total.push(total);
        into.ours.push(total - waited);
        ltaBytes = pdf.byteLength;
      }
    };
    // B-T alone: validation data that fails stops the signature at B-T (a reported shortfall).
    await run(
      new CertificateRenderer({
        longTerm: { timestamps, validationData: () => Promise.reject(new Error('B-T only')) },
      }),
      bt,
    );
    await run(new CertificateRenderer({ longTerm: { timestamps, validationData } }), lta);
  } finally {
    await trust.stop();
  }

  const signed = median(signedTimes);
  const unsigned = median(unsignedTimes);
  const reparse = median(reparseTimes);
  const lines = [
    `Shomei certificate benchmark (#4) — node ${process.version}, ${CORES} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${SECONDS} s per measurement`,
    '',
    'one-page Japanese 在学証明書, signed (RSA 2048, PAdES ETSI.CAdES.detached), IPAex subset fonts:',
    `  size of one certificate                     ${(first.byteLength / 1024).toFixed(1)} KB`,
    `  font parse, once per renderer (process)     ${ms(parseMs)}   (median of 5 more: ${ms(median(parseAgain))})`,
    `  first certificate of a fresh renderer        ${ms(firstMs)}`,
    `  per certificate, single thread (median)     ${ms(signed)}   (mean ${ms(mean(signedTimes))}, n=${signedTimes.length})`,
    `  … of which signing (signed − unsigned)       ${ms(signed - unsigned)}   (unsigned ${ms(unsigned)})`,
    `  per certificate if the font were parsed       ${ms(reparse)}   (n=${reparseTimes.length})`,
    `    for every document (new renderer each)`,
    `  bare pdf-lib, empty A4 page (median)         ${ms(bare)}`,
    `  certificates per second, all ${CORES} cores       ${perSecond.toFixed(0)}/s   (${CORES} workers, one renderer each)`,
    `  certificates per second, one thread          ${(1000 / signed).toFixed(0)}/s`,
    '',
    'PAdES with a loopback TSA (openssl ts, one process per request) and OCSP responder (openssl ocsp):',
    `  TSA round trip alone (median)                ${ms(tsaMs)}`,
    `  B-T certificate (median)                     ${ms(median(bt.total))}   (n=${bt.total.length}; B-B ${ms(signed)})`,
    `  … without the wait for the TSA               ${ms(median(bt.ours))}   (timestamp cost to us: ${ms(median(bt.ours) - signed)})`,
    `  B-LTA certificate (median)                   ${ms(median(lta.total))}   (n=${lta.total.length}; 2 timestamps, 2 OCSP requests)`,
    `  … without the waits for TSA and OCSP         ${ms(median(lta.ours))}   (DSS + document timestamp cost to us: ${ms(median(lta.ours) - median(bt.ours))})`,
    `  size of a B-LTA certificate                  ${(ltaBytes / 1024).toFixed(1)} KB`,
    '',
    'ratios:',
    `  certificate / bare pdf-lib empty page        ${(signed / bare).toFixed(1)}×`,
    `  parse-per-document / parse-once              ${(reparse / signed).toFixed(1)}×  (parsing once saves ${ms(reparse - signed)} per certificate)`,
    `  font parse (one-off) / one certificate       ${(parseMs / signed).toFixed(1)}×  (paid once per process, not per document)`,
    `  all cores / one thread                       ${((perSecond * signed) / 1000).toFixed(2)}×`,
  ];
  console.log(lines.join('\n'));
}

if (isMainThread) {
  await main();
} else {
  await workerMain(workerData as WorkerInput);
}
