import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { TestContext } from 'vitest';

const popplerTools = ['pdftotext', 'pdftoppm', 'pdfsig'] as const;
type PopplerTool = (typeof popplerTools)[number];
const installed = new Set(popplerTools.filter((tool) => fs.existsSync(`/usr/bin/${tool}`)));

/**
 * Skips the running test, naming the missing tools, when poppler-utils is not installed on a
 * developer's machine. Under CI=true (.ci/run installs it) a missing tool fails the test instead.
 */
export function needsPoppler(context: TestContext, ...tools: PopplerTool[]): void {
  const missing = tools.filter((tool) => !installed.has(tool)).map((tool) => `/usr/bin/${tool}`);
  if (missing.length === 0) return;
  const reason = `${missing.join(', ')} missing: install poppler-utils`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true never skips)`);
  context.skip(reason);
}

function withFile<T>(pdf: Uint8Array, work: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-pdf-'));
  const file = path.join(dir, 'certificate.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return work(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text `pdftotext` reads, whitespace collapsed (certificates space out their titles). */
export function pdfText(pdf: Uint8Array): string {
  return withFile(pdf, (file) =>
    execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
  );
}

/** `pdfsig`'s report; it exits non-zero for a broken signature, which is reported, not thrown. */
export function pdfsigReport(pdf: Uint8Array): string {
  return withFile(pdf, (file) => {
    try {
      return execFileSync('/usr/bin/pdfsig', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    }
  });
}

/** Page count and the first page's size in points. */
export async function pdfPages(pdf: Uint8Array): Promise<{ count: number; width: number; height: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const first = doc.getPage(0).getSize();
  return { count: doc.getPageCount(), width: first.width, height: first.height };
}
