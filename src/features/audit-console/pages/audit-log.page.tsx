import type { ComponentChildren } from 'preact';
import { type AuditEventGroup, auditEventGroups, auditEventName, auditEventsOf } from '../../audit/audit-events.js';
import type { AuditFilterInput } from '../../audit/audit-filter.rules.js';
import type { AuditStaffOption } from '../../audit/audit-log.service.js';
import type { AuditLogEntry } from '../../audit/audit.model.js';
import { formatDateTime } from '../../../platform/format.js';
import type { Translate } from '../../../platform/i18n.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  fieldId,
  Form,
  PeriodFields,
} from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { StaffMember } from '../../staff/staff.model.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';

export interface AuditLogPageProps {
  member: StaffMember;
  input: AuditFilterInput;
  errors: FieldError[];
  staff: AuditStaffOption[];
  entries: AuditLogEntry[];
  /** The query of the current filter, for the paging links (without the cursor). */
  query: string;
  olderHref: string | undefined;
  paged: boolean;
}

/** Who acted, as a registrar reads it: the staff member, the student, a terminal or the operator. */
export function actorText(t: Translate, entry: AuditLogEntry): string {
  if (entry.staffId) {
    if (!entry.staffName) return t('audit.actor.unknownStaff');
    return entry.staffNumber
      ? t('audit.actor.staffNumber', { name: entry.staffName, number: entry.staffNumber })
      : t('audit.actor.staff', { name: entry.staffName });
  }
  if (entry.actorKind === 'terminal' || entry.actorKind === 'operator') return t(`audit.actor.${entry.actorKind}`);
  if (entry.actorKind === 'visitor' || !entry.userId) return t('audit.actor.visitor');
  return t('audit.actor.student', { userId: entry.userId });
}

/** What the entry is about, when it is not the actor: the student concerned, the typed ID, the address. */
export function aboutText(entry: AuditLogEntry): string {
  const actorIsStudent = !entry.staffId && entry.actorKind === 'student';
  const parts = [actorIsStudent ? null : entry.userId, entry.subject !== entry.userId ? entry.subject : null];
  return parts.filter((part): part is string => Boolean(part)).join(' / ');
}

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([key]) => key !== 'staffId')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function Select({
  name,
  label,
  any,
  value,
  errors,
  children,
}: {
  name: string;
  label: string;
  any: string;
  value: string;
  errors: FieldError[];
  children: ComponentChildren;
}) {
  const { t } = usePage();
  const own = errors.filter((error) => error.field === name);
  return (
    <div class={own.length ? 'field field--error' : 'field'}>
      <label for={fieldId(name)}>{label}</label>
      {own.length > 0 && (
        <p class="field-error" id={`${fieldId(name)}-error`}>
          {own.map((error) => (
            <span key={error.message}>
              <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message)}
            </span>
          ))}
        </p>
      )}
      <select
        id={fieldId(name)}
        name={name}
        aria-invalid={own.length ? 'true' : undefined}
        aria-describedby={own.length ? `${fieldId(name)}-error` : undefined}
      >
        <option value="" selected={value === ''}>
          {any}
        </option>
        {children}
      </select>
    </div>
  );
}

