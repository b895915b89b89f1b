import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';

/** poppler-utils: present on CI (its absence fails there), optional on a developer's machine. */
export const poppler = {
  pdftotext: fs.existsSync('/usr/bin/pdftotext'),
  pdfsig: fs.existsSync('/usr/bin/pdfsig'),
};

/** Whether a poppler check runs; throws on CI when the tool is missing, so CI cannot skip it silently. */
export function popplerAvailable(tool: keyof typeof poppler): boolean {
  if (poppler[tool]) return true;
  if (process.env.CI === 'true') throw new Error(`/usr/bin/${tool} is missing on CI: install poppler-utils`);
  return false;
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
