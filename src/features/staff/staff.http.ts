import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, preHandlerAsyncHookHandler } from 'fastify';
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
  interface FastifyContextConfig {
    /** A console page anyone may open (login, enrolment); every other one needs a staff session. */
    staffPublic?: boolean;
  }
}

/** Who may open a console route: anyone, any staff member, or administrators only. */
export type ConsoleAccess = 'public' | StaffRole;

/** A console route as registered, with the access its guards give it (the guard test walks these). */
export interface ConsoleRoute {
  method: string;
  url: string;
  access: ConsoleAccess;
  recentAuth: boolean;
}

const guardTag = Symbol('staff guard');
type TaggedGuard = preHandlerAsyncHookHandler & { [guardTag]?: { role: StaffRole; recentAuth: boolean } };

function tagged(guard: preHandlerAsyncHookHandler, role: StaffRole, recentAuth: boolean): preHandlerAsyncHookHandler {
  return Object.assign(guard, { [guardTag]: { role, recentAuth } });
}

/** The role and recency a route's preHandlers ask for: the strictest of its staff guards. */
function guardsOf(route: RouteOptions): { role: StaffRole; recentAuth: boolean } {
  const handlers = [route.preHandler ?? []].flat() as TaggedGuard[];
  const tags = handlers.map((handler) => handler[guardTag]).filter((tag) => tag !== undefined);
  return {
    role: tags.some((tag) => tag.role === 'administrator') ? 'administrator' : 'registrar',
    recentAuth: tags.some((tag) => tag.recentAuth),
  };
}

const DEVICE_DAYS = 365;

export function staffBase(request: FastifyRequest): string {
  return `${tenantBase(request)}/staff`;
}

/** The staff side's cookies, actor and guards, for every staff route. */
export class StaffHttp {
  /** Every route of the console, as registered. */
  readonly routes: ConsoleRoute[] = [];

  constructor(
    readonly cookies: CookiePolicy,
    private readonly secrets: SecretHasher,
    readonly forms: FormStates,
    private readonly sessions: StaffSessionService,
  ) {}

  /**
   * The console's scope, before its sections register: the staff session is resolved on every
   * request, and every route needs it unless it says `config: { staffPublic: true }` — a section
   * that forgets its guard is closed, not open. Roles stay with each route's requireStaff(role).
   */
  install(scope: FastifyInstance): void {
    scope.addHook('onRequest', this.resolve);
    scope.addHook('onRoute', (route) => {
      const { role, recentAuth } = guardsOf(route);
      // HEAD is the twin Fastify adds to each GET, with the same guards.
      for (const method of [route.method].flat().filter((each) => each !== 'HEAD'))
        this.routes.push({
          method,
          url: route.url,
          access: route.config?.staffPublic ? 'public' : role,
          recentAuth,
        });
    });
    scope.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.staffPublic) await this.signedIn(request, reply);
    });
  }

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
    return tagged(
      async (request, reply) => {
        const session = await this.signedIn(request, reply);
        if (session && role === 'administrator' && session.member.role !== 'administrator')
          throw new AppError('staff_forbidden');
      },
      role ?? 'registrar',
      false,
    );
  }

  /** The session, or the login page (a GET comes back to where it was going). */
  private async signedIn(request: FastifyRequest, reply: FastifyReply): Promise<CurrentStaffSession | undefined> {
    const session = request.staffSession;
    if (session || reply.sent) return session;
    const notice = this.sessionToken(request) ? 'sessionEnded' : 'loginRequired';
    const login = `${staffBase(request)}/login?notice=${notice}`;
    await reply.redirect(request.method === 'GET' ? `${login}&next=${encodeURIComponent(request.url)}` : login, 303);
    return undefined;
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
    return tagged(
      async (request, reply) => {
        await staff.call(request.server, request, reply);
        if (reply.sent || !request.staffSession) return;
        if (this.sessions.isRecent(request.staffSession)) return;
        await reply.redirect(`${staffBase(request)}/reauth?next=${encodeURIComponent(returnTo(request))}`, 303);
      },
      role ?? 'registrar',
      true,
    );
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
