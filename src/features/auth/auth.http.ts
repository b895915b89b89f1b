import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Actor } from '../../platform/actor.js';
import { visitorActor } from '../../platform/http/actor.js';
import type { CookiePolicy } from '../../platform/cookies.js';
import type { SecretHasher } from '../../platform/crypto.js';
import { browserBinding } from '../../platform/http/browser-binding.js';
import { queryField } from '../../platform/http/form.js';
import type { FormStates } from '../../platform/http/form-state.js';
import { tenantBase } from '../../platform/views/render.js';
import type { CurrentSession } from './account.model.js';
import { secretPurpose } from './secret-purpose.js';

/** A device cookie outlives any trust in the browser: it only keeps strangers' failures apart. */
const KNOWN_DEVICE_DAYS = 365;

/** The student side's cookies and the actor of each request, for the routes of every feature. */
export class AuthHttp {
  constructor(
    readonly cookies: CookiePolicy,
    private readonly secrets: SecretHasher,
    /** Error answers of every student form (post/redirect/get, #10 §1). */
    readonly forms: FormStates,
  ) {}

  /**
   * The student (or visitor) acting in this request. The browser's flow-binding value is created
   * on first need; flows store only its hash.
   */
  actor(request: FastifyRequest, reply: FastifyReply): Actor {
    const binding = browserBinding(request, reply, this.cookies);
    const account = request.currentSession?.account;
    return {
      ...visitorActor(request, request.tenant.id),
      ...(account && { kind: 'student', accountId: account.id }),
      binding: this.secrets.hash(secretPurpose.binding, binding),
    };
  }

  sessionToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.session(request.tenant.slug)];
  }

  trustToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.trustedBrowser(request.tenant.slug)];
  }

  deviceToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.knownDevice(request.tenant.slug)];
  }

  /** A login succeeded: the session starts, and the browser becomes a known device of the user. */
  startSession(request: FastifyRequest, reply: FastifyReply, token: string, deviceToken: string): void {
    reply.setCookie(this.cookies.session(request.tenant.slug), token, this.cookies.options());
    reply.setCookie(
      this.cookies.knownDevice(request.tenant.slug),
      deviceToken,
      this.cookies.options(KNOWN_DEVICE_DAYS * 86_400),
    );
  }

  endSession(request: FastifyRequest, reply: FastifyReply): void {
    reply.clearCookie(this.cookies.session(request.tenant.slug), this.cookies.options());
  }

  trustBrowser(request: FastifyRequest, reply: FastifyReply, token: string): void {
    const days = request.tenant.policy.trustedBrowserDays;
    reply.setCookie(this.cookies.trustedBrowser(request.tenant.slug), token, this.cookies.options(days * 86_400));
  }

  /**
   * Logged-in pages: without a live session the student goes to the login screen, which says
   * "Please log in" to a browser that never had a session and "Your session has ended" to one
   * whose session did; after login the student comes back to the page asked for (#10 §1).
   */
  readonly requireSession: preHandlerAsyncHookHandler = async (request, reply) => {
    if (request.currentSession) return;
    const notice = this.sessionToken(request) ? 'sessionEnded' : 'loginRequired';
    const login = `${tenantBase(request)}/login?notice=${notice}`;
    await reply.redirect(request.method === 'GET' ? withReturn(login, request.url) : login, 303);
  };
}

/**
 * The page to return to after login (`?next=`): only a path of this university's own pages, so
 * the login screen can never send a student to another site or another university.
 */
export function returnPath(request: FastifyRequest): string | undefined {
  const next = queryField(request.query, 'next');
  const base = `${tenantBase(request)}/`;
  if (!next.startsWith(base) || next.startsWith(`${base}login`) || /[\\\s\u0000-\u001f\u007f]/.test(next))
    return undefined;
  const resolved = new URL(next, 'http://shomei.invalid');
  if (resolved.origin !== 'http://shomei.invalid' || !resolved.pathname.startsWith(base)) return undefined;
  return `${resolved.pathname}${resolved.search}`;
}

/** `url` carrying the page to return to after login, when there is one. */
export function withReturn(url: string, next: string | undefined): string {
  return next ? `${url}${url.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}` : url;
}

export function session(request: FastifyRequest): CurrentSession {
  if (!request.currentSession) throw new Error('route needs requireSession');
  return request.currentSession;
}
