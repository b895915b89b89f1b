import type { PasswordHasher } from '../../platform/password-hasher.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { RosterRepository } from './roster.repository.js';

export type DirectoryResult = { ok: true; userId: string } | { ok: false };

/**
 * Where a university's own ID and password are checked (L-2). The local roster is the first
 * implementation; LDAP / Active Directory sits behind the same interface.
 */
export interface Directory {
  verify(tenant: Tenant, userId: string, password: string): Promise<DirectoryResult>;
  /**
   * Whether `candidate` is the user's university password, when the directory can tell without
   * a login attempt (LDAP cannot: a failed bind counts towards the university's lockout).
   */
  matchesPassword(tenant: Tenant, userId: string, candidate: string): Promise<boolean>;
  /** Whether the directory answers (readiness); the local roster is the database itself. */
  reachable(tenant: Tenant): Promise<boolean>;
}

/**
 * University IDs arrive typed on phones and Japanese keyboards: NFKC makes full-width letters and
 * digits ASCII. Case is the directory's business (#10): the local roster matches without regard
 * to case, LDAP and Active Directory by their attribute's own rule (uid and sAMAccountName ignore
 * case), and either answers with the ID as it spells it.
 */
export function normalizeUserId(raw: string): string {
  return raw.normalize('NFKC').trim();
}

export class LocalRosterDirectory implements Directory {
  constructor(
    private readonly roster: RosterRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async verify(tenant: Tenant, userId: string, password: string): Promise<DirectoryResult> {
    const entry = userId ? await this.roster.findActive(tenant.id, userId) : undefined;
    if (!entry) return this.hasher.verifyDummy(password).then(() => ({ ok: false }));
    return (await this.hasher.verify(entry.passwordHash, password))
      ? { ok: true, userId: entry.userId }
      : { ok: false };
  }

  async matchesPassword(tenant: Tenant, userId: string, candidate: string): Promise<boolean> {
    const entry = await this.roster.findActive(tenant.id, userId);
    return entry ? this.hasher.verify(entry.passwordHash, candidate) : false;
  }

  async reachable(): Promise<boolean> {
    return true;
  }
}

/** Picks each tenant's directory. */
export class DirectoryRegistry implements Directory {
  constructor(private readonly directories: Record<Tenant['directory']['kind'], Directory>) {}

  verify(tenant: Tenant, userId: string, password: string): Promise<DirectoryResult> {
    return this.directories[tenant.directory.kind].verify(tenant, userId, password);
  }

  matchesPassword(tenant: Tenant, userId: string, candidate: string): Promise<boolean> {
    return this.directories[tenant.directory.kind].matchesPassword(tenant, userId, candidate);
  }

  reachable(tenant: Tenant): Promise<boolean> {
    return this.directories[tenant.directory.kind].reachable(tenant);
  }
}
