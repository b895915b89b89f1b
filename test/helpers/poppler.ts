/**
 * Poppler's command-line tools (Debian poppler-utils) as an independent reader of our PDFs: the
 * certificate tests (#4) extract text, render pages and validate signatures with them. Not used by
 * the application at run time.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/bin';

/** Whether pdftotext, pdftoppm and pdfsig are installed. */
export const popplerAvailable = ['pdftotext', 'pdftoppm', 'pdfsig'].every((tool) =>
  fs.existsSync(path.join(BIN, tool)),
);

/**
 * Tests that need poppler skip when it is missing on a developer's machine, but under CI
 * (CI=true, where .ci/run installs poppler-utils) they run — and fail if it is missing.
 */
export const skipWithoutPoppler = !popplerAvailable && process.env.CI !== 'true';

async function withFile<T>(pdf: Uint8Array, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shomei-pdf-'));
  try {
    const file = path.join(dir, 'certificate.pdf');
    await fs.promises.writeFile(file, pdf);
    return await use(file, dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** The text of the document (pdftotext, reading order; -layout keeps lines as drawn). */
export async function pdftotext(pdf: Uint8Array, options: { layout?: boolean } = {}): Promise<string> {
  return withFile(pdf, async (file) => {
    const args = [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'];
    const { stdout } = await run(path.join(BIN, 'pdftotext'), args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  });
}

export interface WordBox {
  word: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its box in points from the top left (pdftotext -bbox). */
export async function pdfWordBoxes(pdf: Uint8Array): Promise<WordBox[]> {
  return withFile(pdf, async (file) => {
    const { stdout } = await run(path.join(BIN, 'pdftotext'), ['-bbox', '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const words: WordBox[] = [];
    let page = 0;
    for (const line of stdout.split('\n')) {
      if (line.includes('<page ')) page++;
      const match = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
      if (match) {
        words.push({
          page,
          xMin: Number(match[1]),
          yMin: Number(match[2]),
          xMax: Number(match[3]),
          yMax: Number(match[4]),
          word: match[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
        });
      }
    }
    return words;
  });
}

/** Renders pages to PNG (pdftoppm -png) at `dpi`; returns one PNG file's bytes per page. */
export async function pdftoppm(pdf: Uint8Array, dpi: number): Promise<Buffer[]> {
  return withFile(pdf, async (file, dir) => {
    await run(path.join(BIN, 'pdftoppm'), ['-r', String(dpi), '-png', file, path.join(dir, 'page')]);
    const pages = (await fs.promises.readdir(dir)).filter((name) => name.endsWith('.png')).sort();
    return Promise.all(pages.map((name) => fs.promises.readFile(path.join(dir, name))));
  });
}

/** pdfsig's report (it exits non-zero for unsigned files and some invalid signatures; the report is what counts). */
export async function pdfsig(pdf: Uint8Array): Promise<string> {
  return withFile(pdf, async (file) => {
    try {
      const { stdout, stderr } = await run(path.join(BIN, 'pdfsig'), [file]);
      return stdout + stderr;
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      const report = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
      if (report.trim() === '') throw error;
      return report;
    }
  });
}
