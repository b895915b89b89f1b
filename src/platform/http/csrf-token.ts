import type { FastifyInstance, FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyReply {
    /** The CSRF token for this browser's CSRF secret, made once per secret. */
    csrfToken(): string;
  }
}

const MAX_REMEMBERED = 5_000;

/**
 * @fastify/csrf-protection made a fresh token for every page: check the signed secret cookie
 * (an HMAC), draw a salt, hash. A token stays valid for as long as its secret does — it is bound
 * to the browser's secret cookie, not to the page — so one token per secret serves every page
 * of that browser. Remembered only for a cookie whose signature held; a browser without the
 * cookie (or with a forged one) gets a new secret from the plugin as before.
 */
export function installCsrfTokenReuse(server: FastifyInstance, cookieName: string): void {
  const tokens = new Map<string, string>();
  server.decorateReply('csrfToken', function csrfToken(this: FastifyReply): string {
    const cookie = this.request.cookies[cookieName];
    const known = cookie === undefined ? undefined : tokens.get(cookie);
    if (known !== undefined) return known;
    const token = this.generateCsrf();
    if (cookie !== undefined && this.unsignCookie(cookie).valid) {
      if (tokens.size >= MAX_REMEMBERED) tokens.delete(tokens.keys().next().value as string);
      tokens.set(cookie, token);
    }
    return token;
  });
}
