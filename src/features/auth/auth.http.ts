import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { CookiePolicy } from '../../platform/cookies.js';
import { randomToken } from '../../platform/crypto.js';
import type { SecretHasher } from '../../platform/crypto.js';
import type { CurrentSession } from '../../platform/request-context.js';
import { tenantBase } from '../../platform/views/render.js';
import { type RequestMeta, secretPurpose } from './auth.context.js';

/**
 * Form fields arrive as strings or not at all; anything else (arrays, objects) counts as empty.
 * Control characters become U+FFFD: no field may hold them, PostgreSQL refuses NUL in text,
 * and the replacement still fails every check instead of quietly matching a shorter value.
 */
export function formField(body: unknown, name: string, maxLength = 1024): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string'
    ? value.slice(0, maxLength).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    : '';
}

export function queryField(query: unknown, name: string): string {
  return formField(query, name, 256);
}

export class AuthHttp {
  constructor(
    readonly cookies: CookiePolicy,
    private readonly secrets: SecretHasher,
  ) {}

  /** The browser's flow-binding value, created on first need; flows store only its hash. */
  meta(request: FastifyRequest, reply: FastifyReply): RequestMeta {
    let binding = request.cookies[this.cookies.flowBinding];
    if (!binding || !/^[A-Za-z0-9_-]{43}$/.test(binding)) {
      binding = randomToken();
      reply.setCookie(this.cookies.flowBinding, binding, this.cookies.options());
      request.cookies[this.cookies.flowBinding] = binding;
    }
    return {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
      lang: request.lang,
      binding: this.secrets.hash(secretPurpose.binding, binding),
    };
  }

  sessionToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.session(request.tenant.slug)];
  }

  trustToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.trustedBrowser(request.tenant.slug)];
  }

  startSession(request: FastifyRequest, reply: FastifyReply, token: string): void {
    reply.setCookie(this.cookies.session(request.tenant.slug), token, this.cookies.options());
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
