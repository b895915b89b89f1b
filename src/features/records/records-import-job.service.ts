import { createHash } from 'node:crypto';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import type { Violation } from '../../platform/violation.js';
import type { FlowService } from '../../flows/flow.service.js';
import type { Flow } from '../../flows/flow.model.js';
import { transition } from '../../flows/flow.state.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { ImportFile } from './records-csv.model.js';
import type {
  ImportProgress,
  RecordsImportInput,
  RecordsImportReport,
  RecordsImportService,
} from './records-import.service.js';

/** How long a checked file waits for its apply, and a finished import's report stays readable. */
const LIFETIME_MS = 60 * 60_000;
/** An import that has said nothing for this long died with its instance (its transaction rolled back). */
const SILENT_MS = 10 * 60_000;
const PROGRESS_EVERY_MS = 500;
/**
 * The report keeps this many problems: a file that is wrong throughout (Shift_JIS read as
 * UTF-8, the wrong file) is fixed long before its 20,000th line is read.
 */
export const REPORTED_PROBLEMS = 2_000;

export type ImportUpload = Partial<Record<ImportFile, Uint8Array>>;

interface ImportContext {
  binding: string;
  files: Partial<Record<ImportFile, { bytes: number }>>;
  /** What the dry run checked: the apply runs only on the same bytes. */
  hash: string;
  /** The files, sealed, until the apply takes them. */
  sealed?: string;
  /** The dry run's report; once finished, the apply's. */
  report: RecordsImportReport;
  problems: number;
  progress?: ImportProgress;
  updatedAt: number;
  failed?: boolean;
}

export type ImportJobState = 'checked' | 'applying' | 'applied' | 'refused' | 'failed' | 'interrupted';

/** What the import's page shows. */
export interface ImportJob {
  id: string;
  state: ImportJobState;
  files: ImportFile[];
  hash: string;
  report: RecordsImportReport;
  /** Problems found in all; the report lists at most REPORTED_PROBLEMS of them. */
  problems: number;
  progress: ImportProgress | undefined;
}

export type ImportCheck = { status: 'invalid'; violations: Violation[] } | { status: 'checked'; id: string };
export type ImportApply = { status: 'applying' | 'unchanged' | 'gone' | 'changed' };

function uploadHash(upload: ImportUpload): string {
  const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
  const part = (bytes: Uint8Array | undefined) => (bytes === undefined ? '-' : sha256(bytes));
  return sha256(`students:${part(upload.students)};courses:${part(upload.courses)}`);
}

function kept(report: RecordsImportReport): RecordsImportReport {
  return { ...report, errors: report.errors.slice(0, REPORTED_PROBLEMS) };
}

/**
 * A-4 in the console: the registrar's files are checked (a dry run, every bad row reported) and
 * kept sealed in a flow bound to the staff member and their browser; the apply takes exactly the
 * bytes that were checked, runs the same import the CLI runs (all or nothing, one transaction)
 * in the background, and records its progress in the flow so any instance's page can show it.
 */
