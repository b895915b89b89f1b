import {
  ErrorSummary,
  type FieldError,
  Form,
  FormActions,
  LinkButton,
  Message,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { MailAddressFields } from './auth.components.js';

/** §2.1 step 4–5 (L-3): Mail address setting. */
export function MailAddressPage({
  action,
  address,
  check,
  errors,
  title,
}: {
  action: string;
  address: string;
  check?: string | undefined;
  errors: FieldError[];
  title?: string;
}) {
  const { t, base } = usePage();
  return (
    <Layout title={title ?? t('mailAddress.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <Form action={action} class="stack">
        <MailAddressFields
          name="address"
          label={t('mailAddress.address')}
          address={address}
          check={check}
          errors={errors}
        />
        <FormActions backHref={`${base}/login`} submit={t('mailAddress.submit')} />
      </Form>
    </Layout>
  );
}

/** §2.1 step 8. */
export function MailAddressCompletePage() {
  const { t, base } = usePage();
  return (
    <Layout title={t('mailAddress.complete.title')}>
      <Message kind="success">
        <p>{t('mailAddress.complete.line1')}</p>
      </Message>
      <p>{t('mailAddress.complete.line2')}</p>
      <p>{t('mailAddress.complete.line3')}</p>
      <p>
        <LinkButton href={`${base}/login?notice=mailAddressSet`}>{t('mailAddress.complete.toLogin')}</LinkButton>
      </p>
    </Layout>
  );
}
