import { formatDateTime } from '../../../platform/format.js';
import {
  BulletList,
  Button,
  CsrfField,
  Dialog,
  ErrorSummary,
  Field,
  type FieldError,
  Form,
  LinkButton,
  Message,
  Notes,
  Paragraphs,
} from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { useTenantPage } from '../../tenants/tenant-page.js';
import type { TrustedBrowser } from '../trusted-browser.model.js';
import { SecondPasswordRulesNotes, MailAddressNotes } from './login.pages.js';
import { SECOND_PASSWORD_MAX } from '../second-password.rules.js';

export type KeyDialog =
  { kind: 'invalidated' } | { kind: 'reissued' } | { kind: 'cooldown'; seconds: number } | { kind: 'expired' };

/** §2.3 steps 4–6 and §2.6: the authentication key input screen, with Reissue and Authenticate. */
export function KeyPage({
  flowId,
  expiresAt,
  errors,
  dialog,
}: {
  flowId: string;
  expiresAt: number;
  errors: FieldError[];
  dialog?: KeyDialog | undefined;
}) {
  const { t, base, lang } = usePage();
  const action = `${base}/login/key?flow=${encodeURIComponent(flowId)}`;
  return (
    <Layout title={t('key.title')} hasErrors={errors.length > 0}>
      {dialog && (
        <Dialog title={t(`key.dialog.${dialog.kind}.title`)}>
          <p>{t(`key.dialog.${dialog.kind}.body`, dialog.kind === 'cooldown' ? { seconds: dialog.seconds } : {})}</p>
        </Dialog>
      )}
      <ErrorSummary errors={errors} />
      <p>{t('key.intro1')}</p>
      <p>{t('key.intro2')}</p>
      <p class="key-expiry">{t('key.expiry', { expiry: formatDateTime(expiresAt, lang) })}</p>
      <Form action={action} class="stack">
        <Field
          name="key"
          label={t('key.key')}
          errors={errors}
          autocomplete="one-time-code"
          inputMode="numeric"
          maxLength={20}
        />
        <Notes>
          <BulletList
            items={[t('key.notes.enter'), t('key.notes.lost'), t('key.notes.closed'), t('key.notes.trusted')]}
          />
        </Notes>
        <div class="actions">
          <button type="submit" class="button button--secondary" form="reissue-form">
            {t('key.reissue')}
          </button>
          <Button>{t('key.authenticate')}</Button>
        </div>
      </Form>
      {/* Its own form, so Enter in the key field always means Authenticate. */}
      <form id="reissue-form" method="post" action={`${base}/login/key/reissue?flow=${encodeURIComponent(flowId)}`}>
        <CsrfField />
      </form>
    </Layout>
  );
}

export function ManualPage() {
  const { t, tenant, lang } = useTenantPage();
  return (
    <Layout title={t('manual.title')}>
      <Paragraphs text={tenant?.content[lang].manual || t('manual.empty')} />
    </Layout>
  );
}

/** §2.4a steps 2–3 (L-9). */
export function ChangeMailAddressPage({
  address,
  errors,
  current,
}: {
  address: string;
  errors: FieldError[];
  current: string;
}) {
  const { t, base } = usePage();
  return (
    <Layout title={t('changeMail.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <p>{t('changeMail.current', { address: current })}</p>
      <Form action={`${base}/settings/mail-address`} class="stack">
        <Field
          name="newAddress"
          label={t('changeMail.newAddress')}
          type="email"
          value={address}
          errors={errors}
          autocomplete="email"
          inputMode="email"
          maxLength={254}
        />
        <Field
          name="check"
          label={t('mailAddress.check')}
          type="email"
          errors={errors}
          autocomplete="off"
          inputMode="email"
          maxLength={254}
        />
        <MailAddressNotes />
        <div class="actions">
          <LinkButton href={`${base}/home`} variant="secondary">
            {t('common.back')}
          </LinkButton>
          <Button>{t('mailAddress.submit')}</Button>
        </div>
      </Form>
    </Layout>
  );
}

/** §2.4b (L-10). */
export function ChangeSecondPasswordPage({ errors }: { errors: FieldError[] }) {
  const { t, base } = usePage();
  const max = SECOND_PASSWORD_MAX * 4;
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
          maxLength={max}
        />
        <Field
          name="newSecondPassword"
          label={t('changeSecondPassword.new')}
          type="password"
          errors={errors}
          autocomplete="new-password"
          maxLength={max}
        />
        <Field
          name="check"
          label={t('secondPassword.check')}
          type="password"
          errors={errors}
          autocomplete="new-password"
          maxLength={max}
        />
        <SecondPasswordRulesNotes />
        <div class="actions">
          <LinkButton href={`${base}/home`} variant="secondary">
            {t('common.back')}
          </LinkButton>
          <Button>{t('changeSecondPassword.submit')}</Button>
        </div>
      </Form>
    </Layout>
  );
}

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
            <div class="actions">
              <LinkButton href={`${base}/home`} variant="secondary">
                {t('common.back')}
              </LinkButton>
              <Button>{t('twoFactor.yes')}</Button>
            </div>
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

/** L-19: the browsers that skip the key, and a way to withdraw that trust. */
export function TrustedBrowsersPage({
  browsers,
  revoked,
}: {
  browsers: TrustedBrowser[];
  revoked?: number | undefined;
}) {
  const { t, base, lang } = usePage();
  return (
    <Layout title={t('browsers.title')}>
      {revoked !== undefined && (
        <Message kind="success">
          <p>{t('browsers.revoked', { count: revoked })}</p>
        </Message>
      )}
      <p>{t('browsers.explain')}</p>
      {browsers.length === 0 ? (
        <p>{t('browsers.none')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('browsers.browser')}</th>
                  <th scope="col">{t('browsers.since')}</th>
                  <th scope="col">{t('browsers.lastUsed')}</th>
                  <th scope="col">{t('browsers.until')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('browsers.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {browsers.map((browser) => (
                  <tr key={browser.id}>
                    <td>{describeUserAgent(browser.userAgent)}</td>
                    <td>{formatDateTime(browser.createdAt, lang)}</td>
                    <td>{formatDateTime(browser.lastUsedAt, lang)}</td>
                    <td>{formatDateTime(browser.expiresAt, lang)}</td>
                    <td>
                      <Form action={`${base}/settings/browsers/revoke`}>
                        <input type="hidden" name="browser" value={browser.id} />
                        <Button variant="secondary">{t('browsers.revoke')}</Button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Form action={`${base}/settings/browsers/revoke`}>
            <input type="hidden" name="browser" value="all" />
            <Button variant="secondary">{t('browsers.revokeAll')}</Button>
          </Form>
        </>
      )}
      <p>
        <LinkButton href={`${base}/home`} variant="secondary">
          {t('common.back')}
        </LinkButton>
      </p>
    </Layout>
  );
}

/** A short name students recognize ("Chrome on Android") rather than the raw header. */
export function describeUserAgent(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const system = /iPhone|iPad/.test(userAgent)
    ? 'iOS'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return system ? `${browser} / ${system}` : browser;
}
