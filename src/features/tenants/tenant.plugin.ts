import type { FastifyInstance } from 'fastify';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { CookiePolicy } from '../../platform/cookies.js';
import { AppError } from '../../platform/errors.js';
import { langFromAcceptLanguage, translator } from '../../platform/i18n.js';
import { slugPattern } from './tenant.model.js';
import './tenant-request.js';

/**
 * Every page under /:tenant knows its university and the language before the route runs.
 * `whileClosed`: the staff console serves a university still being set up (#12), students' pages do not.
 */
export function installTenantScope(
  scope: FastifyInstance,
  deps: { uow: UnitOfWork; cookies: CookiePolicy; whileClosed?: boolean },
): void {
  scope.addHook('onRequest', async (request) => {
    const slug = (request.params as { tenant?: string }).tenant ?? '';
    const tenants = deps.uow.repos.tenants;
    let loaded;
    try {
      loaded = slugPattern.test(slug) ? await tenants.loadBySlug(slug) : undefined;
    } catch (error) {
      // The database is away: the error page still names the university and gives its inquiry block.
      const lastKnown = tenants.lastKnown(slug);
      if (lastKnown) request.tenant = lastKnown;
      throw error;
    }
    if (!loaded) throw new AppError('tenant_not_found');
    if (!loaded.ok) {
      request.log.error(
        { tenant: loaded.slug, reason: loaded.reason },
        'university settings are invalid; its pages answer 503',
      );
      throw new AppError('tenant_unavailable', { detail: loaded.reason });
    }
    const { tenant } = loaded;
    request.tenant = tenant;

    const explicit = (request.query as Record<string, unknown>).lang ?? request.cookies[deps.cookies.lang];
    if (!explicit && !langFromAcceptLanguage(request.headers['accept-language'])) {
      request.lang = tenant.policy.defaultLang;
      request.t = translator(request.lang);
    }
    // Its name and language are known, so the page says which university is not open yet (#13).
    if (!tenant.enabled && !deps.whileClosed) throw new AppError('tenant_not_open');
  });

  // An unknown page of a known university keeps its name, language and inquiry block (L-16).
  scope.setNotFoundHandler(async () => {
    throw new AppError('not_found');
  });
}
