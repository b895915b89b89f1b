import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StaffMember, StaffPasskey, StaffRole, StaffStatus } from './staff.model.js';
import type { StaffMemberTable, StaffSessionTable } from './staff.table.js';

function toMember(row: StaffMemberTable): StaffMember {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    email: row.email,
    staffNumber: row.staff_number,
    name: row.name,
    role: row.role as StaffRole,
    status: row.status as StaffStatus,
    passwordHash: row.password_hash,
    totpSecretSealed: row.totp_secret_sealed,
    totpLastCounter: row.totp_last_counter === null ? null : Number(row.totp_last_counter),
    createdAt: Number(row.created_at),
  };
}

export interface StaffSessionRecord {
  staffId: string;
  lastSeenAt: number;
  authenticatedAt: number;
}

/** Staff members, their second factors and sessions; every call names the university. */
export class StaffRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
    member: Pick<StaffMember, 'tenantId' | 'id' | 'email' | 'staffNumber' | 'name' | 'role'>,
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto('staff_members')
      .values({
        tenant_id: member.tenantId,
        id: member.id,
        email: member.email,
        staff_number: member.staffNumber,
        name: member.name,
        role: member.role,
        status: 'invited',
        password_hash: null,
        totp_secret_sealed: null,
        totp_last_counter: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async findById(tenantId: string, id: string): Promise<StaffMember | undefined> {
    const row = await this.db
      .selectFrom('staff_members')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toMember(row);
  }

  /** By mail address (lower case) or staff ID, as the login form takes either. */
  async findByLogin(tenantId: string, login: string): Promise<StaffMember | undefined> {
    const row = await this.db
      .selectFrom('staff_members')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('email', '=', login.toLowerCase()), eb('staff_number', '=', login)]))
      .executeTakeFirst();
    return row && toMember(row);
  }

  async findByEmail(tenantId: string, email: string): Promise<StaffMember | undefined> {
    const row = await this.db
      .selectFrom('staff_members')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('email', '=', email)
      .executeTakeFirst();
    return row && toMember(row);
  }

  async list(tenantId: string): Promise<StaffMember[]> {
    const rows = await this.db
      .selectFrom('staff_members')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('name')
      .orderBy('email')
      .execute();
    return rows.map(toMember);
  }

  async setPassword(tenantId: string, id: string, name: string, passwordHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('staff_members')
      .set({ name, password_hash: passwordHash, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** The end of enrolment: the member has a second factor, and may log in from now on. */
  async activate(
    tenantId: string,
    id: string,
    totp: { sealed: string; counter: number } | undefined,
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_members')
      .set({
        status: 'active',
        updated_at: now,
        ...(totp && { totp_secret_sealed: totp.sealed, totp_last_counter: totp.counter }),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'invited')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** A new password for an active member (their own change). */
  async setPasswordHash(tenantId: string, id: string, passwordHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('staff_members')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /**
   * Takes the member's row for the rest of the transaction, so two changes of their second
   * factors run one after the other and each counts what the other left.
   */
  async lockForUpdate(tenantId: string, id: string, now: number): Promise<StaffMember | undefined> {
    await this.db
      .updateTable('staff_members')
      .set({ updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    return this.findById(tenantId, id);
  }

  /** An authenticator app for a member who has none; false when one was set meanwhile. */
  async setTotp(tenantId: string, id: string, totp: { sealed: string; counter: number }): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_members')
      .set({ totp_secret_sealed: totp.sealed, totp_last_counter: totp.counter })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('totp_secret_sealed', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async clearTotp(tenantId: string, id: string): Promise<void> {
    await this.db
      .updateTable('staff_members')
      .set({ totp_secret_sealed: null, totp_last_counter: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async deletePasskey(tenantId: string, staffId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('staff_passkeys')
      .where('tenant_id', '=', tenantId)
      .where('staff_id', '=', staffId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /** Takes a TOTP time step once: false when it (or a later one) was taken already. */
  async takeTotpCounter(tenantId: string, id: string, counter: number): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_members')
      .set({ totp_last_counter: counter })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', counter)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async setRole(tenantId: string, id: string, role: StaffRole, now: number): Promise<void> {
    await this.db
      .updateTable('staff_members')
      .set({ role, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async setStatus(tenantId: string, id: string, status: StaffStatus, now: number): Promise<void> {
    await this.db
      .updateTable('staff_members')
      .set({ status, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async insertRecoveryCodes(tenantId: string, staffId: string, codeHashes: string[]): Promise<void> {
    await this.db
      .deleteFrom('staff_recovery_codes')
      .where('tenant_id', '=', tenantId)
      .where('staff_id', '=', staffId)
      .execute();
    if (codeHashes.length === 0) return;
    await this.db
      .insertInto('staff_recovery_codes')
      .values(
        codeHashes.map((codeHash) => ({ tenant_id: tenantId, staff_id: staffId, code_hash: codeHash, used_at: null })),
      )
      .execute();
  }

  /** Uses a recovery code: one conditional update, so a code works once however often it is sent. */
  async useRecoveryCode(tenantId: string, staffId: string, codeHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_recovery_codes')
      .set({ used_at: now })
      .where('tenant_id', '=', tenantId)
      .where('staff_id', '=', staffId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async unusedRecoveryCodes(tenantId: string, staffId: string): Promise<number> {
    const row = await this.db
      .selectFrom('staff_recovery_codes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('staff_id', '=', staffId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertPasskey(tenantId: string, passkey: StaffPasskey): Promise<void> {
    await this.db
      .insertInto('staff_passkeys')
      .values({
        tenant_id: tenantId,
        id: passkey.id,
        staff_id: passkey.staffId,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: JSON.stringify(passkey.transports),
        created_at: passkey.createdAt,
        last_used_at: null,
      })
      .execute();
  }

  async passkeys(tenantId: string, staffId: string): Promise<StaffPasskey[]> {
    const rows = await this.db
      .selectFrom('staff_passkeys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('staff_id', '=', staffId)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      staffId: row.staff_id,
      publicKey: row.public_key,
      counter: Number(row.counter),
      transports: JSON.parse(row.transports) as string[],
      createdAt: Number(row.created_at),
      lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    }));
  }

  async passkeyExists(tenantId: string, id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('staff_passkeys')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records a use; the counter only moves forward, so a cloned authenticator's replay is refused. */
  async usePasskey(tenantId: string, id: string, from: number, to: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_passkeys')
      .set({ counter: to, last_used_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('counter', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async insertSession(tenantId: string, session: Omit<StaffSessionTable, 'tenant_id'>): Promise<void> {
    await this.db
      .insertInto('staff_sessions')
      .values({ tenant_id: tenantId, ...session })
      .execute();
  }

  async findLiveSession(tenantId: string, idHash: string, now: number): Promise<StaffSessionRecord | undefined> {
    const row = await this.db
      .selectFrom('staff_sessions')
      .select(['staff_id', 'last_seen_at', 'authenticated_at'])
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', idHash)
      .where('idle_expires_at', '>', now)
      .where('absolute_expires_at', '>', now)
      .executeTakeFirst();
    return (
      row && {
        staffId: row.staff_id,
        lastSeenAt: Number(row.last_seen_at),
        authenticatedAt: Number(row.authenticated_at),
      }
    );
  }

  async touchSession(tenantId: string, idHash: string, now: number, idleExpiresAt: number): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', idHash)
      .execute();
  }

  async markAuthenticated(tenantId: string, idHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ authenticated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', idHash)
      .execute();
  }

  async deleteSession(tenantId: string, idHash: string): Promise<void> {
    await this.db
      .deleteFrom('staff_sessions')
      .where('tenant_id', '=', tenantId)
      .where('id_hash', '=', idHash)
      .execute();
  }

  async deleteSessionsOf(tenantId: string, staffId: string): Promise<void> {
    await this.db
      .deleteFrom('staff_sessions')
      .where('tenant_id', '=', tenantId)
      .where('staff_id', '=', staffId)
      .execute();
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom('staff_sessions')
      .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
