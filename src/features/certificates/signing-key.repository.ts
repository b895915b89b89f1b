import { X509Certificate, randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  type CurrentSigner,
  type SigningCertificate,
  type StoredSigner,
  certificateFacts,
  chainFromPem,
} from './signing-key.model.js';
import type { SigningKeyTable } from './signing-key.table.js';

function toCurrent(row: Selectable<SigningKeyTable>): CurrentSigner {
  const common = {
    passphraseSealed: row.passphrase_sealed,
    certificatePem: row.certificate_pem,
    development: row.development === 1,
  };
  if (row.kind === 'pkcs11')
    return { ...common, pkcs11: { module: row.pkcs11_module!, token: row.pkcs11_token!, key: row.pkcs11_key! } };
  return { ...common, p12Base64: row.p12_base64! };
}

/**
 * Each university's signing keys (#9 §3): the current one, which signs, and the ones it replaced,
 * kept so the certificates they signed can still be checked against them.
 */
export class SigningKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The key that signs the university's new certificates. */
  async find(tenantId: string): Promise<CurrentSigner | undefined> {
    const row = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return row && toCurrent(row);
  }

  /** A development key made for a university without one; the first wins when two instances make one at once. */
  async insert(tenantId: string, signer: StoredSigner, now: number): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values(this.row(tenantId, signer, now, true))
      .onConflict((oc) => oc.column('tenant_id').where('retired_at', 'is', null).doNothing())
      .execute();
  }

  /** The university's own key becomes current; the one before it is kept, retired (run it in a transaction). */
  async replace(tenantId: string, signer: StoredSigner, now: number): Promise<void> {
    await this.db
      .updateTable('signing_keys')
      .set({ retired_at: now })
      .where('tenant_id', '=', tenantId)
      .where('retired_at', 'is', null)
      .execute();
    await this.db
      .insertInto('signing_keys')
      .values(this.row(tenantId, signer, now, false))
      .execute();
  }

  /** Every certificate the university has signed with, newest first. */
  async history(tenantId: string): Promise<SigningCertificate[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .select([
        'certificate_pem',
        'fingerprint_sha256',
        'not_before',
        'not_after',
        'valid_from',
        'retired_at',
        'development',
      ])
      .where('tenant_id', '=', tenantId)
      // Current first, then by when each started; a key retired in the same millisecond it started stays below.
      .orderBy(sql`case when retired_at is null then 0 else 1 end`)
      .orderBy('valid_from', 'desc')
      .orderBy('retired_at', 'desc')
      .execute();
    return rows.map((row) => {
      const certificate = new X509Certificate(chainFromPem(row.certificate_pem)[0]!);
      return {
        fingerprintSha256: row.fingerprint_sha256,
        subject: certificate.subject,
        issuer: certificate.issuer,
        notBefore: Number(row.not_before),
        notAfter: Number(row.not_after),
        validFrom: Number(row.valid_from),
        retiredAt: row.retired_at === null ? null : Number(row.retired_at),
        development: row.development === 1,
      };
    });
  }

  /** Every sealed passphrase and PIN, retired keys' too: for re-sealing after a key rotation. */
  async listSealedPassphrases(): Promise<Array<{ tenantId: string; passphraseSealed: string }>> {
    const rows = await this.db.selectFrom('signing_keys').select(['tenant_id', 'passphrase_sealed']).execute();
    return rows.map((row) => ({ tenantId: row.tenant_id, passphraseSealed: row.passphrase_sealed }));
  }

  /** Only while it still holds the value the caller read: a key imported meanwhile wins. */
  async replaceSealedPassphrase(tenantId: string, from: string, to: string): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ passphrase_sealed: to })
      .where('tenant_id', '=', tenantId)
      .where('passphrase_sealed', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private row(tenantId: string, signer: StoredSigner, now: number, development: boolean) {
    const facts = certificateFacts(signer.certificatePem);
    const pkcs11 = 'pkcs11' in signer ? signer.pkcs11 : undefined;
    return {
      id: randomUUID(),
      tenant_id: tenantId,
      kind: pkcs11 ? ('pkcs11' as const) : ('pkcs12' as const),
      development: development ? 1 : 0,
      p12_base64: 'p12Base64' in signer ? signer.p12Base64 : null,
      pkcs11_module: pkcs11?.module ?? null,
      pkcs11_token: pkcs11?.token ?? null,
      pkcs11_key: pkcs11?.key ?? null,
      passphrase_sealed: signer.passphraseSealed,
      certificate_pem: signer.certificatePem,
      fingerprint_sha256: facts.fingerprintSha256,
      not_before: facts.notBefore,
      not_after: facts.notAfter,
      valid_from: now,
      retired_at: null,
    };
  }
}
