import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Actor } from '../../platform/actor.js';
import type { CookiePolicy } from '../../platform/cookies.js';
import type { SecretHasher } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { visitorActor } from '../../platform/http/actor.js';
import { browserBinding } from '../../platform/http/browser-binding.js';
import { queryField } from '../../platform/http/form.js';
import type { FormStates } from '../../platform/http/form-state.js';
import { tenantBase } from '../../platform/views/render.js';
import { secretPurpose } from '../auth/secret-purpose.js';
import type { StaffSessionService } from './staff-session.service.js';
import type { CurrentStaffSession, StaffRole } from './staff.model.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in staff member, when the browser carries a live staff session of this university. */
    staffSession: CurrentStaffSession | undefined;
  }
}

const DEVICE_DAYS = 365;

export function staffBase(request: FastifyRequest): string {
  return `${tenantBase(request)}/staff`;
}

/** The staff side's cookies, actor and guards, for every staff route. */
export class StaffHttp {
  constructor(
    readonly cookies: CookiePolicy,
    private readonly secrets: SecretHasher,
    readonly forms: FormStates,
    private readonly sessions: StaffSessionService,
  ) {}

  actor(request: FastifyRequest, reply: FastifyReply): Actor {
    const binding = browserBinding(request, reply, this.cookies);
    const member = request.staffSession?.member;
    return {
      ...visitorActor(request, request.tenant.id),
      ...(member && { kind: 'staff', staffId: member.id }),
      binding: this.secrets.hash(secretPurpose.binding, binding),
    };
  }

  sessionToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.staffSession(request.tenant.slug)];
  }

  deviceToken(request: FastifyRequest): string | undefined {
    return request.cookies[this.cookies.staffDevice(request.tenant.slug)];
  }

  /** Resolves the staff session of the request; the tenant is known by now. */
  readonly resolve = async (request: FastifyRequest) => {
    const token = this.sessionToken(request);
    request.staffSession = token ? await this.sessions.resolve(request.tenant, token) : undefined;
  };

  startSession(request: FastifyRequest, reply: FastifyReply, token: string): void {
    reply.setCookie(
      this.cookies.staffSession(request.tenant.slug),
      token,
      this.cookies.staffOptions(request.tenant.slug),
    );
  }

  rememberDevice(request: FastifyRequest, reply: FastifyReply, token: string): void {
    const { slug } = request.tenant;
    reply.setCookie(this.cookies.staffDevice(slug), token, this.cookies.staffOptions(slug, DEVICE_DAYS * 86_400));
  }

  endSession(request: FastifyRequest, reply: FastifyReply): void {
    reply.clearCookie(this.cookies.staffSession(request.tenant.slug), this.cookies.staffOptions(request.tenant.slug));
  }

  /**
   * A logged-in member of this university, with one of `roles` when given (an administrator may
   * do what a registrar may). No session: the login page; the wrong role: 403.
   */
  requireStaff(role?: StaffRole): preHandlerAsyncHookHandler {
    return async (request, reply) => {
      const session = request.staffSession;
      if (!session) {
        const notice = this.sessionToken(request) ? 'sessionEnded' : 'loginRequired';
        const login = `${staffBase(request)}/login?notice=${notice}`;
        await reply.redirect(
          request.method === 'GET' ? `${login}&next=${encodeURIComponent(request.url)}` : login,
          303,
        );
        return;
      }
      if (role === 'administrator' && session.member.role !== 'administrator') throw new AppError('staff_forbidden');
    };
  }

  /**
   * Sensitive actions (#12 §1: key import, role changes, revocation): the second factor given in
   * the last five minutes, else the re-authentication page, which comes back to `returnTo`.
   */
  requireRecentAuth(
    role: StaffRole | undefined,
    returnTo: (request: FastifyRequest) => string,
  ): preHandlerAsyncHookHandler {
    const staff = this.requireStaff(role);
    return async (request, reply) => {
      await staff.call(request.server, request, reply);
      if (reply.sent || !request.staffSession) return;
      if (this.sessions.isRecent(request.staffSession)) return;
      await reply.redirect(`${staffBase(request)}/reauth?next=${encodeURIComponent(returnTo(request))}`, 303);
    };
  }
}

export function session(request: FastifyRequest): CurrentStaffSession {
  if (!request.staffSession) throw new Error('route needs requireStaff');
  return request.staffSession;
}

/** `?next=`: only a page of this university's console. */
export function staffReturnPath(request: FastifyRequest): string | undefined {
  const next = queryField(request.query, 'next');
  const base = `${staffBase(request)}`;
  if (
    !(next === base || next.startsWith(`${base}/`)) ||
    next.startsWith(`${base}/login`) ||
    /[\\\s\u0000-\u001f\u007f]/.test(next)
  )
    return undefined;
  const resolved = new URL(next, 'http://shomei.invalid');
  if (
    resolved.origin !== 'http://shomei.invalid' ||
    !(resolved.pathname === base || resolved.pathname.startsWith(`${base}/`))
  )
    return undefined;
  return `${resolved.pathname}${resolved.search}`;
}
