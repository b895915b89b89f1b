import { SECOND_PASSWORD_MAX } from '../second-password.rules.js';
import { ErrorSummary, Field, type FieldError, Form, FormActions } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { NewSecondPasswordFields } from './auth.components.js';

/** §2.4b (L-10). */
export function ChangeSecondPasswordPage({
  errors,
  kept,
}: {
  errors: FieldError[];
  /** The new second password and its check, when the server kept them (a wrong old one is never kept). */
  kept?: { candidate: string; check: string } | undefined;
}) {
  const { t, base } = usePage();
  return (
    <Layout title={t('changeSecondPassword.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={`${base}/settings/second-password`} class="stack">
        <Field
          name="oldSecondPassword"
          label={t('changeSecondPassword.old')}
          type="password"
          errors={errors}
          autocomplete="current-password"
          maxLength={SECOND_PASSWORD_MAX * 4}
        />
        <NewSecondPasswordFields
          name="newSecondPassword"
          label={t('changeSecondPassword.new')}
          errors={errors}
          kept={kept}
        />
        <FormActions backHref={`${base}/home`} submit={t('changeSecondPassword.submit')} />
      </Form>
    </Layout>
  );
}
