import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { randomToken } from '../../platform/crypto.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { auditStaff } from './staff-audit.js';
import type { CurrentStaffSession } from './staff.model.js';

const SESSION_PURPOSE = 'staff-session';
/**
 * A staff session reaches every student of the university, so it lives shorter than a student's:
 * fifteen minutes without a request (OWASP's upper bound for such accounts) and one working day
 * in all — never longer than the students' own settings (SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS).
 */
export const STAFF_SESSION_IDLE_MS = 15 * 60_000;
export const STAFF_SESSION_ABSOLUTE_MS = 8 * 3_600_000;
/** Sensitive actions (role changes, key import, revocation) ask for the second factor again after this. */
export const RECENT_AUTH_MS = 5 * 60_000;

/** Staff sessions: their own table and cookie, never a student's. */
export class StaffSessionService {
  private readonly idleMs: number;
  private readonly absoluteMs: number;

  constructor(private readonly deps: Pick<Infrastructure, 'config' | 'uow' | 'clock' | 'secrets'>) {
    this.idleMs = Math.min(STAFF_SESSION_IDLE_MS, deps.config.sessionIdleMs);
    this.absoluteMs = Math.min(STAFF_SESSION_ABSOLUTE_MS, deps.config.sessionAbsoluteMs);
  }

  /** A new random id at every login; the browser's earlier staff session, if any, ends. */
  async create(tx: Work, tenant: Tenant, staffId: string, previousToken: string | undefined): Promise<string> {
    if (previousToken) await tx.staff.deleteSession(tenant.id, this.hash(previousToken));
    const token = randomToken();
    await tx.staff.insertSession(tenant.id, {
      id_hash: this.hash(token),
      staff_id: staffId,
      created_at: tx.now,
      last_seen_at: tx.now,
      idle_expires_at: tx.now + this.idleMs,
      absolute_expires_at: tx.now + this.absoluteMs,
      authenticated_at: tx.now,
      ip: tx.actor.ip ?? '',
      user_agent: tx.actor.userAgent.slice(0, 300),
    });
    return token;
  }

  /** The live session of an active member of this university, sliding its idle expiry. */
  async resolve(tenant: Tenant, token: string): Promise<CurrentStaffSession | undefined> {
    const { repos } = this.deps.uow;
    const now = this.deps.clock.now();
    const idHash = this.hash(token);
    const session = await repos.staff.findLiveSession(tenant.id, idHash, now);
    if (!session) return undefined;
    const member = await repos.staff.findById(tenant.id, session.staffId);
    if (member?.status !== 'active') return undefined;
    if (now - session.lastSeenAt >= Math.min(60_000, this.idleMs / 10))
      await repos.staff.touchSession(tenant.id, idHash, now, now + this.idleMs);
    return { idHash, member, authenticatedAt: session.authenticatedAt };
  }

  isRecent(session: CurrentStaffSession): boolean {
    return this.deps.clock.now() - session.authenticatedAt <= RECENT_AUTH_MS;
  }

  async end(tenant: Tenant, session: CurrentStaffSession, actor: Actor): Promise<void> {
    await this.deps.uow.run(actor, async (tx) => {
      await tx.staff.deleteSession(tenant.id, session.idHash);
      await auditStaff(tx, 'staff.logout', { subject: session.member.email });
    });
  }

  hash(token: string): string {
    return this.deps.secrets.hash(SESSION_PURPOSE, token);
  }
}
