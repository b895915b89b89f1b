import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/database.js';
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

/** The deployment's own pages: the list of universities and the health probes. */
export async function platformRoutes(
  app: FastifyInstance,
  deps: { uow: UnitOfWork; database: DatabaseHandle; config: Config },
) {
  app.get('/', async (request, reply) => {
    // A university being set up is not listed until the operator opens it (#13).
    const tenants = (await deps.uow.repos.tenants.list()).filter((tenant) => tenant.enabled);
    return sendPage(request, reply, <TenantIndexPage tenants={tenants} devMailbox={deps.config.devMailbox} />);
  });

  /** Liveness: the process answers. */
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  /** Readiness: the database answers too; a load balancer stops sending traffic while it does not. */
  app.get('/readyz', async (request, reply) => {
    try {
      await deps.database.ping();
      return reply.header('cache-control', 'no-store').send({ status: 'ready' });
    } catch (error) {
      request.log.warn({ err: error }, 'database not ready');
      return reply.status(503).header('cache-control', 'no-store').send({ status: 'unavailable', reason: 'database' });
    }
  });
}
