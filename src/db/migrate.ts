import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';
import * as initial from './migrations/2026-11-22T0000_initial.js';
import * as recordsCatalogue from './migrations/2026-11-22T0100_records_catalogue.js';
import * as orders from './migrations/2026-11-22T0200_orders.js';
import * as mailOutboxSealed from './migrations/2026-11-29T0200_mail_outbox_sealed.js';
import * as sessionSecondPasswordAt from './migrations/2026-11-29T0300_session_second_password_at.js';
import * as tenantPublicUrl from './migrations/2026-11-29T0300_tenant_public_url.js';
import * as formStates from './migrations/2026-11-29T1200_form_states.js';
import * as secretKeyFingerprint from './migrations/2026-11-29T1400_secret_key_fingerprint.js';
import * as tenantEnabled from './migrations/2026-11-29T1500_tenant_enabled.js';
import * as terminalMachines from './migrations/2026-11-30T0300_terminal_machines.js';
import * as verifiableCredentials from './migrations/2026-11-30T0400_verifiable_credentials.js';
import * as signingKeyHistory from './migrations/2026-11-30T0600_signing_key_history.js';
import * as tenantBranding from './migrations/2026-11-30T1000_tenant_branding.js';
import * as staff from './migrations/2026-11-30T0500_staff.js';
import * as studentSupport from './migrations/2026-11-30T0700_student_support.js';
import * as paymentNumbers from './migrations/2026-11-30T0900_payment_numbers.js';
import * as orderConsole from './migrations/2026-11-30T0800_order_console.js';
import * as terminalLastSeen from './migrations/2026-11-30T1100_terminal_last_seen.js';
import * as auditConsole from './migrations/2026-11-30T1200_audit_console.js';

// A static list instead of a folder scan: it works the same from src/ (tsx, vitest) and dist/.
const migrations: Record<string, Migration> = {
  '2026-11-22T0000_initial': initial,
  '2026-11-22T0100_records_catalogue': recordsCatalogue,
  '2026-11-22T0200_orders': orders,
  '2026-11-29T0200_mail_outbox_sealed': mailOutboxSealed,
  '2026-11-29T0300_session_second_password_at': sessionSecondPasswordAt,
  '2026-11-29T0300_tenant_public_url': tenantPublicUrl,
  '2026-11-29T1200_form_states': formStates,
  '2026-11-29T1400_secret_key_fingerprint': secretKeyFingerprint,
  '2026-11-29T1500_tenant_enabled': tenantEnabled,
  '2026-11-30T0300_terminal_machines': terminalMachines,
  '2026-11-30T0400_verifiable_credentials': verifiableCredentials,
  '2026-11-30T0600_signing_key_history': signingKeyHistory,
  '2026-11-30T1000_tenant_branding': tenantBranding,
  '2026-11-30T0500_staff': staff,
  '2026-11-30T0700_student_support': studentSupport,
  '2026-11-30T0900_payment_numbers': paymentNumbers,
  '2026-11-30T0800_order_console': orderConsole,
  '2026-11-30T1100_terminal_last_seen': terminalLastSeen,
  '2026-11-30T1200_audit_console': auditConsole,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The migrations this code knows, in the order they run. */
export const knownMigrations: readonly string[] = Object.keys(migrations).sort();

export interface MigrationStatus {
  applied: string[];
  /** Known to the code, not yet in the database: what `migrateToLatest` would run. */
  pending: string[];
  /** In the database, unknown to the code: the database was migrated by a newer version. */
  unknown: string[];
}

/** Reads what the database has applied without creating or changing anything. */
export async function migrationStatus(db: Kysely<any>): Promise<MigrationStatus> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const applied = tables.some((table) => table.name === 'kysely_migration')
    ? (await db.selectFrom('kysely_migration').select('name').execute()).map((row) => String(row.name)).sort()
    : [];
  return {
    applied,
    pending: knownMigrations.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !knownMigrations.includes(name)),
  };
}

/** The database was migrated by a newer Shomei: this code must not run on it (nor migrate it). */
export class SchemaNewerThanCodeError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `The database has migrations this version of Shomei does not know (${unknown.join(', ')}): ` +
        'it was upgraded by a newer version. Run that version (or restore a backup taken before the upgrade); ' +
        'see docs/operations/data.md, "Upgrades".',
    );
    this.name = 'SchemaNewerThanCodeError';
  }
}

/**
 * Brings the database to the code's schema, or refuses a database newer than the code. On
 * PostgreSQL the pending migrations run in one transaction (Kysely's migrator: all or none), and a
 * session advisory lock around the whole of it, the check for a newer schema included, makes
 * instances that start together take turns: the first migrates, the others find nothing to do.
 * (Kysely's own lock covers only its transaction.) On SQLite the file's write lock does the same,
 * and the dialect's adapter (db/database.ts) runs the migrations in one transaction too.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return migrateHeld(db);
  return db.connection().execute(async (session) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(session);
    try {
      return await migrateHeld(db);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(session);
    }
  });
}

/** Any fixed number: it names Shomei's migration lock among the server's advisory locks. */
const MIGRATION_LOCK_KEY = 5_312_013;

async function migrateHeld(db: Kysely<any>): Promise<string[]> {
  const { unknown } = await migrationStatus(db);
  if (unknown.length > 0) throw new SchemaNewerThanCodeError(unknown);
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
