import { constantTimeEqual, sha256 } from '../../platform/crypto.js';

export type TerminalKind = 'campus' | 'convenience';

/** A print terminal with its own credentials (C-5): a campus printer, or a store network gateway. */
export interface Terminal {
  id: string;
  /** Null for a convenience-store network gateway, which serves every university. */
  tenantId: string | null;
  kind: TerminalKind;
  name: string;
  secretHash: string;
}

/** A terminal as the console lists it (#12 §4). */
export interface TerminalListing {
  id: string;
  tenantId: string | null;
  kind: TerminalKind;
  name: string;
  active: boolean;
  createdAt: number;
  lastSeenAt: number | null;
}

const HASH_PREFIX = 'sha256:';

/**
 * The terminal simulator's own terminals carry this prefix (`shomei terminal create` makes
 * `campus-…` and `store-…`): ordinary records, refused whenever the simulator is off, so a
 * database that once ran with it keeps no working gateway in production (#9).
 */
export const SIMULATOR_TERMINAL_PREFIX = 'sim-';

/**
 * How a terminal's secret is stored: a plain SHA-256, keyed by nothing. The secret is ≥ 96
 * random bits (`shomei terminal create` makes 256), so no dictionary reaches it, and rotating
 * SECRET_KEY leaves every terminal working (#13). Hashes from before carry no prefix: they are
 * HMACs under the server key, accepted and replaced on the terminal's next call.
 */
export function terminalSecretHash(secret: string): string {
  return `${HASH_PREFIX}${sha256(secret)}`;
}

export function isKeylessTerminalHash(stored: string): boolean {
  return stored.startsWith(HASH_PREFIX);
}

export function terminalSecretMatches(secret: string, stored: string): boolean {
  return isKeylessTerminalHash(stored) && constantTimeEqual(terminalSecretHash(secret), stored);
}
