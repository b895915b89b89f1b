import { newId } from '../../platform/crypto.js';
import type { Store } from '../../db/repositories.js';
import type { Clock } from '../../platform/clock.js';
import type { PasswordHasher } from '../../platform/password-hasher.js';
import {
  type DirectoryConfig,
  type Tenant,
  reservedSlugs,
  slugPattern,
  tenantContentSchema,
  tenantPolicySchema,
} from './tenant.model.js';

export interface NewTenant {
  slug: string;
  name: { ja: string; en: string };
  policy?: Partial<Tenant['policy']>;
  content?: unknown;
  directory?: DirectoryConfig;
}

export class TenantSlugError extends Error {}

/** A validated university with the specification's defaults filled in. */
export function newTenant(input: NewTenant): Tenant {
  if (!slugPattern.test(input.slug) || reservedSlugs.has(input.slug)) {
    throw new TenantSlugError(
      `slug "${input.slug}" must be 2–32 of a–z, 0–9, "-" and not one of ${[...reservedSlugs].join(', ')}`,
    );
  }
  return {
    id: newId(),
    slug: input.slug,
    name: input.name,
    policy: tenantPolicySchema.parse(input.policy ?? {}),
    content: tenantContentSchema.parse(input.content ?? {}),
    directory: input.directory ?? { kind: 'local' },
  };
}

/** The operator's side: making universities and filling a local roster. */
export class TenantService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(input: NewTenant): Promise<Tenant> {
    const tenant = newTenant(input);
    await this.store.repos.tenants.insert(tenant, this.clock.now());
    return tenant;
  }

  async setRosterPassword(tenant: Tenant, userId: string, password: string): Promise<void> {
    const hash = await this.hasher.hash(password);
    await this.store.repos.roster.upsert(tenant.id, userId, hash, this.clock.now());
  }
}
