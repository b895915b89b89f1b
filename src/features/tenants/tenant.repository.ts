import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Tenant, directoryConfigSchema, tenantContentSchema, tenantPolicySchema } from './tenant.model.js';
import type { TenantTable } from './tenant.table.js';

function toTenant(row: TenantTable): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: { ja: row.name_ja, en: row.name_en },
    policy: tenantPolicySchema.parse(JSON.parse(row.policy)),
    content: tenantContentSchema.parse(JSON.parse(row.content)),
    directory: directoryConfigSchema.parse(JSON.parse(row.directory)),
  };
}

export class TenantRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findBySlug(slug: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row && toTenant(row);
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
        created_at: now,
      })
      .execute();
  }

  async updatePolicy(tenantId: string, policy: Tenant['policy']): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({ policy: JSON.stringify(policy) })
      .where('id', '=', tenantId)
      .execute();
  }
}
