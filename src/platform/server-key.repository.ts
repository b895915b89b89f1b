import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const SECRET_KEY = 'secret_key';

/** The fingerprint of the SECRET_KEY the deployment's sealed values and hashes are made under. */
export class ServerKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async fingerprint(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('server_keys')
      .select('fingerprint')
      .where('name', '=', SECRET_KEY)
      .executeTakeFirst();
    return row?.fingerprint;
  }

  /** The first start records its key; when two start at once, the first one's stays. */
  async record(fingerprint: string, now: number): Promise<void> {
    await this.db
      .insertInto('server_keys')
      .values({ name: SECRET_KEY, fingerprint, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  /** A rotation: only from the key it replaces, so two instances rotating at once agree. */
  async replace(from: string, to: string, now: number): Promise<void> {
    await this.db
      .updateTable('server_keys')
      .set({ fingerprint: to, updated_at: now })
      .where('name', '=', SECRET_KEY)
      .where('fingerprint', '=', from)
      .execute();
  }
}
