import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { TenantCache } from './tenant.cache.js';
import { type Tenant, directoryConfigSchema, tenantContentSchema, tenantPolicySchema } from './tenant.model.js';
import type { TenantTable } from './tenant.table.js';

/**
 * Every request reads its university; validating the same JSON again each time was a visible
 * share of a request's work. The cache is keyed by the stored text itself, so an edit made by
 * any instance is seen at once — there is nothing to invalidate.
 */
const parsed = new Map<string, Tenant>();
const PARSED_CACHE_SIZE = 1000;

function toTenant(row: TenantTable): Tenant {
  const key = JSON.stringify([
    row.id,
    row.slug,
    row.name_ja,
    row.name_en,
    row.policy,
    row.content,
    row.directory,
    row.public_url,
  ]);
  const cached = parsed.get(key);
  if (cached) return cached;
  const tenant: Tenant = {
    id: row.id,
    slug: row.slug,
    name: { ja: row.name_ja, en: row.name_en },
    policy: tenantPolicySchema.parse(JSON.parse(row.policy)),
    content: tenantContentSchema.parse(JSON.parse(row.content)),
    directory: directoryConfigSchema.parse(JSON.parse(row.directory)),
    ...(row.public_url && { publicUrl: row.public_url }),
  };
  if (parsed.size >= PARSED_CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, tenant);
  return tenant;
}

export class TenantRepository {
  private readonly db: Kysely<Database>;

  /** `cache` is the database's (the unit of work's), so that this repository's writes clear it for all. */
  constructor(
    db: Kysely<Database>,
    private readonly cache = new TenantCache(),
  ) {
    this.db = db.withPlugin(cache.invalidateOnWrite);
  }

  async findById(id: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTenant(row);
  }

  /** Every page's first read: served from the cache, which checks the university it keeps is this slug's. */
  async findBySlug(slug: string): Promise<Tenant | undefined> {
    return this.cache.get(
      `slug:${slug}`,
      async () => {
        const row = await this.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
        return row && toTenant(row);
      },
      (tenant) => tenant.slug === slug,
    );
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('slug').execute();
    return rows.map(toTenant);
  }

  async insert(tenant: Tenant, now: number): Promise<void> {
    await this.db
      .insertInto('tenants')
      .values({
        id: tenant.id,
        slug: tenant.slug,
        name_ja: tenant.name.ja,
        name_en: tenant.name.en,
        policy: JSON.stringify(tenant.policy),
        content: JSON.stringify(tenant.content),
        directory: JSON.stringify(tenant.directory),
        public_url: tenant.publicUrl ?? null,
        created_at: now,
      })
      .execute();
  }

  /** Universities made before their address was stored get the service's (#8). */
  async fillMissingPublicUrl(publicUrl: string): Promise<void> {
    await this.db.updateTable('tenants').set({ public_url: publicUrl }).where('public_url', 'is', null).execute();
  }

  async updatePolicy(tenantId: string, policy: Tenant['policy']): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({ policy: JSON.stringify(policy) })
      .where('id', '=', tenantId)
      .execute();
  }
}
