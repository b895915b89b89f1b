import { formatDateTime } from '../../../platform/format.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  RadioGroup,
} from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { TerminalKind, TerminalListing } from '../terminal.model.js';

export type ListedTerminal = TerminalListing & { paidToday: number };

const kinds: TerminalKind[] = ['campus', 'convenience'];

function KindChoice({ selected, errors }: { selected: string; errors: FieldError[] }) {
  const { t } = usePage();
  return (
    <RadioGroup
      name="kind"
      legend={t('terminals.kind')}
      options={kinds.map((kind) => ({ value: kind, label: t(`terminals.kinds.${kind}`) }))}
      selected={selected}
      errors={errors}
    />
  );
}

/** Actions on a terminal of this university: a new secret, or deactivation (confirmed by its checkbox). */
function Actions({ terminal }: { terminal: ListedTerminal }) {
  const { t, base } = usePage();
  if (terminal.tenantId === null) return <>{t('terminals.operatorManaged')}</>;
  if (!terminal.active) return null;
  const action = `${base}/staff/terminals/${encodeURIComponent(terminal.id)}`;
  return (
    <div class="stack">
      <Form action={`${action}/rotate`}>
        <Button variant="secondary">{t('terminals.rotate')}</Button>
      </Form>
      <Form action={`${action}/deactivate`} class="stack">
        <label class="checkbox" for={`confirm-${terminal.id}`}>
          <input id={`confirm-${terminal.id}`} type="checkbox" name="confirm" value="yes" />
          {t('terminals.deactivateConfirm')}
        </label>
        <Button variant="secondary">{t('terminals.deactivate')}</Button>
      </Form>
    </div>
  );
}

/** Administrators: the university's terminals with last call and today's payments, and the form for a new one. */
export function TerminalsPage({
  member,
  terminals,
  values,
  errors,
  notice,
}: {
  member: StaffMember;
  terminals: ListedTerminal[];
  values: Record<string, string>;
  errors: FieldError[];
  notice: 'deactivated' | undefined;
}) {
  const { t, base, lang } = usePage();
  const labels = {
    name: t('terminals.name'),
    id: t('terminals.id'),
    kind: t('terminals.kind'),
    status: t('terminals.status'),
    lastSeen: t('terminals.lastSeen'),
    paidToday: t('terminals.paidToday'),
  };
  return (
    <ConsolePage member={member} title={t('terminals.title')} hasErrors={errors.length > 0}>
      {notice && <Message kind="success">{t(`terminals.notice.${notice}`)}</Message>}
      <ErrorSummary errors={errors} />
      <p>{t('terminals.intro')}</p>
      {terminals.length === 0 ? (
        <p>{t('terminals.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack-table">
            <thead>
              <tr>
                {Object.values(labels).map((label) => (
                  <th scope="col" key={label}>
                    {label}
                  </th>
                ))}
                <th scope="col">{t('terminals.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {terminals.map((terminal) => (
                <tr key={terminal.id}>
                  <td data-label={labels.name}>{terminal.name}</td>
                  <td data-label={labels.id}>
                    <code>{terminal.id}</code>
                  </td>
                  <td data-label={labels.kind}>
                    {t(`terminals.kinds.${terminal.kind}`)}
                    {terminal.tenantId === null && ` ${t('terminals.allUniversities')}`}
                  </td>
                  <td data-label={labels.status}>{t(terminal.active ? 'terminals.active' : 'terminals.inactive')}</td>
                  <td data-label={labels.lastSeen}>
                    {terminal.lastSeenAt === null ? t('terminals.never') : formatDateTime(terminal.lastSeenAt, lang)}
                  </td>
                  <td data-label={labels.paidToday}>{terminal.paidToday}</td>
                  <td>
                    <Actions terminal={terminal} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('terminals.createHeading')}</h2>
      <p>{t('terminals.createIntro')}</p>
      <Form action={`${base}/staff/terminals`} class="stack">
        <Field name="name" label={t('terminals.name')} value={values.name} errors={errors} maxLength={100} />
        <KindChoice selected={values.kind ?? 'campus'} errors={errors} />
        <Button>{t('terminals.create')}</Button>
      </Form>
    </ConsolePage>
  );
}

/** The answer to a create or rotate POST: the only time the secret is shown. */
export function TerminalSecretPage({
  member,
  terminal,
  secret,
  created,
}: {
  member: StaffMember;
  terminal: { id: string; name: string };
  secret: string;
  created: boolean;
}) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={member} title={t(created ? 'terminals.secret.createdTitle' : 'terminals.secret.rotatedTitle')}>
      <Message kind="warning">{t('terminals.secret.once')}</Message>
      <dl class="summary">
        <dt>{t('terminals.name')}</dt>
        <dd>{terminal.name}</dd>
        <dt>{t('terminals.id')}</dt>
        <dd>
          <code>{terminal.id}</code>
        </dd>
        <dt>{t('terminals.secret.secret')}</dt>
        <dd>
          <code class="secret">{secret}</code>
        </dd>
        <dt>{t('terminals.secret.header')}</dt>
        <dd>
          <code>
            Authorization: Bearer {terminal.id}.{secret}
          </code>
        </dd>
      </dl>
      {!created && <p>{t('terminals.secret.oldRefused')}</p>}
      <p>
        <LinkButton href={`${base}/staff/terminals`}>{t('terminals.secret.done')}</LinkButton>
      </p>
    </ConsolePage>
  );
}