/** #12 A-6: the log, narrowed by time, actor, event and address; newest first, a page at a time. */
export function AuditLogPage(props: AuditLogPageProps) {
  const { t, base, lang } = usePage();
  const { input, errors } = props;
  const action = `${base}/staff/audit`;
  return (
    <ConsolePage member={props.member} title={t('audit.title')} hasErrors={errors.length > 0}>
      <p>{t('audit.intro')}</p>
      <ErrorSummary errors={errors} />
      <section aria-labelledby="audit-filter">
        <h2 id="audit-filter">{t('audit.filter.heading')}</h2>
        <form method="get" action={action} class="stack filter-form" novalidate>
          <div class="filter-grid">
            <PeriodFields
              labels={{ from: t('audit.filter.from'), to: t('audit.filter.to') }}
              hint={t('audit.filter.timeHint')}
              values={input}
              errors={errors}
              maxLength={20}
            />
            <Field
              name="student"
              label={t('audit.filter.student')}
              value={input.student}
              errors={errors}
              maxLength={100}
            />
            <Select
              name="staff"
              label={t('audit.filter.staff')}
              any={t('audit.filter.anyStaff')}
              value={input.staff}
              errors={errors}
            >
              {props.staff.map((member) => (
                <option key={member.id} value={member.id} selected={member.id === input.staff}>
                  {member.staffNumber
                    ? `${member.name || member.email}（${member.staffNumber}）`
                    : member.name || member.email}
                </option>
              ))}
            </Select>
            <Select
              name="event"
              label={t('audit.filter.event')}
              any={t('audit.filter.anyEvent')}
              value={input.event}
              errors={errors}
            >
              {auditEventGroups.map((group: AuditEventGroup) => (
                <optgroup key={group} label={t(`audit.groups.${group}`)}>
                  {auditEventsOf(group).map((event) => (
                    <option key={event} value={event} selected={event === input.event}>
                      {t(auditEventName(event))}
                    </option>
                  ))}
                </optgroup>
              ))}
            </Select>
            <Field
              name="address"
              label={t('audit.filter.address')}
              hint={t('audit.filter.addressHint')}
              value={input.address}
              errors={errors}
              maxLength={46}
            />
          </div>
          <p class="actions">
            <Button>{t('audit.filter.submit')}</Button> <a href={action}>{t('audit.filter.clear')}</a>
          </p>
        </form>
      </section>

      {errors.length === 0 && (
        <section aria-labelledby="audit-entries">
          <h2 id="audit-entries" class="visually-hidden">
            {t('audit.columns.caption')}
          </h2>
          {props.entries.length === 0 ? (
            <p>{t('audit.none')}</p>
          ) : (
            <div class="table-wrap">
              <table class="stack-table audit-table">
                <caption class="visually-hidden">{t('audit.columns.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.columns.when')}</th>
                    <th scope="col">{t('audit.columns.event')}</th>
                    <th scope="col">{t('audit.columns.actor')}</th>
                    <th scope="col">{t('audit.columns.subject')}</th>
                    <th scope="col">{t('audit.columns.address')}</th>
                    <th scope="col">{t('audit.columns.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {props.entries.map((entry) => (
                    <tr key={entry.id} data-event={entry.event}>
                      <td data-label={t('audit.columns.when')}>{formatDateTime(entry.at, lang)}</td>
                      <td data-label={t('audit.columns.event')}>{t(auditEventName(entry.event))}</td>
                      <td data-label={t('audit.columns.actor')}>{actorText(t, entry)}</td>
                      <td data-label={t('audit.columns.subject')}>{aboutText(entry)}</td>
                      <td data-label={t('audit.columns.address')}>{entry.ip ?? ''}</td>
                      <td data-label={t('audit.columns.detail')} class="audit-detail">
                        {detailText(entry.detail ?? {})}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav class="pager" aria-label={t('audit.columns.caption')}>
            {props.paged && <a href={`${action}${props.query ? `?${props.query}` : ''}`}>{t('audit.newer')}</a>}{' '}
            {props.olderHref && <a href={props.olderHref}>{t('audit.older')}</a>}
          </nav>
          <section aria-labelledby="audit-export">
            <h2 id="audit-export">{t('audit.export.heading')}</h2>
            <p>{t('audit.export.intro')}</p>
            <Form action={`${action}/export`}>
              {Object.entries(input).map(([name, value]) => (
                <input key={name} type="hidden" name={name} value={value} />
              ))}
              <Button variant="secondary">{t('audit.export.submit')}</Button>
            </Form>
          </section>
        </section>
      )}
    </ConsolePage>
  );
}
