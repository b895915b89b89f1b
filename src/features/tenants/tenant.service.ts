import type { Infrastructure } from '../../infrastructure.js';
import { newId } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { type DirectoryConfig, type Tenant, reservedSlugs, slugPattern, validTenantSettings } from './tenant.model.js';

export interface NewTenant {
  slug: string;
  name: { ja: string; en: string };
  policy?: Partial<Tenant['policy']>;
  content?: unknown;
  directory?: DirectoryConfig;
  /** Where its pages are served; the service's PUBLIC_URL when not given. */
  publicUrl?: string;
}

/** A validated university with the specification's defaults filled in. */
export function newTenant(input: NewTenant): Tenant {
  if (!slugPattern.test(input.slug) || reservedSlugs.has(input.slug)) {
    throw new AppError('tenant_slug_invalid', {
      detail: `slug "${input.slug}" must be 2–32 of a–z, 0–9, "-" and not one of ${[...reservedSlugs].join(', ')}`,
    });
  }
  return {
    id: newId(),
    slug: input.slug,
    name: input.name,
    policy: validTenantSettings('policy', input.policy ?? {}),
    content: validTenantSettings('content', input.content ?? {}),
    directory: validTenantSettings('directory', input.directory ?? { kind: 'local' }),
    ...(input.publicUrl && { publicUrl: input.publicUrl.replace(/\/+$/, '') }),
  };
}

/** The operator's side: making universities and filling a local roster. */
export class TenantService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'hasher' | 'config'>) {}

  async create(input: NewTenant): Promise<Tenant> {
    const tenant = newTenant({ ...input, publicUrl: input.publicUrl ?? this.deps.config.publicUrl });
    await this.deps.uow.repos.tenants.insert(tenant, this.deps.clock.now());
    return tenant;
  }

  async setRosterPassword(tenant: Tenant, userId: string, password: string): Promise<void> {
    const hash = await this.deps.hasher.hash(password);
    await this.deps.uow.repos.roster.upsert(tenant.id, userId, hash, this.deps.clock.now());
  }
}
