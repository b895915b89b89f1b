import { formatYen } from '../../../platform/format.js';
import { Layout } from '../../../platform/views/layout.js';
import { MarkdownText } from '../../../platform/views/markdown-text.js';
import { useTenantPage } from '../../tenants/tenant-page.js';
import type { CatalogueItem } from '../../catalogue/catalogue.model.js';
import type { Destination } from '../order.state.js';
import { EligibilityRules } from './order.components.js';

/**
 * L-20: the university's page that leads students to the service, saying what this university
 * offers (its catalogue, its enabled destinations) and who may have it, with the LANG switch so
 * nobody is stuck in the browser's language until the login page (#10).
 */
export function LandingPage({ items, destinations }: { items: CatalogueItem[]; destinations: Destination[] }) {
  const { t, lang, base, tenant } = useTenantPage();
  const own = tenant?.content[lang].landing;
  return (
    <Layout title={t('landing.title')} langSwitch={{ keep: {} }}>
      {own ? <MarkdownText source={own} /> : <p>{t('landing.intro')}</p>}
      <section aria-labelledby="landing-students">
        <h2 id="landing-students">{t('landing.students')}</h2>
        <p>{t('landing.destinationsIntro')}</p>
        <ol class="landing-destinations">
          {destinations.map((destination) => (
            <li key={destination}>
              <strong>{t(`orders.destinations.${destination}.name`)}</strong>
              {t('common.colon')}
              {t(`orders.destinations.${destination}.hint`)}
            </li>
          ))}
        </ol>
        <p>{t('landing.otherCertificates')}</p>
        {items.length > 0 && (
          <>
            <h3>{t('landing.certificatesHeading')}</h3>
            <ul>
              {items.map((item) => (
                <li key={item.type}>
                  {t('landing.itemFee', { name: item.name[lang], fee: formatYen(item.feeYen, lang) })}
                </li>
              ))}
            </ul>
            <h3>{t('landing.rulesHeading')}</h3>
            <EligibilityRules items={items} />
          </>
        )}
        <p>
          <a class="button button--primary" href={`${base}/login`}>
            {t('landing.loginLink')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
