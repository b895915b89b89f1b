import {
  BulletList,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  FormActions,
  LinkButton,
  Message,
  Notes,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

/** §2.4c steps 1–3 (L-11): Reset second password. */
export function ForgotPage({ address, errors }: { address: string; errors: FieldError[] }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('forgot.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/forgot`} class="stack">
        <Field
          name="address"
          label={t('forgot.address')}
          type="email"
          value={address}
          errors={errors}
          autocomplete="email"
          inputMode="email"
          maxLength={254}
        />
        <Notes>
          <BulletList
            items={[
              t('forgot.notes.input'),
              t('forgot.notes.sends'),
              t('forgot.notes.access'),
              t('forgot.notes.delay'),
              t('forgot.notes.shared'),
            ]}
          />
        </Notes>
        <FormActions backHref={`${base}/login`} submit={t('forgot.submit')} />
      </Form>
    </Layout>
  );
}

export function ForgotSentPage({ minutes }: { minutes: number }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('forgot.sent.title')}>
      <Message kind="success">
        <p>{t('forgot.sent.line')}</p>
      </Message>
      <ol>
        <li>{t('forgot.sent.step1')}</li>
        <li>{t('forgot.sent.step2')}</li>
      </ol>
      <p>{t('forgot.sent.notReceived', { minutes })}</p>
      <p>
        <LinkButton href={`${base}/login`} variant="secondary">
          {t('common.toLogin')}
        </LinkButton>
      </p>
    </Layout>
  );
}
