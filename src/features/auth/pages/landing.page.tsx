import { BulletList } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { useTenantPage } from '../../tenants/tenant-page.js';

/** L-20: the university's page that leads students to the service. */
export function LandingPage() {
  const { t, tenant, lang, base } = useTenantPage();
  const content = tenant?.content[lang];
  return (
    <Layout title={t('landing.title')}>
      <p>{t('landing.intro')}</p>
      <section aria-labelledby="landing-students">
        <h2 id="landing-students">{t('landing.students')}</h2>
        <p>{t('landing.destinationsIntro')}</p>
        <ol>
          {(content?.destinations ?? []).map((destination) => (
            <li key={destination}>{destination}</li>
          ))}
        </ol>
        <p>{t('landing.otherCertificates')}</p>
        <h3>{t('landing.certificatesHeading')}</h3>
        <BulletList items={content?.certificates ?? []} />
        <p>
          <a class="button button--primary" href={`${base}/login`}>
            {t('landing.loginLink')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
