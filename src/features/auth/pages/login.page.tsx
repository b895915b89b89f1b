import { SECOND_PASSWORD_MAX } from '../second-password.rules.js';
import {
  Button,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  Message,
  Notes,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { MarkdownText } from '../../../platform/views/markdown-text.js';
import { reusablePage } from '../../../platform/views/render.js';
import { useTenantPage } from '../../tenants/tenant-page.js';

export type LoginNotice =
  'loggedOut' | 'loginRequired' | 'sessionEnded' | 'flowEnded' | 'mailAddressSet' | 'secondPasswordSet';

/** L-1: the Student login screen. */
export function LoginPage({
  userId,
  errors,
  notice,
  action,
}: {
  userId: string;
  errors: FieldError[];
  notice?: LoginNotice | undefined;
  /** Carries the page to return to after login. */
  action: string;
}) {
  const { t, tenant, lang, base } = useTenantPage();
  const notes = tenant?.content[lang].loginNotes ?? '';
  return (
    <Layout title={t('login.title')} hasErrors={errors.length > 0} langSwitch={{ keep: {} }}>
      {notice && (
        <Message
          kind={
            notice === 'sessionEnded' || notice === 'flowEnded'
              ? 'warning'
              : notice === 'loginRequired'
                ? 'info'
                : 'success'
          }
        >
          {t(`login.notice.${notice}`)}
        </Message>
      )}
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        <Field
          name="userId"
          label={t('login.userId')}
          value={userId}
          errors={errors}
          autocomplete="username"
          maxLength={200}
        />
        <Field
          name="password"
          label={t('login.password')}
          type="password"
          errors={errors}
          autocomplete="current-password"
          maxLength={1000}
        />
        <Field
          name="secondPassword"
          label={t('login.secondPassword')}
          type="password"
          errors={errors}
          autocomplete="off"
          maxLength={SECOND_PASSWORD_MAX * 4}
        />
        <p>
          <a href={`${base}/forgot`}>{t('login.forgotLink')}</a>
        </p>
        <Notes title={t('common.notes')}>
          <MarkdownText source={notes} />
        </Notes>
        <Button>{t('login.submit')}</Button>
      </Form>
    </Layout>
  );
}

// Its props and the university's settings are all it shows: rendered once per university, language and props (#11).
reusablePage(LoginPage);
