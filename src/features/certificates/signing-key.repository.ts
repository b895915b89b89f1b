import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StoredSigner } from './signing-key.model.js';

/** Each university's signing key (PKCS#12, passphrase sealed at rest), one per tenant. */
export class SigningKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(tenantId: string): Promise<StoredSigner | undefined> {
    const row = await this.db
      .selectFrom('tenant_signers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return (
      row && { p12Base64: row.p12_base64, passphraseSealed: row.passphrase_sealed, certificatePem: row.certificate_pem }
    );
  }

  /** Keeps the first signer when two instances create one at once. */
  async insert(tenantId: string, signer: StoredSigner, now: number): Promise<void> {
    await this.db
      .insertInto('tenant_signers')
      .values({
        tenant_id: tenantId,
        p12_base64: signer.p12Base64,
        passphrase_sealed: signer.passphraseSealed,
        certificate_pem: signer.certificatePem,
        created_at: now,
      })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
  }

  async replace(tenantId: string, signer: StoredSigner, now: number): Promise<void> {
    await this.db
      .insertInto('tenant_signers')
      .values({
        tenant_id: tenantId,
        p12_base64: signer.p12Base64,
        passphrase_sealed: signer.passphraseSealed,
        certificate_pem: signer.certificatePem,
        created_at: now,
      })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet({
          p12_base64: signer.p12Base64,
          passphrase_sealed: signer.passphraseSealed,
          certificate_pem: signer.certificatePem,
          created_at: now,
        }),
      )
      .execute();
  }

  /** Every university's sealed passphrase: for re-sealing after a key rotation. */
  async listSealedPassphrases(): Promise<Array<{ tenantId: string; passphraseSealed: string }>> {
    const rows = await this.db.selectFrom('tenant_signers').select(['tenant_id', 'passphrase_sealed']).execute();
    return rows.map((row) => ({ tenantId: row.tenant_id, passphraseSealed: row.passphrase_sealed }));
  }

  /** Only while it still holds the value the caller read: a key imported meanwhile wins. */
  async replaceSealedPassphrase(tenantId: string, from: string, to: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tenant_signers')
      .set({ passphrase_sealed: to })
      .where('tenant_id', '=', tenantId)
      .where('passphrase_sealed', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
