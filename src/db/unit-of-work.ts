import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { AuditEvent } from '../features/audit/audit.model.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import { isConnectionError } from './connection-faults.js';
import { TenantCache } from '../features/tenants/tenant.cache.js';
import { type Repositories, type RepositoryCaches, repositories } from './repositories.js';
import type { Database } from './schema.js';

/** What an audit entry adds to what the actor already says. */
export interface AuditDetails {
  /** The account the event is about, when it is not the actor's own (e.g. at login). */
  accountId?: string | null;
  /** The staff member the event is about when it is not the actor (e.g. at staff login). */
  staffId?: string | null;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * One transaction with its actor. The repositories are the transaction's; `audit` records who
 * and where from the actor; `afterCommit` runs once the transaction has committed (and never when
 * it rolls back) — the mailer uses it to wake the outbox worker.
 */
export interface Work extends Repositories {
  readonly actor: Actor;
  /** The clock's time when the unit of work began: one "now" for every row it writes. */
  readonly now: number;
  audit(event: AuditEvent, details?: AuditDetails): Promise<void>;
  afterCommit(hook: () => void): void;
}

const insideTransaction = new AsyncLocalStorage<true>();

/**
 * Rate limiters write on connections of their own (on SQLite, the app's one connection): from
 * inside a transaction they would deadlock or escape its rollback. They call this first.
 */
export function assertOutsideTransaction(what: string): void {
  if (insideTransaction.getStore()) throw new Error(`${what} must not be called inside a unit of work`);
}

/** Every change that spans rows goes through `run` and commits or rolls back whole. */
export class UnitOfWork {
  /** Reads and single-row writes outside a transaction. */
  readonly repos: Repositories;
  private readonly caches: RepositoryCaches = { tenants: new TenantCache() };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.repos = repositories(db, this.caches);
  }

  /**
   * A transaction whose connection breaks before the commit is sent (the database restarted,
   * the connection was cut) rolled back whole, so it is run once more on a new connection. Once
   * the commit was sent nothing is repeated: it may have committed. Hooks are the attempt's own,
   * so those of the attempt that failed never run. `work` may therefore run twice: it acts only
   * through `tx` and `afterCommit`.
   */
  async run<T>(actor: Actor, work: (tx: Work) => Promise<T>): Promise<T> {
    const now = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      const hooks: Array<() => void> = [];
      let commitSent = false;
      try {
        const result = await insideTransaction.run(true, () =>
          this.db.transaction().execute(async (trx) => {
            const result = await work(this.work(trx, actor, now, hooks));
            commitSent = true;
            return result;
          }),
        );
        for (const hook of hooks) hook();
        return result;
      } catch (error) {
        if (attempt > 1 || commitSent || !isConnectionError(error)) throw error;
      }
    }
  }

  private work(trx: Kysely<Database>, actor: Actor, now: number, hooks: Array<() => void>): Work {
    const repos = repositories(trx, this.caches);
    return {
      ...repos,
      actor,
      now,
      audit: (event, details = {}) =>
        repos.auditLog.record(
          actor.tenantId,
          {
            event,
            accountId: details.accountId !== undefined ? details.accountId : actor.accountId,
            // Whoever writes the entry, a staff member acting is named (#12 A-6: every staff action).
            staffId: details.staffId !== undefined ? details.staffId : (actor.staffId ?? null),
            actorKind: actor.kind,
            subject: details.subject ?? null,
            ip: actor.ip,
            userAgent: actor.userAgent,
            // A staff member acting is named in every entry, whichever feature writes it.
            ...((details.detail || actor.staffId) && {
              detail: { ...(actor.staffId && { staffId: actor.staffId }), ...details.detail },
            }),
          },
          now,
        ),
      afterCommit: (hook) => hooks.push(hook),
    };
  }
}
