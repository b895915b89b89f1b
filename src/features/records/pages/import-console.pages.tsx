import type { Translate } from '../../../platform/i18n.js';
import { Button, ErrorSummary, type FieldError, Message } from '../../../platform/views/components.js';
import { CsrfField } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { ImportIssue } from '../records-csv.model.js';
import { type ImportJob, REPORTED_PROBLEMS } from '../records-import-job.service.js';

/** The upload form: the roster (students file) and the records (courses file), either or both. */
export function ImportUploadPage({ member, errors }: { member: StaffMember; errors: FieldError[] }) {
  const { t, base } = usePage();
  const own = (field: string) => errors.filter((error) => error.field === field);
  return (
    <ConsolePage member={member} title={t('imports.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <p>{t('imports.intro')}</p>
      <form method="post" action={`${base}/staff/imports`} enctype="multipart/form-data" class="stack" novalidate>
        <CsrfField />
        {(['students', 'courses'] as const).map((file) => (
          <div class={own(file).length ? 'field field--error' : 'field'} key={file}>
            <label for={`field-${file}`}>{t(`imports.file.${file}`)}</label>
            <p class="field-hint" id={`field-${file}-hint`}>
              {t(`imports.fileHint.${file}`)}
            </p>
            {own(file).map((error) => (
              <p class="field-error" key={error.message}>
                {t(error.message, error.params)}
              </p>
            ))}
            <input
              id={`field-${file}`}
              name={file}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={`field-${file}-hint`}
            />
          </div>
        ))}
        <Button>{t('imports.check')}</Button>
      </form>
    </ConsolePage>
  );
}

function issueText(t: Translate, issue: ImportIssue): string {
  return t(`imports.issue.${issue.code}`, { column: issue.column ?? '', ...issue.params });
}

function Counts({ job }: { job: ImportJob }) {
  const { t } = usePage();
  const { students, courses } = job.report;
  return (
    <dl class="summary">
      {job.files.includes('students') && (
        <>
          <dt>{t('imports.file.students')}</dt>
          <dd>{t('imports.studentCounts', students)}</dd>
        </>
      )}
      {job.files.includes('courses') && (
        <>
          <dt>{t('imports.file.courses')}</dt>
          <dd>{t('imports.courseCounts', courses)}</dd>
        </>
      )}
    </dl>
  );
}

function Problems({ job }: { job: ImportJob }) {
  const { t } = usePage();
  if (job.problems === 0) return null;
  return (
    <section aria-labelledby="problems-title">
      <h2 id="problems-title">{t('imports.problemsTitle', { count: job.problems })}</h2>
      {job.problems > REPORTED_PROBLEMS && <p>{t('imports.problemsCut', { shown: REPORTED_PROBLEMS })}</p>}
      <div class="table-wrap">
        <table class="stack-table">
          <thead>
            <tr>
              <th scope="col">{t('imports.column.file')}</th>
              <th scope="col">{t('imports.column.line')}</th>
              <th scope="col">{t('imports.column.column')}</th>
              <th scope="col">{t('imports.column.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {job.report.errors.map((issue, index) => (
              <tr key={index}>
                <td data-label={t('imports.column.file')}>{t(`imports.file.${issue.file}`)}</td>
                <td data-label={t('imports.column.line')}>{issue.line}</td>
                <td data-label={t('imports.column.column')}>{issue.column ?? '—'}</td>
                <td data-label={t('imports.column.problem')}>{issueText(t, issue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * One import: the dry run's report with the apply form; while it is written, its progress (the
 * page reloads itself by the Refresh header, no script needed); then what was written.
 */
export function ImportJobPage({
  member,
  job,
  errors,
  notice,
}: {
  member: StaffMember;
  job: ImportJob;
  errors: FieldError[];
  notice: 'changed' | undefined;
}) {
  const { t, base } = usePage();
  const action = `${base}/staff/imports/${job.id}/apply`;
  return (
    <ConsolePage member={member} title={t(`imports.state.${job.state}.title`)} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      {notice && <Message kind="warning">{t('imports.changed')}</Message>}
      <p>{t(`imports.state.${job.state}.body`)}</p>
      {job.state === 'applying' && job.progress && (
        <div class="stack">
          <p role="status">
            {job.progress.phase === 'writing'
              ? t('imports.progress.writing', { total: job.progress.total })
              : t('imports.progress.checking', { done: job.progress.done, total: job.progress.total })}
          </p>
          {job.progress.phase === 'checking' && job.progress.total > 0 && (
            <progress value={job.progress.done} max={job.progress.total} aria-label={t('imports.progress.label')} />
          )}
        </div>
      )}
      <Counts job={job} />
      <Problems job={job} />
      {job.state === 'checked' && job.report.ok && (
        <form method="post" action={action} class="stack" novalidate>
          <CsrfField />
          <input type="hidden" name="hash" value={job.hash} />
          <div class={errors.some((error) => error.field === 'confirm') ? 'field field--error' : 'field'}>
            {errors
              .filter((error) => error.field === 'confirm')
              .map((error) => (
                <p class="field-error" key={error.message}>
                  {t(error.message)}
                </p>
              ))}
            <label class="checkbox" for="field-confirm">
              <input id="field-confirm" type="checkbox" name="confirm" value="yes" />
              {t('imports.confirm')}
            </label>
          </div>
          <Button>{t('imports.apply')}</Button>
        </form>
      )}
      {job.state !== 'applying' && (
        <p>
          <a href={`${base}/staff/imports`}>{t('imports.again')}</a>
        </p>
      )}
    </ConsolePage>
  );
}
