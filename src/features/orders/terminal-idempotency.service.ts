import { createHash } from 'node:crypto';
import type { Infrastructure } from '../../infrastructure.js';

const DAY = 86_400_000;

/** How long an answer is kept for a retry: a network retries within minutes, reconciles within a day. */
export const IDEMPOTENCY_TTL_MS = DAY;

/**
 * A claim still unanswered after this long was left by an instance that stopped mid-request:
 * the key is free again (every terminal call ends well within it).
 */
export const IDEMPOTENCY_ABANDONED_MS = 120_000;

/** `Idempotency-Key` as the IETF draft has it: a string; here 1–255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type IdempotencyStart =
  | { status: 'fresh' }
  | { status: 'replay'; statusCode: number; body: string }
  | { status: 'mismatch' }
  | { status: 'in_progress' };

/** What makes two requests "the same" for a key: method, path, body and the machine's headers. */
export function requestFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Safe retries for the terminal API (#9): the first request with a key claims it, its answer is
 * stored, and a retry with the same key and the same request gets that answer without acting
 * again. The same key with another request is refused; a retry while the first still runs is
 * told to wait. Answers of failures on our side (5xx) are not kept, so a retry acts again.
 */
export class TerminalIdempotencyService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'clock'>) {}

  async begin(terminalId: string, key: string, fingerprint: string): Promise<IdempotencyStart> {
    const repo = this.deps.uow.repos.terminalIdempotency;
    const now = this.deps.clock.now();
    let stored = await repo.find(terminalId, key);
    const abandoned = stored && stored.statusCode === null && stored.createdAt <= now - IDEMPOTENCY_ABANDONED_MS;
    if (stored && (stored.expiresAt <= now || abandoned)) {
      await repo.release(terminalId, key);
      stored = undefined;
    }
    if (!stored) {
      if (await repo.claim(terminalId, key, fingerprint, now, now + IDEMPOTENCY_TTL_MS)) return { status: 'fresh' };
      stored = await repo.find(terminalId, key);
      if (!stored) return { status: 'in_progress' };
    }
    if (stored.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (stored.statusCode === null || stored.body === null) return { status: 'in_progress' };
    return { status: 'replay', statusCode: stored.statusCode, body: stored.body };
  }

  async finish(terminalId: string, key: string, statusCode: number, body: string): Promise<void> {
    const repo = this.deps.uow.repos.terminalIdempotency;
    if (statusCode >= 500) await repo.release(terminalId, key);
    else await repo.complete(terminalId, key, statusCode, body);
  }
}
