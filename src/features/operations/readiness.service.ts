import type { DatabaseHandle } from '../../db/database.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { SigningKeyService } from '../certificates/signing/signing-key.service.js';

/** A key mail queued longer than this is late enough that students notice (the alert rule's threshold). */
export const KEY_MAIL_LATE_SECONDS = 60;
/** Signers and directories are checked at most this often: a load balancer polls every few seconds. */
const DETAIL_TTL_MS = 30_000;

/**
 * What /readyz answers. Counts only: which universities are affected goes to the log, not to
 * whoever can reach the endpoint (#13).
 */
export interface Readiness {
  /** `unavailable` (503) only when this instance can serve nobody; the rest is `degraded` (200). */
  status: 'ready' | 'degraded' | 'unavailable';
  database: 'ok' | 'unavailable';
  universities?: { ok: number; invalid: number };
  signers?: { usable: number; unusable: number };
  directories?: { reachable: number; unreachable: number };
  mail?: { oldestQueuedKeyMailSeconds: number | null };
}

interface Details {
  universities: { ok: number; invalid: number };
  signers: { usable: number; unusable: number };
  directories: { reachable: number; unreachable: number };
  /** Named, for the log only. */
  problems: string[];
}

/**
 * Readiness beyond "the database answers": universities whose settings are broken, signers that
 * do not open, directories that do not answer, and how long the oldest key mail has waited. None
 * of these takes the instance out of the load balancer — every instance would share them, and
 * the other universities must still be served — so they make the answer `degraded`, not 503.
 */
export class ReadinessService {
  private details: { at: number; value: Promise<Details> } | undefined;
  private lastProblems = '';

  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'directory' | 'logger'> & {
      database: Pick<DatabaseHandle, 'ping'>;
      signingKeys: Pick<SigningKeyService, 'whyNotSigning'>;
    },
  ) {}

  async check(): Promise<Readiness> {
    const now = this.deps.clock.now();
    let oldest: number | undefined;
    let details: Details;
    try {
      await this.deps.database.ping();
      oldest = await this.deps.uow.repos.outbox.oldestUnsentAt('urgent');
      if (!this.details || now - this.details.at >= DETAIL_TTL_MS) {
        const value = this.collect();
        this.details = { at: now, value };
        value.catch(() => (this.details = undefined));
      }
      details = await this.details.value;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'database not ready');
      return { status: 'unavailable', database: 'unavailable' };
    }
    const oldestQueuedKeyMailSeconds = oldest === undefined ? null : Math.max(0, Math.floor((now - oldest) / 1000));
    const { problems, ...counts } = details;
    const late = oldestQueuedKeyMailSeconds !== null && oldestQueuedKeyMailSeconds > KEY_MAIL_LATE_SECONDS;
    const named = [...problems, ...(late ? [`key mail waiting ${oldestQueuedKeyMailSeconds} s`] : [])];
    this.logChange(named);
    return {
      status: named.length > 0 ? 'degraded' : 'ready',
      database: 'ok',
      ...counts,
      mail: { oldestQueuedKeyMailSeconds },
    };
  }

  private async collect(): Promise<Details> {
    const loaded = await this.deps.uow.repos.tenants.loadAll();
    const problems: string[] = [];
    const details: Details = {
      universities: { ok: 0, invalid: 0 },
      signers: { usable: 0, unusable: 0 },
      directories: { reachable: 0, unreachable: 0 },
      problems,
    };
    await Promise.all(
      loaded.map(async (entry) => {
        if (!entry.ok) {
          details.universities.invalid++;
          problems.push(`${entry.slug}: settings invalid`);
          return;
        }
        details.universities.ok++;
        const { tenant } = entry;
        const [notSigning, answers] = await Promise.all([
          this.deps.signingKeys.whyNotSigning(tenant),
          this.deps.directory.reachable(tenant),
        ]);
        details.signers[notSigning ? 'unusable' : 'usable']++;
        if (notSigning) problems.push(`${tenant.slug}: ${notSigning}`);
        details.directories[answers ? 'reachable' : 'unreachable']++;
        if (!answers) problems.push(`${tenant.slug}: directory not answering`);
      }),
    );
    problems.sort();
    return details;
  }

  /** The log names what is wrong once when it changes, not on every poll. */
  private logChange(problems: string[]): void {
    const summary = problems.join('; ');
    if (summary === this.lastProblems) return;
    this.lastProblems = summary;
    if (summary) this.deps.logger.warn({ problems }, 'readiness degraded');
    else this.deps.logger.info('readiness: every check passes again');
  }
}
