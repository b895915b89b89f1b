import type { FastifyInstance } from 'fastify';
import type { PasswordHasher } from '../password-hasher.js';
import { overloadedPage } from '../error-pages.js';
import { defaultLang, isLang, langFromAcceptLanguage } from '../i18n.js';

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
 * for seconds. This is the first hook of all: a full hasher answers a prepared page straight away,
 * in the language the browser asked for (the language cookie or Accept-Language). The cookie
 * plugin is registered after this hook is added, but before any request reaches it.
 */
export function installCapacityGuard(server: FastifyInstance, hasher: PasswordHasher, langCookie: string): void {
  server.addHook('onRequest', (request, reply, done) => {
    if (!request.routeOptions.config.hashes || !hasher.refusesNow()) return done();
    const fromCookie = server.parseCookie(request.headers.cookie ?? '')[langCookie];
    const lang = isLang(fromCookie)
      ? fromCookie
      : (langFromAcceptLanguage(request.headers['accept-language']) ?? defaultLang);
    void reply
      .status(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(overloadedPage(lang, RETRY_AFTER_SECONDS));
  });
}
