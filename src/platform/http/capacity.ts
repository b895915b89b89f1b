import type { FastifyInstance } from 'fastify';
import type { PasswordHasher } from '../password-hasher.js';
import { overloadedPage } from '../error-pages.js';
import { type Lang, defaultLang, isLang, langFromAcceptLanguage } from '../i18n.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route hashes passwords: refused at once, before anything else, while the hasher is full. */
    hashes?: boolean;
  }
}

const RETRY_AFTER_SECONDS = 2;

/**
 * Under a burst of logins, every refused one used to pay for the tenant lookup, cookies, body
 * parsing and the session before the hasher said no, and the refusals queued behind each other
 * for seconds. This is the first hook of all: a full hasher answers straight away with headers
 * and bytes made once per language (in the language the browser asked for: the language cookie or
 * Accept-Language), before request ids, security headers or anything else. `securityHeaders`
 * are the ones every other answer gets, since the hook that adds them has not run yet. The
 * connection stays open: the body is never parsed (Node discards what is left of it), and closing
 * made every retry pay for a new connection on both sides while the event loop was busiest
 * (`bench:login`: 503 p99 158 ms kept open against 284 ms closed, 200 connections).
 */
export function installCapacityGuard(
  server: FastifyInstance,
  hasher: PasswordHasher,
  langCookie: string,
  securityHeaders: Readonly<Record<string, string>>,
): void {
  const refusals = new Map<Lang, { headers: Record<string, string>; body: Buffer }>();
  const refusal = (lang: Lang) => {
    let made = refusals.get(lang);
    if (!made) {
      const body = Buffer.from(overloadedPage(lang, RETRY_AFTER_SECONDS));
      made = {
        headers: {
          ...securityHeaders,
          'retry-after': String(RETRY_AFTER_SECONDS),
          'cache-control': 'no-store',
          'content-type': 'text/html; charset=utf-8',
        },
        body,
      };
      refusals.set(lang, made);
    }
    return made;
  };
  server.addHook('onRequest', (request, reply, done) => {
    // `routeOptions` is a getter that builds an object: asked only while the hasher is full.
    if (!hasher.saturated || !request.routeOptions.config.hashes || !hasher.refusesNow()) return done();
    const fromCookie = server.parseCookie(request.headers.cookie ?? '')[langCookie];
    const lang = isLang(fromCookie)
      ? fromCookie
      : (langFromAcceptLanguage(request.headers['accept-language']) ?? defaultLang);
    const { headers, body } = refusal(lang);
    void reply.status(503).headers(headers).send(body);
  });
}
