import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from './migrations/2026-11-22T0000_initial.js';
import * as recordsCatalogue from './migrations/2026-11-22T0100_records_catalogue.js';
import * as orders from './migrations/2026-11-22T0200_orders.js';
import * as mailOutboxSealed from './migrations/2026-11-29T0200_mail_outbox_sealed.js';
import * as sessionSecondPasswordAt from './migrations/2026-11-29T0300_session_second_password_at.js';
import * as tenantPublicUrl from './migrations/2026-11-29T0300_tenant_public_url.js';
import * as formStates from './migrations/2026-11-29T1200_form_states.js';

// A static list instead of a folder scan: it works the same from src/ (tsx, vitest) and dist/.
const migrations: Record<string, Migration> = {
  '2026-11-22T0000_initial': initial,
  '2026-11-22T0100_records_catalogue': recordsCatalogue,
  '2026-11-22T0200_orders': orders,
  '2026-11-29T0200_mail_outbox_sealed': mailOutboxSealed,
  '2026-11-29T0300_session_second_password_at': sessionSecondPasswordAt,
  '2026-11-29T0300_tenant_public_url': tenantPublicUrl,
  '2026-11-29T1200_form_states': formStates,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
