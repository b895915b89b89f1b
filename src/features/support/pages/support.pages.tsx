import { formatDateTime, formatYen } from '../../../platform/format.js';
import { Button, ErrorSummary, Field, type FieldError, Form, Message } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { AuditRecord } from '../../audit/audit.model.js';
import { ConfirmBox, ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { SearchResult, StudentSupportView, SupportAction, SupportMail } from '../support.model.js';
import { SEARCH_LIMIT } from '../student-search.js';

/** What the student's page says after an action: the action's name, or a mail sent again. */
export const supportNotices = [
  'resend-registration',
  'clear-registration',
  'clear-browsers',
  'unlock',
  'second-password-reset',
  'end-sessions',
  'mail-resent',
] as const;
export type SupportNotice = (typeof supportNotices)[number];

function SearchForm({ query }: { query: string }) {
  const { t, base } = usePage();
  return (
    <form method="get" action={`${base}/staff/students`} class="stack" role="search">
      <Field name="q" label={t('support.search.label')} hint={t('support.search.hint')} value={query} maxLength={200} />
      <Button>{t('support.search.button')}</Button>
    </form>
  );
}

/** the search form; results only once something was typed (no list of every student). */
export function StudentSearchPage({
  member,
  query,
  result,
}: {
  member: StaffMember;
  query: string;
  result: SearchResult;
}) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={member} title={t('support.search.title')}>
      <SearchForm query={query} />
      {result.status === 'found' && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('support.search.results', { count: result.students.length })}</h2>
          {result.more && <Message kind="warning">{t('support.search.more', { limit: SEARCH_LIMIT })}</Message>}
          {result.students.length === 0 ? (
            <p>{t('support.search.none')}</p>
          ) : (
            <div class="table-wrap">
              <table class="stack-table">
                <thead>
                  <tr>
                    <th scope="col">{t('support.field.userId')}</th>
                    <th scope="col">{t('support.field.studentNumber')}</th>
                    <th scope="col">{t('support.field.name')}</th>
                    <th scope="col">{t('support.field.kana')}</th>
                    <th scope="col">{t('support.field.roman')}</th>
                    <th scope="col">{t('support.field.email')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.students.map((student) => (
                    <tr key={student.userId}>
                      <td data-label={t('support.field.userId')}>
                        <a href={`${base}/staff/students/${encodeURIComponent(student.userId)}`}>{student.userId}</a>
                      </td>
                      <td data-label={t('support.field.studentNumber')}>{student.studentNumber ?? '—'}</td>
                      <td data-label={t('support.field.name')}>{student.name?.kanji ?? '—'}</td>
                      <td data-label={t('support.field.kana')}>{student.name?.kana ?? '—'}</td>
                      <td data-label={t('support.field.roman')}>{student.name?.roman ?? '—'}</td>
                      <td data-label={t('support.field.email')}>{student.email ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </ConsolePage>
  );
}

/** one student's login state, events, orders and mail, and the actions that help. */
export function StudentPage({
  member,
  view,
  errors,
  notice,
}: {
  member: StaffMember;
  view: StudentSupportView;
  errors: FieldError[];
  notice: SupportNotice | undefined;
}) {
  const { t } = usePage();
  const { identity } = view;
  const title = identity.name
    ? t('support.student.titleNamed', { name: identity.name.kanji, userId: identity.userId })
    : t('support.student.title', { userId: identity.userId });
  return (
    <ConsolePage member={member} title={title} hasErrors={errors.length > 0}>
      {notice && <Message kind="success">{t(`support.notice.${notice}`)}</Message>}
      <ErrorSummary errors={errors} />
      <Identity view={view} />
      <LoginState view={view} />
      <Actions view={view} errors={errors} />
      <MailTrouble view={view} errors={errors} />
      <Events events={view.events} />
      <Orders view={view} />
    </ConsolePage>
  );
}

function Identity({ view }: { view: StudentSupportView }) {
  const { t } = usePage();
  const { identity } = view;
  return (
    <dl class="summary">
      <dt>{t('support.field.userId')}</dt>
      <dd>{identity.userId}</dd>
      <dt>{t('support.field.studentNumber')}</dt>
      <dd>{identity.studentNumber ?? '—'}</dd>
      <dt>{t('support.field.name')}</dt>
      <dd>{identity.name?.kanji ?? '—'}</dd>
      <dt>{t('support.field.kana')}</dt>
      <dd>{identity.name?.kana ?? '—'}</dd>
      <dt>{t('support.field.roman')}</dt>
      <dd>{identity.name?.roman ?? '—'}</dd>
      <dt>{t('support.field.roster')}</dt>
      <dd>{t(identity.inRoster ? 'support.yes' : 'support.no')}</dd>
    </dl>
  );
}

function LoginState({ view }: { view: StudentSupportView }) {
  const { t, lang } = usePage();
  const at = (ms: number | null) => (ms ? formatDateTime(ms, lang) : '—');
  const { account, lock } = view;
  const locked = [lock.user.lockedUntil, lock.keys?.lockedUntil ?? null, lock.deviceLockedUntil].filter(
    (until): until is number => until !== null,
  );
  return (
    <section aria-labelledby="state-title">
      <h2 id="state-title">{t('support.state.title')}</h2>
      {!account && <p>{t('support.state.noAccount')}</p>}
      <dl class="summary">
        {account && (
          <>
            <dt>{t('support.state.firstLogin')}</dt>
            <dd>{at(account.createdAt)}</dd>
            <dt>{t('support.field.email')}</dt>
            <dd>
              {account.email
                ? t('support.state.emailRegistered', { address: account.email, at: at(account.emailVerifiedAt) })
                : t('support.state.emailNone')}
            </dd>
            {account.pendingEmail && (
              <>
                <dt>{t('support.state.pending')}</dt>
                <dd>
                  {t(account.pendingEmail.expired ? 'support.state.pendingExpired' : 'support.state.pendingLive', {
                    address: account.pendingEmail.address,
                    at: at(account.pendingEmail.sentAt),
                  })}
                </dd>
              </>
            )}
            <dt>{t('support.state.secondPassword')}</dt>
            <dd>
              {account.secondPasswordSet
                ? t('support.state.secondPasswordSet', { at: at(account.secondPasswordSetAt) })
                : t('support.state.secondPasswordNotSet')}
            </dd>
            <dt>{t('support.state.twoFactor')}</dt>
            <dd>{t(`support.state.twoFactor_${account.twoFactor}`)}</dd>
            <dt>{t('support.state.trustedBrowsers')}</dt>
            <dd>
              {t('support.state.trustedBrowsersCount', {
                count: view.trustedBrowsers.count,
                at: at(view.trustedBrowsers.lastUsedAt),
              })}
            </dd>
            <dt>{t('support.state.sessions')}</dt>
            <dd>{t('support.state.sessionsCount', { count: view.sessions })}</dd>
          </>
        )}
        <dt>{t('support.state.lock')}</dt>
        <dd>
          {locked.length > 0
            ? t('support.state.locked', { until: at(Math.max(...locked)) })
            : t('support.state.notLocked')}
        </dd>
        <dt>{t('support.state.loginFailures')}</dt>
        <dd>{t('support.state.failures', { count: lock.user.failures, ceiling: lock.user.ceiling })}</dd>
        {lock.keys && (
          <>
            <dt>{t('support.state.keyFailures')}</dt>
            <dd>{t('support.state.failures', { count: lock.keys.failures, ceiling: lock.keys.ceiling })}</dd>
          </>
        )}
        {lock.unlockedAt && (
          <>
            <dt>{t('support.state.unlockedAt')}</dt>
            <dd>{at(lock.unlockedAt)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** Which actions apply to the student as they are now. */
function actionsFor(view: StudentSupportView): SupportAction[] {
  const { account } = view;
  if (!account) return ['unlock'];
  return [
    ...(account.pendingEmail ? (['resend-registration'] as const) : []),
    ...(account.email ? (['clear-registration', 'second-password-reset'] as const) : []),
    'unlock',
    ...(view.trustedBrowsers.count > 0 ? (['clear-browsers'] as const) : []),
    ...(view.sessions > 0 ? (['end-sessions'] as const) : []),
  ];
}

/** Each action is its own form with a box to tick: the server refuses it unticked. */
function ConfirmedForm({
  action,
  name,
  errors,
  label,
  children,
}: {
  action: string;
  name: string;
  errors: FieldError[];
  label: string;
  children: string;
}) {
  return (
    <Form action={action} class="stack">
      <ConfirmBox name={`confirm-${name}`} label={label} errors={errors} />
      <Button variant="secondary">{children}</Button>
    </Form>
  );
}

function Actions({ view, errors }: { view: StudentSupportView; errors: FieldError[] }) {
  const { t, base } = usePage();
  const path = `${base}/staff/students/${encodeURIComponent(view.identity.userId)}`;
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('support.actions.title')}</h2>
      <p>{t('support.actions.intro')}</p>
      {actionsFor(view).map((action) => (
        <section key={action} aria-labelledby={`action-${action}`}>
          <h3 id={`action-${action}`}>{t(`support.actions.${action}.title`)}</h3>
          <p>{t(`support.actions.${action}.body`)}</p>
          <ConfirmedForm
            action={`${path}/actions/${action}`}
            name={action}
            errors={errors}
            label={t(`support.actions.${action}.confirm`)}
          >
            {t(`support.actions.${action}.button`)}
          </ConfirmedForm>
        </section>
      ))}
    </section>
  );
}

function mailEventName(t: (key: string) => string, event: string): string {
  const key = `support.mail.events.${event}`;
  const name = t(key);
  return name === key ? event : name;
}

function MailTrouble({ view, errors }: { view: StudentSupportView; errors: FieldError[] }) {
  const { t, lang, base } = usePage();
  if (!view.account) return null;
  const path = `${base}/staff/students/${encodeURIComponent(view.identity.userId)}`;
  return (
    <section aria-labelledby="mail-title">
      <h2 id="mail-title">{t('support.mail.title')}</h2>
      {view.mail.length === 0 ? (
        <p>{t('support.mail.none')}</p>
      ) : (
        view.mail.map((mail: SupportMail) => (
          <section key={mail.id} class="mail-trouble" aria-labelledby={`mail-${mail.id}`}>
            <h3 id={`mail-${mail.id}`}>{mailEventName(t, mail.event)}</h3>
            <dl class="summary">
              <dt>{t('support.mail.queuedAt')}</dt>
              <dd>{formatDateTime(mail.createdAt, lang)}</dd>
              <dt>{t('support.mail.to')}</dt>
              <dd>{mail.to}</dd>
              <dt>{t('support.mail.status')}</dt>
              <dd>
                {mail.failedAt
                  ? t('support.mail.failed', { at: formatDateTime(mail.failedAt, lang), count: mail.attempts })
                  : t('support.mail.retrying', { count: mail.attempts })}
              </dd>
              <dt>{t('support.mail.reason')}</dt>
              <dd class="mail-reason">{mail.reason}</dd>
              <dt>{t('support.mail.resend')}</dt>
              <dd>
                {mail.resend === 'ok' ? (
                  <ConfirmedForm
                    action={`${path}/mail/${encodeURIComponent(mail.id)}/resend`}
                    name={`mail-${mail.id}`}
                    errors={errors}
                    label={t('support.mail.resendConfirm')}
                  >
                    {t('support.mail.resendButton')}
                  </ConfirmedForm>
                ) : (
                  t(`support.validation.mail.${mail.resend}`)
                )}
              </dd>
            </dl>
          </section>
        ))
      )}
    </section>
  );
}

function eventName(t: (key: string) => string, event: string): string {
  const key = `support.events.${event}`;
  const name = t(key);
  return name === key ? event : name;
}

function Events({ events }: { events: AuditRecord[] }) {
  const { t, lang } = usePage();
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">{t('support.events.title')}</h2>
      {events.length === 0 ? (
        <p>{t('support.events.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">{t('support.events.at')}</th>
                <th scope="col">{t('support.events.event')}</th>
                <th scope="col">{t('support.events.who')}</th>
                <th scope="col">{t('support.events.address')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td data-label={t('support.events.at')}>{formatDateTime(entry.at, lang)}</td>
                  <td data-label={t('support.events.event')}>{eventName(t, entry.event)}</td>
                  <td data-label={t('support.events.who')}>
                    {typeof entry.detail?.staffId === 'string'
                      ? t('support.events.byStaff')
                      : t('support.events.byStudent')}
                  </td>
                  <td data-label={t('support.events.address')}>{entry.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Orders({ view }: { view: StudentSupportView }) {
  const { t, lang, base } = usePage();
  if (!view.account) return null;
  return (
    <section aria-labelledby="orders-title">
      <h2 id="orders-title">{t('support.orders.title')}</h2>
      {view.orders.length === 0 ? (
        <p>{t('support.orders.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">{t('support.orders.placedAt')}</th>
                <th scope="col">{t('support.orders.destination')}</th>
                <th scope="col">{t('support.orders.state')}</th>
                <th scope="col">{t('support.orders.fee')}</th>
              </tr>
            </thead>
            <tbody>
              {view.orders.map((order) => (
                <tr key={order.id}>
                  <td data-label={t('support.orders.placedAt')}>
                    <a href={`${base}/staff/orders/${encodeURIComponent(order.id)}`}>
                      {formatDateTime(order.createdAt, lang)}
                    </a>
                  </td>
                  <td data-label={t('support.orders.destination')}>
                    {t(`orders.destinations.${order.destination}.name`)}
                  </td>
                  <td data-label={t('support.orders.state')}>{t(`orders.states.${order.state}`)}</td>
                  <td data-label={t('support.orders.fee')}>{formatYen(order.feeYen + order.postageYen, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
