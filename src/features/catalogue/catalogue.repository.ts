import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type CatalogueItem, type CertificateType, catalogueItemSchema } from './catalogue.model.js';
import type { CatalogueItemTable } from './catalogue.table.js';

function toItem(row: CatalogueItemTable): CatalogueItem {
  return catalogueItemSchema.parse({
    type: row.type,
    name: { ja: row.name_ja, en: row.name_en },
    languages: JSON.parse(row.languages),
    feeYen: Number(row.fee_yen),
    maxCopies: Number(row.max_copies),
    destinations: JSON.parse(row.destinations),
    eligibility: JSON.parse(row.eligibility),
    sortOrder: Number(row.sort_order),
    active: Number(row.active) === 1,
  });
}

/** C-2: the catalogue of certificate types, per tenant. */
export class CatalogueRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The tenant's types in display order; inactive ones too unless `activeOnly`. */
  async list(tenantId: string, options: { activeOnly?: boolean } = {}): Promise<CatalogueItem[]> {
    let query = this.db.selectFrom('catalogue_items').selectAll().where('tenant_id', '=', tenantId);
    if (options.activeOnly) query = query.where('active', '=', 1);
    const rows = await query.orderBy('sort_order').orderBy('type').execute();
    return rows.map(toItem);
  }

  async find(tenantId: string, type: CertificateType): Promise<CatalogueItem | undefined> {
    const row = await this.db
      .selectFrom('catalogue_items')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('type', '=', type)
      .executeTakeFirst();
    return row && toItem(row);
  }

  /** Adds the type or replaces everything about it. The item is validated first. */
  async upsert(tenantId: string, item: CatalogueItem): Promise<void> {
    const valid = catalogueItemSchema.parse(item);
    const values = {
      name_ja: valid.name.ja,
      name_en: valid.name.en,
      languages: JSON.stringify(valid.languages),
      fee_yen: valid.feeYen,
      max_copies: valid.maxCopies,
      destinations: JSON.stringify(valid.destinations),
      eligibility: JSON.stringify(valid.eligibility),
      sort_order: valid.sortOrder,
      active: valid.active ? (1 as const) : (0 as const),
    };
    await this.db
      .insertInto('catalogue_items')
      .values({ tenant_id: tenantId, type: valid.type, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'type']).doUpdateSet(values))
      .execute();
  }

  /** Offers or withdraws a type; false when the tenant has no such type. */
  async setActive(tenantId: string, type: CertificateType, active: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('catalogue_items')
      .set({ active: active ? 1 : 0 })
      .where('tenant_id', '=', tenantId)
      .where('type', '=', type)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
