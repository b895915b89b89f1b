import type { Repositories } from '../../db/repositories.js';
import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { randomToken } from '../../platform/crypto.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { CurrentSession } from './account.model.js';
import { secretPurpose } from './secret-purpose.js';

/**
 * Sliding the idle expiry costs a write, so it is skipped while little of the idle window has
 * passed: at most once a minute, and at least ten times per window, so a short idle limit never
 * ends a session that is in use.
 */
function touchIntervalMs(idleMs: number): number {
  return Math.min(60_000, idleMs / 10);
}

export class SessionService {
  constructor(private readonly deps: Pick<Infrastructure, 'config' | 'uow' | 'clock' | 'secrets'>) {}

  /**
   * A brand-new random id at every login (never the one the browser brought), stored only as a
   * hash; the browser's earlier session, if any, ends.
   */
  async create(tx: Work, tenant: Tenant, accountId: string, previousToken: string | undefined): Promise<string> {
    const now = tx.now;
    if (previousToken) await tx.sessions.delete(tenant.id, this.hash(previousToken));
    const token = randomToken();
    await tx.sessions.insert(tenant.id, this.hash(token), {
      accountId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: now + this.deps.config.sessionIdleMs,
      absoluteExpiresAt: now + this.deps.config.sessionAbsoluteMs,
      // Every login that makes a session has just checked the second password.
      secondPasswordAt: now,
      ip: tx.actor.ip ?? '',
      userAgent: tx.actor.userAgent.slice(0, 300),
    });
    return token;
  }

  async resolve(tenant: Tenant, token: string): Promise<CurrentSession | undefined> {
    const repos: Repositories = this.deps.uow.repos;
    const now = this.deps.clock.now();
    const idHash = this.hash(token);
    const session = await repos.accounts.findByLiveSession(tenant.id, idHash, now);
    if (!session) return undefined;
    const { account } = session;
    if (now - session.lastSeenAt >= touchIntervalMs(this.deps.config.sessionIdleMs)) {
      await repos.sessions.touch(tenant.id, idHash, now, now + this.deps.config.sessionIdleMs);
    }
    return { idHash, account, secondPasswordAt: session.secondPasswordAt };
  }

  async end(tenant: Tenant, session: CurrentSession, actor: Actor): Promise<void> {
    await this.deps.uow.run(actor, async (tx) => {
      await tx.sessions.delete(tenant.id, session.idHash);
      await tx.audit('session.logout', { subject: session.account.userId });
    });
  }

  hash(token: string): string {
    return this.deps.secrets.hash(secretPurpose.session, token);
  }
}
