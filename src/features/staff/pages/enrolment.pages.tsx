import { Button, ErrorSummary, Field, type FieldError, Form, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { CodeForm, NewPasswordFields, PasskeyForm } from './staff.components.js';

/** The enrolment link's page: it shows a form and uses nothing until the form is sent (L-18). */
export function EnrolPasswordPage({
  action,
  token,
  email,
  name,
  errors,
}: {
  action: string;
  token: string;
  email: string;
  name: string;
  errors: FieldError[];
}) {
  const { t } = usePage();
  return (
    <Layout title={t('staff.enrol.title')} hasErrors={errors.length > 0}>
      <p>{t('staff.enrol.intro', { email })}</p>
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        <input type="hidden" name="token" value={token} />
        <Field
          name="name"
          label={t('staff.enrol.name')}
          value={name}
          errors={errors}
          autocomplete="name"
          maxLength={100}
        />
        <NewPasswordFields label={t('staff.enrol.password')} errors={errors} />
        <Button>{t('staff.enrol.submit')}</Button>
      </Form>
    </Layout>
  );
}

/** Enrolment's second step: an authenticator app (QR code and the secret as text) or a passkey. */
export function EnrolSecondFactorPage({
  qrDataUrl,
  secret,
  totpAction,
  passkeyAction,
  passkeyOptions,
  errors,
}: {
  qrDataUrl: string;
  secret: string;
  totpAction: string;
  passkeyAction: string;
  passkeyOptions: unknown;
  errors: FieldError[];
}) {
  const { t } = usePage();
  return (
    <Layout title={t('staff.enrol.factorTitle')} hasErrors={errors.length > 0}>
      <p>{t('staff.enrol.factorIntro')}</p>
      <ErrorSummary errors={errors} />
      <h2>{t('staff.enrol.appHeading')}</h2>
      <p>{t('staff.enrol.appScan')}</p>
      <p>
        <img src={qrDataUrl} alt={t('staff.enrol.qrAlt')} width={200} height={200} />
      </p>
      <p>
        {t('staff.enrol.appSecret')} <code class="secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <CodeForm action={totpAction} errors={errors} submit={t('staff.enrol.appSubmit')} />
      <PasskeyForm action={passkeyAction} options={passkeyOptions} mode="create">
        <h2>{t('staff.enrol.passkeyHeading')}</h2>
        <p>{t('staff.enrol.passkeyIntro')}</p>
      </PasskeyForm>
    </Layout>
  );
}

/** The ten recovery codes, shown this once. */
export function RecoveryCodesPage({ codes, action }: { codes: string[]; action: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('staff.recovery.title')}>
      <Message kind="warning">
        <p>{t('staff.recovery.once')}</p>
      </Message>
      <ol class="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <Form action={action}>
        <Button>{t('staff.recovery.kept')}</Button>
      </Form>
    </Layout>
  );
}
