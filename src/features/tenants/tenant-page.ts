import { type PageContextValue, usePage } from '../../platform/views/page-context.js';
import type { Tenant } from './tenant.model.js';

/**
 * The page context of a university's page, with the university as this feature knows it (the
 * platform's layout sees only what it needs). Every page context is made from the request, whose
 * tenant is the whole model.
 */
export function useTenantPage(): Omit<PageContextValue, 'tenant'> & { tenant: Tenant | undefined } {
  const page = usePage();
  return { ...page, tenant: page.tenant as Tenant | undefined };
}
