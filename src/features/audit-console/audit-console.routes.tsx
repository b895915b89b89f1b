import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditEventName } from '../audit/audit-events.js';
import { csvJapanTime } from '../audit/audit-csv.js';
import { type AuditFilterInput, emptyAuditFilterInput } from '../audit/audit-filter.rules.js';
import type { AuditCursor, AuditLogEntry } from '../audit/audit.model.js';
import { todayInJapan } from '../../platform/clock.js';
import { formulaSafe } from '../../platform/csv-cell.js';
import { fieldErrors, formField, queryField } from '../../platform/http/form.js';
import type { Translate } from '../../platform/i18n.js';
import { sendPage } from '../../platform/views/render.js';
import type { ConsoleOptions } from '../staff/staff.services.js';
import { session, staffBase } from '../staff/staff.http.js';
import { AuditLogPage, actorText } from './pages/audit-log.page.js';

const auditForm = { message: (code: string) => `audit.validation.${code}` };
const fields = Object.keys(emptyAuditFilterInput) as Array<keyof AuditFilterInput>;

function filterInput(source: unknown, read: (source: unknown, name: string) => string): AuditFilterInput {
  return Object.fromEntries(fields.map((name) => [name, read(source, name)])) as unknown as AuditFilterInput;
}

/** The filter as a query string: the paging links and the export keep it. */
function filterQuery(input: AuditFilterInput): string {
  return new URLSearchParams(fields.filter((name) => input[name]).map((name) => [name, input[name]])).toString();
}

/** `before=<at>~<id>`: where an older page starts. Anything else starts at the newest entry. */
function cursorOf(typed: string): AuditCursor | undefined {
  const match = /^(\d{1,15})~([0-9a-f-]{36})$/.exec(typed);
  return match ? { at: Number(match[1]), id: match[2]! } : undefined;
}

/**
 * #12 A-6: the audit log for registrars and administrators alike (the registrar answers "who did
 * this to my account?" at the counter; the log shows no secrets). Every query is this university's.
 */
export async function auditConsoleRoutes(app: FastifyInstance, { staff, services }: ConsoleOptions) {
  const { http } = staff;
  const log = services.audit;

  app.get('/audit', { preHandler: http.requireStaff() }, async (request, reply) => {
    const input = filterInput(request.query, queryField);
    const [staffOptions, resolved] = await Promise.all([
      log.staffOptions(request.tenant),
      log.resolve(request.tenant, input),
    ]);
    const query = filterQuery(input);
    const base = `${staffBase(request)}/audit`;
    if (resolved.status === 'invalid')
      return sendPage(
        request,
        reply,
        <AuditLogPage
          member={session(request).member}
          input={input}
          errors={fieldErrors(resolved.violations, auditForm)}
          staff={staffOptions}
          entries={[]}
          query={query}
          olderHref={undefined}
          paged={false}
        />,
        422,
      );
    const cursor = cursorOf(queryField(request.query, 'before'));
    const page = await log.page(request.tenant, resolved.filter, cursor);
    const older = page.older && `${page.older.at}~${page.older.id}`;
    return sendPage(
      request,
      reply,
      <AuditLogPage
        member={session(request).member}
        input={input}
        errors={[]}
        staff={staffOptions}
        entries={page.entries}
        query={query}
        olderHref={older && `${base}?${query ? `${query}&` : ''}before=${encodeURIComponent(older)}`}
        paged={cursor !== undefined}
      />,
    );
  });

  app.post('/audit/export', { preHandler: http.requireStaff() }, async (request, reply) => {
    const input = filterInput(request.body, (body, name) => formField(body, name, 100));
    const resolved = await log.resolve(request.tenant, input);
    const query = filterQuery(input);
    if (resolved.status === 'invalid')
      return reply.redirect(`${staffBase(request)}/audit${query ? `?${query}` : ''}`, 303);
    const batches = await log.export(request.tenant, resolved.filter, http.actor(request, reply));
    return sendCsv(request, reply, batches, todayInJapan(services.clock.now()));
  });
}

const csvColumns = [
  'when',
  'event',
  'eventName',
  'actor',
  'actorKind',
  'staffNumber',
  'userId',
  'subject',
  'address',
  'userAgent',
  'detail',
] as const;

function csvRow(t: Translate, entry: AuditLogEntry): string[] {
  return [
    csvJapanTime(entry.at),
    entry.event,
    t(auditEventName(entry.event)),
    actorText(t, entry),
    entry.staffId ? 'staff' : (entry.actorKind ?? ''),
    entry.staffNumber ?? '',
    entry.userId ?? '',
    entry.subject ?? '',
    entry.ip ?? '',
    entry.userAgent ?? '',
    JSON.stringify(entry.detail ?? {}),
  ].map(formulaSafe);
}

/**
 * UTF-8 with a byte-order mark, so Excel opens the Japanese text as UTF-8; streamed a batch at a
 * time. Every cell passes neutraliseCell: the log holds what visitors typed (user IDs, user agents).
 */
function sendCsv(request: FastifyRequest, reply: FastifyReply, batches: AsyncIterable<AuditLogEntry[]>, date: string) {
  const t = request.t;
  const header = csvColumns.map((column) => t(`audit.csv.${column}`));
  async function* rows() {
    yield header;
    for await (const batch of batches) for (const entry of batch) yield csvRow(t, entry);
  }
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  // A failed read mid-way destroys the response: a cut-off download, never a file that looks whole.
  pipeline(Readable.from(rows()), csv, (error) => {
    if (error) request.log.error({ err: error }, 'audit export failed');
  });
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="audit-log-${request.tenant.slug}-${date}.csv"`)
    .header('cache-control', 'no-store')
    .send(csv);
}
