import { Paragraphs } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';

export function ManualPage() {
  const { t, tenant, lang } = usePage();
  return (
    <Layout title={t('manual.title')}>
      <Paragraphs text={tenant?.content[lang].manual || t('manual.empty')} />
    </Layout>
  );
}
