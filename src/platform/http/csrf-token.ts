import { hash } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBase64url } from '../crypto.js';

declare module 'fastify' {
  interface FastifyReply {
    /** The CSRF token for this browser's CSRF secret, made once per secret. */
    csrfToken(): string;
  }
}

const MAX_REMEMBERED = 5_000;
/** @fastify/csrf's defaults, which the plugin is registered with: its check recomputes with them. */
const SECRET_BYTES = 18;
const SALT_LENGTH = 8;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A token as @fastify/csrf makes and checks it (`<salt>-<base64url sha256 of "<salt>-<secret>">`,
 * no validity, no user info). csrf-token.test.ts checks that the plugin accepts it.
 */
export function csrfTokenFor(secret: string): string {
  let salt = '';
  for (let i = 0; i < SALT_LENGTH; i++) salt += BASE62[(62 * Math.random()) | 0];
  return `${salt}-${hash('sha256', `${salt}-${secret}`, 'base64url')}`;
}

/**
 * @fastify/csrf-protection made a fresh token for every page: check the signed secret cookie
 * (an HMAC), draw a salt, hash. A token stays valid for as long as its secret does — it is bound
 * to the browser's secret cookie, not to the page — so one token per secret serves every page
 * of that browser. Remembered only for a cookie whose signature held; a browser without the
 * cookie (or with a forged one) gets a new secret, as the plugin would make it (same length,
 * same signed cookie, same options), but from pooled random bytes and a one-shot hash: the
 * plugin's per-call randomBytes and createHash were most of a first visit's CSRF cost (#11).
 */
export function installCsrfTokenReuse(
  server: FastifyInstance,
  cookieName: string,
  cookieOptions: CookieSerializeOptions,
): void {
  const tokens = new Map<string, string>();
  server.decorateReply('csrfToken', function csrfToken(this: FastifyReply): string {
    const cookie = this.request.cookies[cookieName];
    const known = cookie === undefined ? undefined : tokens.get(cookie);
    if (known !== undefined) return known;
    const unsigned = cookie === undefined ? undefined : this.unsignCookie(cookie);
    if (cookie === undefined || !unsigned?.valid || !unsigned.value) {
      const secret = randomBase64url(SECRET_BYTES);
      this.setCookie(cookieName, secret, cookieOptions);
      return csrfTokenFor(secret);
    }
    const token = csrfTokenFor(unsigned.value);
    if (tokens.size >= MAX_REMEMBERED) tokens.delete(tokens.keys().next().value as string);
    tokens.set(cookie, token);
    return token;
  });
}
