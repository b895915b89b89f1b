import { ErrorSummary, type FieldError, Form, FormActions } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { MailAddressFields, ReauthField } from './auth.components.js';

/** §2.4a steps 2–3 (L-9). */
export function ChangeMailAddressPage({
  address,
  check,
  errors,
  current,
  askSecondPassword,
}: {
  address: string;
  check?: string | undefined;
  errors: FieldError[];
  current: string;
  askSecondPassword: boolean;
}) {
  const { t, base } = usePage();
  return (
    <Layout title={t('changeMail.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <p>{t('changeMail.current', { address: current })}</p>
      <Form action={`${base}/settings/mail-address`} class="stack">
        <MailAddressFields
          name="newAddress"
          label={t('changeMail.newAddress')}
          address={address}
          check={check}
          errors={errors}
        />
        {askSecondPassword && <ReauthField errors={errors} />}
        <FormActions backHref={`${base}/home`} submit={t('mailAddress.submit')} />
      </Form>
    </Layout>
  );
}
