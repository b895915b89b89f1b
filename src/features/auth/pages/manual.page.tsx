import { Layout } from '../../../platform/views/layout.js';
import { MarkdownText } from '../../../platform/views/markdown-text.js';
import { useTenantPage } from '../../tenants/tenant-page.js';

export function ManualPage() {
  const { t, tenant, lang } = useTenantPage();
  return (
    <Layout title={t('manual.title')}>
      {tenant?.content[lang].manual ? (
        <MarkdownText source={tenant.content[lang].manual} />
      ) : (
        <p>{t('manual.empty')}</p>
      )}
    </Layout>
  );
}
