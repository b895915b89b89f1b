import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { UnitOfWork } from './unit-of-work.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Releases terminal reservations paid and never printed past the deadline (#9), and
 * removes rows nobody can use any more: ended sessions and kept form states, expired answers kept
 * for terminal retries, flows a week past their expiry (their
 * keys go with them), delivered mail after a week, and mail that never went out (given up, or
 * queued over a week ago): staff see failures for that week; trusted browsers a week after they
 * expired or were revoked (the audit log keeps what happened). Runs on every instance; the
 * deletes are idempotent.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Work of the features that belongs on the same schedule: releasing paid reservations never printed (#9). */
    private readonly tasks: { releaseUnprinted?: () => Promise<number> } = {},
  ) {}

  start(intervalMs = HOUR): void {
    this.timer = setInterval(
      () => void this.run().catch((error: unknown) => this.log.error({ err: error }, 'housekeeping failed')),
      intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<{
    sessions: number;
    flows: number;
    mails: number;
    undeliverable: number;
    forms: number;
    trustedBrowsers: number;
    retries: number;
    released: number;
    staffSessions: number;
  }> {
    const now = this.clock.now();
    const repos = this.uow.repos;
    const result = {
      sessions: await repos.sessions.deleteExpired(now),
      flows: await repos.flows.deleteExpiredBefore(now - 7 * DAY),
      mails: await repos.outbox.deleteSentBefore(now - 7 * DAY),
      undeliverable: await repos.outbox.deleteUndeliverableBefore(now - 7 * DAY),
      forms: await repos.formStates.deleteExpired(now),
      trustedBrowsers: await repos.trustedBrowsers.deleteEndedBefore(now - 7 * DAY),
      retries: await repos.terminalIdempotency.deleteExpired(now),
      released: (await this.tasks.releaseUnprinted?.()) ?? 0,
      staffSessions: await repos.staff.deleteExpiredSessions(now),
    };
    this.log.info(result, 'housekeeping done');
    return result;
  }
}
