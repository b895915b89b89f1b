import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConsoleSection } from '../staff/staff.services.js';
import { session, staffBase } from '../staff/staff.http.js';
import { ImportJobPage, ImportUploadPage } from './pages/import-console.pages.js';
import type { ImportUpload } from './records-import-job.service.js';

/** A 20,000-row roster runs to several megabytes; the app's limit for other uploads is 5 MB. */
const IMPORT_FILE_BYTES = 32 * 1024 * 1024;

const importForm = { message: (code: string) => `imports.errors.${code.replace(/^imports\./, '')}` };

/** The uploaded file of a field, when one was chosen (an empty file input sends no bytes). */
function uploaded(body: unknown, name: string): Buffer | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return Buffer.isBuffer(value) && value.length > 0 ? value : undefined;
}

/** #12 §4, A-4: the registrar's imports — upload, the dry run's report of every bad row, then apply. */
export const importConsoleRoutes: ConsoleSection = async (app, { staff, services }) => {
  const { http } = staff;
  const registrar = http.requireStaff('registrar');
  const imports = services.recordsImports;
  const jobPage = (request: FastifyRequest) =>
    `${staffBase(request)}/imports/${encodeURIComponent((request.params as { id: string }).id)}`;

  app.get('/imports', { preHandler: registrar }, async (request, reply) => {
    const kept = await http.forms.recall(request, reply);
    return sendPage(
      request,
      reply,
      <ImportUploadPage member={session(request).member} errors={kept?.errors ?? []} />,
      kept?.status,
    );
  });

  app.post(
    '/imports',
    {
      preHandler: registrar,
      config: { multipartOptions: { limits: { fileSize: IMPORT_FILE_BYTES, files: 2, fields: 5 } } },
    },
    async (request, reply) => {
      const member = session(request).member;
      const upload: ImportUpload = {};
      const students = uploaded(request.body, 'students');
      const courses = uploaded(request.body, 'courses');
      if (students) upload.students = students;
      if (courses) upload.courses = courses;
      const result = await imports.check(request.tenant, member.id, http.actor(request, reply), upload);
      if (result.status === 'invalid')
        return http.forms.redirect(request, reply, `${staffBase(request)}/imports`, {
          values: {},
          errors: fieldErrors(result.violations, importForm),
          status: 422,
        });
      return reply.redirect(`${staffBase(request)}/imports/${result.id}`, 303);
    },
  );

  app.get('/imports/:id', { preHandler: registrar }, async (request, reply) => {
    const member = session(request).member;
    const { binding } = http.actor(request, reply);
    const job = await imports.find(request.tenant, member.id, binding, (request.params as { id: string }).id);
    // Another member's, another university's, another browser's or an expired import: nothing here.
    if (!job) throw new AppError('not_found');
    const kept = await http.forms.recall(request, reply);
    if (job.state === 'applying') reply.header('Refresh', '2');
    return sendPage(
      request,
      reply,
      <ImportJobPage
        member={member}
        job={job}
        errors={kept?.errors ?? []}
        notice={queryField(request.query, 'notice') === 'changed' ? 'changed' : undefined}
      />,
      kept?.status,
    );
  });

  app.post('/imports/:id/apply', { preHandler: registrar }, async (request, reply) => {
    const member = session(request).member;
    const id = (request.params as { id: string }).id;
    if (formField(request.body, 'confirm', 10) !== 'yes')
      return http.forms.redirect(request, reply, jobPage(request), {
        values: {},
        errors: [{ field: 'confirm', message: 'imports.errors.confirmRequired' }],
        status: 422,
      });
    const result = await imports.apply(
      request.tenant,
      member.id,
      http.actor(request, reply),
      id,
      formField(request.body, 'hash', 100),
    );
    if (result.status === 'gone') throw new AppError('not_found');
    return reply.redirect(`${jobPage(request)}${result.status === 'changed' ? '?notice=changed' : ''}`, 303);
  });
};
