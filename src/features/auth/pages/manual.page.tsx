import { Paragraphs } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { useTenantPage } from '../../tenants/tenant-page.js';

export function ManualPage() {
  const { t, tenant, lang } = useTenantPage();
  return (
    <Layout title={t('manual.title')}>
      <Paragraphs text={tenant?.content[lang].manual || t('manual.empty')} />
    </Layout>
  );
}