export class RecordsImportJobService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'box' | 'logger'> & {
      flows: FlowService;
      records: RecordsImportService;
    },
  ) {}

  /** The dry run of the uploaded files, kept for the apply. */
  async check(tenant: Tenant, staffId: string, actor: Actor, upload: ImportUpload): Promise<ImportCheck> {
    const files = (['students', 'courses'] as const).filter((file) => (upload[file]?.length ?? 0) > 0);
    if (files.length === 0)
      return { status: 'invalid', violations: [{ code: 'imports.fileRequired', path: 'students' }] };
    const given: ImportUpload = Object.fromEntries(files.map((file) => [file, upload[file]]));
    const report = await this.deps.records.import({ ...actor, tenantId: tenant.id }, this.input(given), {
      dryRun: true,
    });
    const now = this.deps.clock.now();
    const flow = await this.deps.flows.start<ImportContext>(this.deps.uow.repos, {
      tenantId: tenant.id,
      kind: 'records_import',
      subjectId: staffId,
      lifetimeMs: LIFETIME_MS,
      context: {
        binding: actor.binding,
        files: Object.fromEntries(files.map((file) => [file, { bytes: given[file]!.length }])),
        hash: uploadHash(given),
        sealed: this.deps.box.seal(
          JSON.stringify(Object.fromEntries(files.map((file) => [file, Buffer.from(given[file]!).toString('base64')]))),
        ),
        report: kept(report),
        problems: report.errors.length,
        updatedAt: now,
      },
    });
    return { status: 'checked', id: flow.id };
  }

  /** The member's own import, from the browser that uploaded it; undefined for anyone else's or an expired one. */
  async find(tenant: Tenant, staffId: string, binding: string, id: string): Promise<ImportJob | undefined> {
    const flow = await this.live(tenant, staffId, binding, id);
    return flow && this.view(flow);
  }

  /**
   * Starts writing what the dry run checked, when `hash` names it. The file is checked once
   * more in the import's own transaction (the records may have changed since), so a file that
   * no longer passes writes nothing.
   */
  async apply(tenant: Tenant, staffId: string, actor: Actor, id: string, hash: string): Promise<ImportApply> {
    const flow = await this.live(tenant, staffId, actor.binding, id);
    if (!flow) return { status: 'gone' };
    // Sent twice, or forged for a report with problems: the page says where the import stands.
    if (flow.state !== 'awaiting_confirmation' || !flow.context.sealed || !flow.context.report.ok)
      return { status: 'unchanged' };
    if (hash !== flow.context.hash) return { status: 'changed' };
    const stored = JSON.parse(this.deps.box.open(flow.context.sealed)) as Partial<Record<ImportFile, string>>;
    const upload: ImportUpload = Object.fromEntries(
      Object.entries(stored).map(([file, base64]) => [file, Buffer.from(base64, 'base64')]),
    );
    if (uploadHash(upload) !== flow.context.hash) return { status: 'changed' };
    const now = this.deps.clock.now();
    const { sealed: _taken, ...rest } = flow.context;
    const started = await this.deps.uow.repos.flows.advance(
      tenant.id,
      id,
      'awaiting_confirmation',
      transition('records_import', 'awaiting_confirmation', 'apply'),
      now,
      {
        context: { ...rest, progress: { phase: 'checking', done: 0, total: 0 }, updatedAt: now },
        expiresAt: now + LIFETIME_MS,
      },
    );
    if (!started) return { status: 'gone' };
    const job = this.run(tenant, id, { ...actor, tenantId: tenant.id }, { ...rest, updatedAt: now }, upload).finally(
      () => this.running.delete(job),
    );
    this.running.add(job);
    return { status: 'applying' };
  }

  /** Resolves once every import this instance started has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async run(tenant: Tenant, id: string, actor: Actor, context: ImportContext, upload: ImportUpload) {
    const repos = this.deps.uow.repos;
    let lastWrite = 0;
    let lastPhase: ImportProgress['phase'] = 'checking';
    const onProgress = async (progress: ImportProgress) => {
      const now = this.deps.clock.now();
      if (progress.phase === lastPhase && performance.now() - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = performance.now();
      lastPhase = progress.phase;
      await repos.flows.advance(tenant.id, id, 'applying', transition('records_import', 'applying', 'progress'), now, {
        context: { ...context, progress, updatedAt: now },
      });
    };
    let finished: ImportContext;
    try {
      const report = await this.deps.records.import(actor, this.input(upload), { onProgress });
      finished = { ...context, report: kept(report), problems: report.errors.length };
    } catch (error) {
      this.deps.logger.error({ err: error, tenant: tenant.slug, import: id }, 'records import failed');
      finished = { ...context, failed: true };
    }
    const now = this.deps.clock.now();
    await repos.flows.advance(tenant.id, id, 'applying', transition('records_import', 'applying', 'finish'), now, {
      context: { ...finished, progress: undefined, updatedAt: now },
      expiresAt: now + LIFETIME_MS,
    });
  }

  private input(upload: ImportUpload): RecordsImportInput {
    return {
      ...(upload.students && { students: upload.students }),
      ...(upload.courses && { courses: upload.courses }),
    };
  }

  private async live(tenant: Tenant, staffId: string, binding: string, id: string) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
    const flow = await this.deps.flows.findLive<ImportContext>(this.deps.uow.repos, tenant.id, 'records_import', id, {
      binding,
      states: ['awaiting_confirmation', 'applying', 'completed'],
    });
    return flow && flow.subjectId === staffId ? flow : undefined;
  }

  private view(flow: Flow<ImportContext>): ImportJob {
    const { context } = flow;
    const report = context.report;
    const state: ImportJobState =
      flow.state === 'awaiting_confirmation'
        ? 'checked'
        : flow.state === 'applying'
          ? context.updatedAt < this.deps.clock.now() - SILENT_MS
            ? 'interrupted'
            : 'applying'
          : context.failed
            ? 'failed'
            : report.written
              ? 'applied'
              : 'refused';
    return {
      id: flow.id,
      state,
      files: Object.keys(context.files) as ImportFile[],
      hash: context.hash,
      report,
      problems: context.problems,
      progress: flow.state === 'applying' ? context.progress : undefined,
    };
  }
}
