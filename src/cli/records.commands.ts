import { readFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import {
  type ImportProgress,
  type RecordsImportInput,
  formatImportReport,
} from '../features/records/records-import.service.js';
import { operatorActor } from '../platform/actor.js';
import { type CliCommand, type CliContext, CliError, type CliValues, text } from './command.js';

/**
 * An import's progress on stderr: a bar on a terminal, a plain line per phase (and per tenth of
 * the rows) when stderr is a file or a pipe, so logs stay readable.
 */
function progressReporter(): { onProgress: (progress: ImportProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: '{phase} [{bar}] {value}/{total} rows',
      hideCursor: true,
    });
    let started = false;
    return {
      onProgress: ({ phase, done, total }) => {
        if (!started) bar.start(total, done, { phase });
        started = true;
        bar.setTotal(total);
        bar.update(phase === 'writing' ? total : done, { phase });
      },
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    onProgress: ({ phase, done, total }) => {
      const line =
        phase === 'writing'
          ? `writing ${total} rows`
          : `checking ${Math.floor((done / Math.max(total, 1)) * 10) * 10}%`;
      if (line !== last) console.error(line);
      last = line;
    },
    stop: () => undefined,
  };
}

async function readCsv(resolvePath: (file: string) => string, file: string): Promise<Buffer> {
  try {
    return await readFile(resolvePath(file));
  } catch (error) {
    throw new CliError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Runs the import every way in shares (the console runs the same service); exit 1 when any row is refused. */
async function runImport(
  { services, tenantBySlug, resolvePath }: CliContext,
  values: CliValues,
  files: { students?: string; courses?: string },
): Promise<number> {
  const slug = text(values, 'tenant')!;
  const tenant = await tenantBySlug(slug);
  const input: RecordsImportInput = {};
  if (files.students) input.students = await readCsv(resolvePath, files.students);
  if (files.courses) input.courses = await readCsv(resolvePath, files.courses);
  const progress = progressReporter();
  const report = await services.records
    .import(operatorActor(tenant.id), input, { dryRun: values['dry-run'] === true, onProgress: progress.onProgress })
    .finally(progress.stop);
  for (const line of formatImportReport(report, files)) (report.ok ? console.log : console.error)(line);
  return report.ok ? 0 : 1;
}

const importOptions = { tenant: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

export const recordsCommands: CliCommand[] = [
  {
    name: 'import roster',
    usage: '--tenant S [--dry-run] FILE.csv',
    summary: 'import the students file (the roster), all or nothing; every bad row named by line and reason',
    options: importOptions,
    positionals: 1,
    async run(context, values, positionals) {
      const [file] = positionals;
      if (!text(values, 'tenant') || !file) return 'usage';
      return runImport(context, values, { students: file });
    },
  },
  {
    name: 'import records',
    usage: '--tenant S [--dry-run] FILE.csv',
    summary: 'import the courses file (transcripts): each student in it gets exactly its courses; all or nothing',
    options: importOptions,
    positionals: 1,
    async run(context, values, positionals) {
      const [file] = positionals;
      if (!text(values, 'tenant') || !file) return 'usage';
      return runImport(context, values, { courses: file });
    },
  },
  {
    name: 'records import',
    usage: '--tenant S --students F.csv [--courses F.csv] [--dry-run]',
    summary: 'import student records and transcripts together (all or nothing)',
    options: { ...importOptions, students: { type: 'string' }, courses: { type: 'string' } },
    async run(context, values) {
      const students = text(values, 'students');
      const courses = text(values, 'courses');
      if (!text(values, 'tenant') || !students) return 'usage';
      return runImport(context, values, { students, ...(courses && { courses }) });
    },
  },
];
