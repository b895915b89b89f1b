import type { Config } from '../../config.js';
import type { Store } from '../../db/repositories.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretHasher } from '../../platform/crypto.js';
import type { Lang } from '../../platform/i18n.js';
import type { PasswordHasher } from '../../platform/password-hasher.js';
import type { RateLimits } from '../../platform/rate-limit.js';
import type { Directory } from '../directory/directory.js';
import type { Mailer } from '../mail/mailer.js';

/** What the auth services share; built once in app.ts. */
export interface AuthContext {
  config: Config;
  store: Store;
  clock: Clock;
  secrets: SecretHasher;
  hasher: PasswordHasher;
  directory: Directory;
  limits: RateLimits;
  mailer: Mailer;
}

/** Facts about the request a service may record or bind to; no HTTP types past the routes. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
  lang: Lang;
  /** Hash of this browser's flow-binding cookie. */
  binding: string;
}

/** Purposes for keyed hashes, so a token of one kind can never be replayed as another. */
export const secretPurpose = {
  flowToken: 'flow-token',
  authKey: 'auth-key',
  session: 'session',
  trustedBrowser: 'trusted-browser',
  binding: 'flow-binding',
} as const;
