import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import { sendPage } from '../../platform/views/render.js';
import type { Tenant } from './tenant.model.js';

function TenantIndexPage({ tenants, devMailbox }: { tenants: Tenant[]; devMailbox: boolean }) {
  const { t, lang } = usePage();
  return (
    <Layout title={t('index.title')} langSwitch={{ keep: {} }}>
      <p>{t('index.intro')}</p>
      {tenants.length === 0 ? (
        <p>{t('index.none')}</p>
      ) : (
        <ul>
          {tenants.map((tenant) => (
            <li key={tenant.id}>
              <a href={`/${tenant.slug}/`}>{tenant.name[lang]}</a>
            </li>
          ))}
        </ul>
      )}
      {devMailbox && (
        <p>
          <a href="/dev/mailbox">{t('devMailbox.title')}</a>
        </p>
      )}
    </Layout>
  );
}

/** The deployment's own pages: the list of universities and the liveness probe. */
export async function platformRoutes(app: FastifyInstance, deps: { uow: UnitOfWork; config: Config }) {
  app.get('/', async (request, reply) => {
    // A university being set up is not listed until the operator opens it (#13).
    const tenants = (await deps.uow.repos.tenants.list()).filter((tenant) => tenant.enabled);
    return sendPage(request, reply, <TenantIndexPage tenants={tenants} devMailbox={deps.config.devMailbox} />);
  });

  /** Liveness: the process answers. */
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
}
