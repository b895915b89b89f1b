import { Dialog, Form, FormActions, LinkButton, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

/** §2.7 (L-13): the confirmation dialog, then "changed" + OK. */
export function TwoFactorPage({ enabled, mandatory }: { enabled: boolean; mandatory: boolean }) {
  const { t, base } = usePage();
  return (
    <Layout title={t('twoFactor.title')}>
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
