import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LogoContentType } from './branding.js';

export interface TenantLogo {
  sha256: string;
  contentType: LogoContentType;
  bytes: Buffer;
}

/** The university's logo (#12 §4): one per university, replaced whole. */
export class TenantLogoRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(tenantId: string): Promise<TenantLogo | undefined> {
    const row = await this.db
      .selectFrom('tenant_logos')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return (
      row && {
        sha256: row.sha256,
        contentType: row.content_type as LogoContentType,
        bytes: Buffer.from(row.data_base64, 'base64'),
      }
    );
  }

  async put(tenantId: string, logo: TenantLogo, now: number): Promise<void> {
    const values = {
      sha256: logo.sha256,
      content_type: logo.contentType,
      data_base64: logo.bytes.toString('base64'),
      updated_at: now,
    };
    await this.db
      .insertInto('tenant_logos')
      .values({ tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }

  async remove(tenantId: string): Promise<void> {
    await this.db.deleteFrom('tenant_logos').where('tenant_id', '=', tenantId).execute();
  }
}
