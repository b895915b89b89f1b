import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { UnitOfWork } from './db/unit-of-work.js';
import type { Directory } from './features/directory/directory.js';
import type { Mailer } from './features/mail/mailer.js';
import type { Clock } from './platform/clock.js';
import type { Metrics } from './platform/metrics.js';
import type { SecretBox, SecretHasher } from './platform/crypto.js';
import type { PasswordHasher } from './platform/password-hasher.js';
import type { RateLimits } from './platform/rate-limit.js';

/**
 * The shared parts createServices builds once. A service asks for the few it uses
 * (`Pick<Infrastructure, 'uow' | 'clock'>`) plus the services it calls, in one typed object.
 */
export interface Infrastructure {
  config: Config;
  uow: UnitOfWork;
  clock: Clock;
  secrets: SecretHasher;
  /** Seals secrets that must be read back (signing-key passphrases, the setup proof, queued mail). */
  box: SecretBox;
  hasher: PasswordHasher;
  limits: RateLimits;
  directory: Directory;
  mailer: Mailer;
  logger: Logger;
  /** Counters of what happens (logins, mail, terminal calls, certificates); no-ops when metrics are off. */
  metrics: Metrics;
}
