import {
  Dialog,
  ErrorSummary,
  type FieldError,
  Form,
  FormActions,
  LinkButton,
  Message,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { ReauthField } from './auth.components.js';

/** §2.7 (L-13): the confirmation dialog, then "changed" + OK. */
export function TwoFactorPage({
  enabled,
  mandatory,
  askSecondPassword = false,
  errors = [],
}: {
  enabled: boolean;
  mandatory: boolean;
  /** Turning two-factor off asks for the second password unless it was given a moment ago (#8). */
  askSecondPassword?: boolean;
  errors?: FieldError[];
}) {
  const { t, base } = usePage();
  return (
    <Layout title={t('twoFactor.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <p>{t('twoFactor.current', { state: enabled ? t('twoFactor.stateOn') : t('twoFactor.stateOff') })}</p>
      <p>{t('twoFactor.explain')}</p>
      {mandatory ? (
        <Message kind="warning">
          <p>{t('twoFactor.mandatory')}</p>
        </Message>
      ) : (
        <Dialog title={t('twoFactor.confirmTitle')}>
          <p>{enabled ? t('twoFactor.confirmOff') : t('twoFactor.confirmOn')}</p>
          {enabled && <p>{t('twoFactor.offWarning')}</p>}
          <Form action={`${base}/settings/two-factor`}>
            <input type="hidden" name="enable" value={enabled ? 'false' : 'true'} />
            {enabled && askSecondPassword && <ReauthField errors={errors} />}
            <FormActions backHref={`${base}/home`} submit={t('twoFactor.yes')} />
          </Form>
        </Dialog>
      )}
      {mandatory && (
        <p>
          <LinkButton href={`${base}/home`} variant="secondary">
            {t('common.back')}
          </LinkButton>
        </p>
      )}
    </Layout>
  );
}
