import type { Repositories } from '../../db/repositories.js';
import { randomToken } from '../../platform/crypto.js';
import type { CurrentSession } from '../../platform/request-context.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { type AuthContext, type RequestMeta, secretPurpose } from './auth.context.js';

/** Sliding the idle expiry costs a write; once a minute is plenty. */
const TOUCH_INTERVAL_MS = 60_000;

export class SessionService {
  constructor(private readonly ctx: AuthContext) {}

  /**
   * A brand-new random id at every login (never the one the browser brought), stored only as a
   * hash; the browser's earlier session, if any, ends.
   */
  async create(
    repos: Repositories,
    tenant: Tenant,
    accountId: string,
    meta: RequestMeta,
    previousToken: string | undefined,
  ): Promise<string> {
    const now = this.ctx.clock.now();
    if (previousToken) await repos.sessions.delete(tenant.id, this.hash(previousToken));
    const token = randomToken();
    await repos.sessions.insert(tenant.id, this.hash(token), {
      accountId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: now + this.ctx.config.sessionIdleMs,
      absoluteExpiresAt: now + this.ctx.config.sessionAbsoluteMs,
      ip: meta.ip,
      userAgent: meta.userAgent.slice(0, 300),
    });
    return token;
  }

  async resolve(tenant: Tenant, token: string): Promise<CurrentSession | undefined> {
    const repos = this.ctx.store.repos;
    const now = this.ctx.clock.now();
    const idHash = this.hash(token);
    const session = await repos.sessions.findLive(tenant.id, idHash, now);
    if (!session) return undefined;
    const account = await repos.accounts.findById(tenant.id, session.accountId);
    if (!account) return undefined;
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) {
      await repos.sessions.touch(tenant.id, idHash, now, now + this.ctx.config.sessionIdleMs);
    }
    return { idHash, account };
  }

  async end(tenant: Tenant, session: CurrentSession, meta: RequestMeta): Promise<void> {
    await this.ctx.store.transaction(async (repos) => {
      await repos.sessions.delete(tenant.id, session.idHash);
      await repos.audit.record(
        tenant.id,
        {
          event: 'session.logout',
          accountId: session.account.id,
          subject: session.account.userId,
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
        this.ctx.clock.now(),
      );
    });
  }

  hash(token: string): string {
    return this.ctx.secrets.hash(secretPurpose.session, token);
  }
}
