import { randomToken, type SecretHasher } from '../../platform/crypto.js';
import { secretPurpose } from './secret-purpose.js';

/**
 * OWASP's device cookie: a browser that has logged in as a user carries a token the server key
 * vouches for, naming that user. Nothing is stored; the token's random part is the device id
 * its own failure counter is keyed by (login-lockout.ts). A token of one user is nothing for
 * another user, so an attacker's own device cookie does not help against anyone else.
 */
export function issueDeviceToken(secrets: SecretHasher, userKey: string): string {
  const deviceId = randomToken(16);
  return `${deviceId}.${secrets.hash(secretPurpose.knownDevice, `${userKey}:${deviceId}`)}`;
}

/** The device id when `token` was issued to this browser for `userKey`; otherwise undefined. */
export function recognizeDevice(secrets: SecretHasher, userKey: string, token: string | undefined): string | undefined {
  const [deviceId, mac, ...rest] = token?.split('.') ?? [];
  if (!deviceId || !mac || rest.length > 0) return undefined;
  return secrets.matches(secretPurpose.knownDevice, `${userKey}:${deviceId}`, mac) ? deviceId : undefined;
}
