import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Lang } from '../../platform/i18n.js';
import type { Account } from './account.model.js';
import type { AccountTable } from './account.table.js';
import { reusableQuery } from '../../db/compiled-query.js';

/** Every logged-in page reads its account: compiled once (#11). */
const findAccountById = reusableQuery((db: Kysely<Database>, tenantId: string, id: string) =>
  db.selectFrom('accounts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id),
);

/**
 * Every logged-in page asks which account a live session is of: one query for the session and its
 * account together, compiled once (#11). Both tables are matched on the tenant.
 */
const findAccountByLiveSession = reusableQuery((db: Kysely<Database>, tenantId: string, idHash: string, now: number) =>
  db
    .selectFrom('sessions')
    .innerJoin('accounts', (join) =>
      join.onRef('accounts.tenant_id', '=', 'sessions.tenant_id').onRef('accounts.id', '=', 'sessions.account_id'),
    )
    .selectAll('accounts')
    .select([
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.second_password_at as session_second_password_at',
    ])
    .where('sessions.tenant_id', '=', tenantId)
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.idle_expires_at', '>', now)
    .where('sessions.absolute_expires_at', '>', now),
);

function toAccount(row: Selectable<AccountTable>): Account {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    userId: row.user_id,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    secondPasswordHash: row.second_password_hash,
    twoFactorEnabled: row.two_factor_enabled === 1,
    lang: row.lang as Lang,
  };
}

export class AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findById(tenantId: string, id: string): Promise<Account | undefined> {
    const [row] = await findAccountById(this.db, tenantId, id);
    return row && toAccount(row);
  }

  /** The account of a session that is still live at `now`, with what the session itself adds. */
  async findByLiveSession(
    tenantId: string,
    idHash: string,
    now: number,
  ): Promise<{ account: Account; lastSeenAt: number; secondPasswordAt: number | null } | undefined> {
    const [row] = await findAccountByLiveSession(this.db, tenantId, idHash, now);
    return (
      row && {
        account: toAccount(row),
        lastSeenAt: row.session_last_seen_at,
        secondPasswordAt: row.session_second_password_at,
      }
    );
  }

  async findByUserId(tenantId: string, userId: string): Promise<Account | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async findByVerifiedEmail(tenantId: string, email: string): Promise<Account[]> {
    const rows = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('email', '=', email)
      .where('email_verified_at', 'is not', null)
      .orderBy('user_id')
      .execute();
    return rows.map(toAccount);
  }

  /** Creates the account on its first successful login; a racing twin finds it made. */
  async findOrCreate(
    tenantId: string,
    id: string,
    userId: string,
    defaults: { twoFactorEnabled: boolean; lang: Lang },
    now: number,
  ): Promise<Account> {
    const existing = await this.findByUserId(tenantId, userId);
    if (existing) return existing;
    await this.db
      .insertInto('accounts')
      .values({
        tenant_id: tenantId,
        id,
        user_id: userId,
        email: null,
        email_verified_at: null,
        second_password_hash: null,
        second_password_set_at: null,
        two_factor_enabled: defaults.twoFactorEnabled ? 1 : 0,
        lang: defaults.lang,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doNothing())
      .execute();
    const account = await this.findByUserId(tenantId, userId);
    if (!account) throw new Error('account vanished after insert');
    return account;
  }

  /** When the account began, its address was confirmed and its second password set (#12 A-2); never the secret. */
  async securityDates(
    tenantId: string,
    id: string,
  ): Promise<{ createdAt: number; emailVerifiedAt: number | null; secondPasswordSetAt: number | null } | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['created_at', 'email_verified_at', 'second_password_set_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        createdAt: row.created_at,
        emailVerifiedAt: row.email_verified_at,
        secondPasswordSetAt: row.second_password_set_at,
      }
    );
  }

  /** Staff clear the address (#12 A-2): the next login asks for one again, as the first did. */
  async clearEmail(tenantId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('accounts')
      .set({ email: null, email_verified_at: null, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('email', 'is not', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async setVerifiedEmail(tenantId: string, id: string, email: string, now: number): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ email, email_verified_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async setSecondPassword(tenantId: string, id: string, hash: string, now: number): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ second_password_hash: hash, second_password_set_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Sets the first second password only if none was set meanwhile (two tabs, one wins). */
  async setFirstSecondPassword(tenantId: string, id: string, hash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('accounts')
      .set({ second_password_hash: hash, second_password_set_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('second_password_hash', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async setTwoFactor(tenantId: string, id: string, enabled: boolean, now: number): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ two_factor_enabled: enabled ? 1 : 0, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async setLang(tenantId: string, id: string, lang: Lang): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ lang })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('lang', '!=', lang)
      .execute();
  }
}
