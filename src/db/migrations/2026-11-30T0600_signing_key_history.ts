import { X509Certificate, createHash, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

// Key history (#9 §3): importing a university's key no longer overwrites the one before it, so the
// verification page can still name the certificate that signed older documents. At most one key
// per university is current (not retired); it signs new certificates. A key may live in an HSM
// (PKCS#11), so the PKCS#12 is optional and the chain is kept as PEM.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('development', 'integer', (c) => c.notNull())
    .addColumn('p12_base64', 'text')
    .addColumn('pkcs11_module', 'text')
    .addColumn('pkcs11_token', 'text')
    .addColumn('pkcs11_key', 'text')
    .addColumn('passphrase_sealed', 'text', (c) => c.notNull())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    .addColumn('fingerprint_sha256', 'text', (c) => c.notNull())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('signing_keys_current')
    .on('signing_keys')
    .column('tenant_id')
    .unique()
    .where(sql.ref('retired_at'), 'is', null)
    .execute();

  const rows = await db.selectFrom('tenant_signers').selectAll().execute();
  for (const row of rows) {
    const certificate = new X509Certificate(row.certificate_pem);
    await db
      .insertInto('signing_keys')
      .values({
        id: randomUUID(),
        tenant_id: row.tenant_id,
        kind: 'pkcs12',
        // The subject createDevelopmentSigner gave the keys it made.
        development: /^CN=.*\(development\)$/m.test(certificate.subject) ? 1 : 0,
        p12_base64: row.p12_base64,
        passphrase_sealed: row.passphrase_sealed,
        certificate_pem: row.certificate_pem,
        fingerprint_sha256: createHash('sha256').update(certificate.raw).digest('hex'),
        not_before: Date.parse(certificate.validFrom),
        not_after: Date.parse(certificate.validTo),
        valid_from: Number(row.created_at),
        retired_at: null,
      })
      .execute();
  }
  await db.schema.dropTable('tenant_signers').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_signers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().primaryKey())
    .addColumn('p12_base64', 'text', (c) => c.notNull())
    .addColumn('passphrase_sealed', 'text', (c) => c.notNull())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  const current = await db
    .selectFrom('signing_keys')
    .selectAll()
    .where('retired_at', 'is', null)
    .where('kind', '=', 'pkcs12')
    .execute();
  for (const row of current)
    await db
      .insertInto('tenant_signers')
      .values({
        tenant_id: row.tenant_id,
        p12_base64: row.p12_base64,
        passphrase_sealed: row.passphrase_sealed,
        certificate_pem: row.certificate_pem,
        created_at: row.valid_from,
      })
      .execute();
  await db.schema.dropTable('signing_keys').execute();
}
