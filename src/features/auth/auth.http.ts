import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Actor } from '../../platform/actor.js';
import { visitorActor } from '../../platform/http/actor.js';
import type { CookiePolicy } from '../../platform/cookies.js';
import { randomToken } from '../../platform/crypto.js';
import type { SecretHasher } from '../../platform/crypto.js';
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
  ) {}

  /**
   * The student (or visitor) acting in this request. The browser's flow-binding value is created
   * on first need; flows store only its hash.
   */
  actor(request: FastifyRequest, reply: FastifyReply): Actor {
    let binding = request.cookies[this.cookies.flowBinding];
    if (!binding || !/^[A-Za-z0-9_-]{43}$/.test(binding)) {
      binding = randomToken();
      reply.setCookie(this.cookies.flowBinding, binding, this.cookies.options());
      request.cookies[this.cookies.flowBinding] = binding;
    }
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

  /** Logged-in pages: without a live session the student goes back to the login screen. */
  readonly requireSession: preHandlerAsyncHookHandler = async (request, reply) => {
    if (!request.currentSession) {
      await reply.redirect(`${tenantBase(request)}/login?notice=sessionEnded`, 303);
    }
  };
}

export function session(request: FastifyRequest): CurrentSession {
  if (!request.currentSession) throw new Error('route needs requireSession');
  return request.currentSession;
}
