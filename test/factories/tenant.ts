import type { TenantRepository } from '../../src/features/tenants/tenant.repository.js';
import { type Tenant, tenantContentSchema, tenantPolicySchema } from '../../src/features/tenants/tenant.model.js';
import { newId } from '../../src/platform/crypto.js';

/** A university with the default policy and no content, not yet stored: `repos.tenants.insert` it. */
export function tenant(slug: string): Tenant {
  return {
    id: newId(),
    slug,
    name: { ja: `${slug}大学`, en: `${slug} University` },
    policy: tenantPolicySchema.parse({}),
    content: tenantContentSchema.parse({}),
    directory: { kind: 'local' },
    branding: {},
    enabled: true,
  };
}

/** Universities A and B, stored: the pair every tenant-isolation test reads across. */
export async function tenantsAandB(tenants: TenantRepository, now: number): Promise<{ a: Tenant; b: Tenant }> {
  const a = tenant('univ-a');
  const b = tenant('univ-b');
  await tenants.insert(a, now);
  await tenants.insert(b, now);
  return { a, b };
}
