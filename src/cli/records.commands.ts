import { readFile } from 'node:fs/promises';
import { formatImportReport } from '../features/records/records-import.service.js';
import { operatorActor } from '../platform/actor.js';
import { type CliCommand, text } from './command.js';

export const recordsCommands: CliCommand[] = [
  {
    name: 'records import',
    usage: '--tenant S --students F.csv [--courses F.csv] [--dry-run]',
    summary: 'import student records and transcripts (all or nothing)',
    options: {
      tenant: { type: 'string' },
      students: { type: 'string' },
      courses: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    async run({ services, tenantBySlug, resolvePath }, values) {
      const slug = text(values, 'tenant');
      const students = text(values, 'students');
      const courses = text(values, 'courses');
      if (!slug || !students) return 'usage';
      const tenant = await tenantBySlug(slug);
      const report = await services.records.import(
        operatorActor(tenant.id),
        {
          students: await readFile(resolvePath(students)),
          ...(courses ? { courses: await readFile(resolvePath(courses)) } : {}),
        },
        { dryRun: values['dry-run'] === true },
      );
      for (const line of formatImportReport(report, { students, courses })) {
        (report.ok ? console.log : console.error)(line);
      }
      return report.ok ? 0 : 1;
    },
  },
];
