import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  fieldId,
} from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { formatDateTime } from '../../../platform/format.js';
import type { SecondFactors } from '../own-account.service.js';
import { RECOVERY_CODE_COUNT } from '../second-factor.js';
import type { StaffMember } from '../staff.model.js';
import { CodeForm, ConfirmBox, ConsolePage, NewPasswordFields, PasskeyForm } from './staff.components.js';

export const accountNotices = [
  'totpAdded',
  'totpRemoved',
  'passkeyAdded',
  'passkeyRemoved',
  'codesRegenerated',
  'passwordChanged',
  'flowEnded',
] as const;
export type AccountNotice = (typeof accountNotices)[number];

/** every member's own account — second factors, recovery codes, password. */
export function AccountPage({
  member,
  factors,
  errors,
  notice,
}: {
  member: StaffMember;
  factors: SecondFactors;
  errors: FieldError[];
  notice: AccountNotice | undefined;
}) {
  const { t, base, lang } = usePage();
  const action = `${base}/staff/account`;
  const removable = factors.passkeys.length + (factors.totp ? 1 : 0) > 1;
  const remove = (path: string, name: string) =>
    removable ? (
      <Form action={`${action}/${path}`} class="stack">
        <ConfirmBox name={name} label={t('staff.account.removeConfirm')} errors={errors} />
        <Button variant="secondary">{t('staff.account.remove')}</Button>
      </Form>
    ) : (
      t('staff.account.lastFactor')
    );
  return (
    <ConsolePage member={member} title={t('staff.account.title')} hasErrors={errors.length > 0}>
      {notice && (
        <Message kind={notice === 'flowEnded' ? 'warning' : 'success'}>{t(`staff.account.notice.${notice}`)}</Message>
      )}
      <ErrorSummary errors={errors} />
      <dl class="summary">
        <dt>{t('staff.members.name')}</dt>
        <dd>{member.name || '—'}</dd>
        <dt>{t('staff.members.email')}</dt>
        <dd>{member.email}</dd>
        <dt>{t('staff.members.staffNumber')}</dt>
        <dd>{member.staffNumber ?? '—'}</dd>
        <dt>{t('staff.members.role')}</dt>
        <dd>{t(`staff.role.${member.role}`)}</dd>
      </dl>

      <h2>{t('staff.account.factorsHeading')}</h2>
      <p>{t('staff.account.factorsIntro')}</p>
      <div class="table-wrap">
        <table class="stack-table">
          <thead>
            <tr>
              <th scope="col">{t('staff.account.factor')}</th>
              <th scope="col">{t('staff.account.added')}</th>
              <th scope="col">{t('staff.account.lastUsed')}</th>
              <th scope="col">{t('staff.account.action')}</th>
            </tr>
          </thead>
          <tbody>
            {factors.totp && (
              <tr>
                <td>{t('staff.account.app')}</td>
                <td>—</td>
                <td>—</td>
                <td>{remove('totp/remove', 'remove-totp')}</td>
              </tr>
            )}
            {factors.passkeys.map((passkey, index) => (
              <tr key={passkey.id}>
                <td>{t('staff.account.passkey', { n: index + 1 })}</td>
                <td>{formatDateTime(passkey.createdAt, lang)}</td>
                <td>{passkey.lastUsedAt === null ? '—' : formatDateTime(passkey.lastUsedAt, lang)}</td>
                <td>{remove(`passkeys/${encodeURIComponent(passkey.id)}/remove`, `remove-${passkey.id}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{t('staff.account.reauthHint')}</p>
      <div class="actions">
        {!factors.totp && (
          <Form action={`${action}/totp`}>
            <Button>{t('staff.account.addApp')}</Button>
          </Form>
        )}
        <Form action={`${action}/passkey`}>
          <Button variant="secondary">{t('staff.account.addPasskey')}</Button>
        </Form>
      </div>

      <h2>{t('staff.account.codesHeading')}</h2>
      <p>{t('staff.account.codesLeft', { left: factors.recoveryCodesLeft, total: RECOVERY_CODE_COUNT })}</p>
      <Form action={`${action}/recovery-codes`} class="stack">
        <ConfirmBox name="regenerate" label={t('staff.account.regenerateConfirm')} errors={errors} />
        <Button variant="secondary">{t('staff.account.regenerate')}</Button>
      </Form>

      <h2>{t('staff.account.passwordHeading')}</h2>
      <p>{t('staff.account.passwordIntro')}</p>
      <Form action={`${action}/password`} class="stack">
        <Field
          name="current"
          label={t('staff.account.currentPassword')}
          type="password"
          errors={errors}
          autocomplete="current-password"
          maxLength={1000}
        />
        <NewPasswordFields label={t('staff.account.newPassword')} errors={errors} />
        <Button>{t('staff.account.changePassword')}</Button>
      </Form>
    </ConsolePage>
  );
}

/** Adding an authenticator app: its QR code, the secret as text, and a first code to prove it works. */
export function AddAppPage({
  member,
  qrDataUrl,
  secret,
  action,
  errors,
}: {
  member: StaffMember;
  qrDataUrl: string;
  secret: string;
  action: string;
  errors: FieldError[];
}) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={member} title={t('staff.account.addApp')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <p>{t('staff.enrol.appScan')}</p>
      <p>
        <img src={qrDataUrl} alt={t('staff.enrol.qrAlt')} width={200} height={200} />
      </p>
      <p>
        {t('staff.enrol.appSecret')} <code class="secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <CodeForm action={action} errors={errors} submit={t('staff.enrol.appSubmit')} />
      <p>
        <LinkButton href={`${base}/staff/account`} variant="secondary">
          {t('staff.account.back')}
        </LinkButton>
      </p>
    </ConsolePage>
  );
}

/** Adding a passkey: the browser's authenticator makes it (this needs JavaScript and a browser with passkeys). */
export function AddPasskeyPage({
  member,
  options,
  action,
  errors,
}: {
  member: StaffMember;
  options: unknown;
  action: string;
  errors: FieldError[];
}) {
  const { t, base } = usePage();
  return (
    <ConsolePage member={member} title={t('staff.account.addPasskey')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <p id={fieldId('code')}>{t('staff.account.passkeyNeeds')}</p>
      <PasskeyForm action={action} options={options} mode="create">
        <p>{t('staff.enrol.passkeyIntro')}</p>
      </PasskeyForm>
      <p>
        <LinkButton href={`${base}/staff/account`} variant="secondary">
          {t('staff.account.back')}
        </LinkButton>
      </p>
    </ConsolePage>
  );
}
