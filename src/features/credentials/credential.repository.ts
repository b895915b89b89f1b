import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { IssuedCredential, SignedStatusList } from './credential.model.js';
import type { VerifiableCredentialTable } from './credential.table.js';

function toCredential(row: Selectable<VerifiableCredentialTable>): IssuedCredential {
  return {
    serial: row.serial,
    statusList: row.status_list,
    statusIndex: row.status_index,
    jwt: row.jwt,
    issuedAt: Number(row.issued_at),
  };
}

export class CredentialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, credential: IssuedCredential): Promise<void> {
    await this.db
      .insertInto('verifiable_credentials')
      .values({
        tenant_id: tenantId,
        serial: credential.serial,
        status_list: credential.statusList,
        status_index: credential.statusIndex,
        jwt: credential.jwt,
        issued_at: credential.issuedAt,
      })
      .execute();
  }

  async findBySerial(tenantId: string, serial: string): Promise<IssuedCredential | undefined> {
    const row = await this.db
      .selectFrom('verifiable_credentials')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('serial', '=', serial)
      .executeTakeFirst();
    return row && toCredential(row);
  }

  /** The newest status list and how many credentials it holds (list 1, empty, for a new tenant). */
  async newestList(tenantId: string): Promise<{ statusList: number; used: number }> {
    const row = await this.db
      .selectFrom('verifiable_credentials')
      .select(['status_list', (eb) => eb.fn.countAll<string | number>().as('used')])
      .where('tenant_id', '=', tenantId)
      .groupBy('status_list')
      .orderBy('status_list', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { statusList: row.status_list, used: Number(row.used) } : { statusList: 1, used: 0 };
  }

  async isTaken(tenantId: string, statusList: number, statusIndex: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('verifiable_credentials')
      .select('serial')
      .where('tenant_id', '=', tenantId)
      .where('status_list', '=', statusList)
      .where('status_index', '=', statusIndex)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The bits of a list that are set: the indices of its credentials whose certificate is revoked. */
  async revokedIndices(tenantId: string, statusList: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('verifiable_credentials as vc')
      .innerJoin('issued_certificates as ic', (join) =>
        join.onRef('ic.tenant_id', '=', 'vc.tenant_id').onRef('ic.serial', '=', 'vc.serial'),
      )
      .select('vc.status_index')
      .where('vc.tenant_id', '=', tenantId)
      .where('vc.status_list', '=', statusList)
      .where('ic.revoked_at', 'is not', null)
      .orderBy('vc.status_index')
      .execute();
    return rows.map((row) => row.status_index);
  }

  async findStatusList(tenantId: string, statusList: number): Promise<SignedStatusList | undefined> {
    const row = await this.db
      .selectFrom('status_lists')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('status_list', '=', statusList)
      .executeTakeFirst();
    return (
      row && { statusList: row.status_list, listSha256: row.list_sha256, jwt: row.jwt, signedAt: Number(row.signed_at) }
    );
  }

  async saveStatusList(tenantId: string, list: SignedStatusList): Promise<void> {
    const values = { list_sha256: list.listSha256, jwt: list.jwt, signed_at: list.signedAt };
    await this.db
      .insertInto('status_lists')
      .values({ tenant_id: tenantId, status_list: list.statusList, ...values })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'status_list']).doUpdateSet(values))
      .execute();
  }
}
