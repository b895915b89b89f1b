import { Algorithm, hash, verify } from '@node-rs/argon2';
import PQueue from 'p-queue';
import { AppError } from './errors.js';

/** The shortest password Shomei accepts anywhere (L-5): a second password, a local-roster password. */
export const PASSWORD_MIN_LENGTH = 8;

/** OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasherOptions {
  /** Hashes running at once; more than the cores only slows every page. */
  concurrency: number;
  /** Hashes allowed to wait; past this the request is refused with 503 rather than stalled. */
  queueLimit: number;
  /** Told of each refusal, for `shomei_hash_refused_total`. */
  onRefused?: () => void;
}

/**
 * argon2id off the event loop (libuv threads), bounded so that a burst of logins cannot starve
 * the other pages, and refused quickly when the queue is full.
 */
export class PasswordHasher {
  private readonly queue: PQueue;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: PasswordHasherOptions) {
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  hash(password: string): Promise<string> {
    return this.run(() => hash(password, ARGON2_OPTIONS));
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    return this.run(() => verify(passwordHash, password).catch(() => false));
  }

  /** Spends the same time as a real check, so an unknown user cannot be told from a wrong password. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= hash('shomei-dummy-password', ARGON2_OPTIONS);
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** Hashes running or waiting. */
  get pending(): number {
    return this.queue.size + this.queue.pending;
  }

  get running(): number {
    return this.queue.pending;
  }

  get waiting(): number {
    return this.queue.size;
  }

  /**
   * Whether a new hash would be refused: every worker busy and the waiting line full. A limit of
   * 0 means "never wait", not "never run".
   */
  get saturated(): boolean {
    return this.queue.pending >= this.options.concurrency && this.queue.size >= this.options.queueLimit;
  }

  /** Whether a new hash would be refused now; a refusal is counted, and the caller answers 503 at once. */
  refusesNow(): boolean {
    if (!this.saturated) return false;
    this.options.onRefused?.();
    return true;
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    if (this.saturated) return Promise.reject(this.refusal());
    return this.queue.add(task, { throwOnTimeout: true });
  }

  private refusal(): AppError {
    this.options.onRefused?.();
    return new AppError('overloaded', { retryAfterSeconds: 2 });
  }
}
