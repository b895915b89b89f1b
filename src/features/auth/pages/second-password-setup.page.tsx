import { Button, ErrorSummary, type FieldError, Form } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { NewSecondPasswordFields } from './auth.components.js';

/** §2.2 step 4–5 (L-4) and the reset screen of §2.4c: Set second password. */
export function SetSecondPasswordPage({
  action,
  errors,
  button,
  token,
  kept,
}: {
  action: string;
  errors: FieldError[];
  button: string;
  token?: string;
  kept?: { candidate: string; check: string } | undefined;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('secondPassword.setTitle')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        {token && <input type="hidden" name="token" value={token} />}
        <NewSecondPasswordFields
          name="secondPassword"
          label={t('secondPassword.secondPassword')}
          errors={errors}
          kept={kept}
        />
        <Button>{button}</Button>
      </Form>
    </Layout>
  );
}
