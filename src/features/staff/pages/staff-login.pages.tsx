import { Button, ErrorSummary, Field, type FieldError, Form, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { CodeForm, PasskeyForm } from './staff.components.js';

export type StaffLoginNotice = 'loggedOut' | 'loginRequired' | 'sessionEnded' | 'flowEnded';

/** A-1: the staff login, apart from the students'. */
export function StaffLoginPage({
  login,
  errors,
  notice,
  action,
}: {
  login: string;
  errors: FieldError[];
  notice: StaffLoginNotice | undefined;
  action: string;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('staff.login.title')} hasErrors={errors.length > 0} langSwitch={{ keep: {} }}>
      {notice && (
        <Message kind={notice === 'loggedOut' ? 'success' : notice === 'loginRequired' ? 'info' : 'warning'}>
          {t(`staff.login.notice.${notice}`)}
        </Message>
      )}
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        <Field
          name="login"
          label={t('staff.login.login')}
          value={login}
          errors={errors}
          autocomplete="username"
          maxLength={254}
        />
        <Field
          name="password"
          label={t('staff.login.password')}
          type="password"
          errors={errors}
          autocomplete="current-password"
          maxLength={1000}
        />
        <Button>{t('staff.login.submit')}</Button>
      </Form>
    </Layout>
  );
}

/** The second step of every staff login: the app's code, a recovery code, or a passkey. */
export function SecondFactorPage({
  title,
  intro,
  codeAction,
  passkeyAction,
  passkeyOptions,
  errors,
}: {
  title: string;
  intro: string;
  codeAction: string;
  passkeyAction: string;
  passkeyOptions: unknown;
  errors: FieldError[];
}) {
  const { t } = usePage();
  return (
    <Layout title={title} hasErrors={errors.length > 0}>
      <p>{intro}</p>
      <ErrorSummary errors={errors} />
      <CodeForm action={codeAction} errors={errors} submit={t('staff.secondFactor.submit')} />
      {passkeyOptions !== undefined && (
        <PasskeyForm action={passkeyAction} options={passkeyOptions} mode="get">
          <p>{t('staff.passkey.orUse')}</p>
        </PasskeyForm>
      )}
    </Layout>
  );
}
