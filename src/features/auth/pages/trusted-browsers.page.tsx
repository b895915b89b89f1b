import { formatDateTime } from '../../../platform/format.js';
import { Button, Form, LinkButton, Message } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { TrustedBrowser } from '../trusted-browser.model.js';

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
            <table class="stack-table">
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
                    <td data-label={t('browsers.browser')}>{describeUserAgent(browser.userAgent)}</td>
                    <td data-label={t('browsers.since')}>{formatDateTime(browser.createdAt, lang)}</td>
                    <td data-label={t('browsers.lastUsed')}>{formatDateTime(browser.lastUsedAt, lang)}</td>
                    <td data-label={t('browsers.until')}>{formatDateTime(browser.expiresAt, lang)}</td>
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
