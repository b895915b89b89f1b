import { newId } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { Flow } from '../../flows/flow.repository.js';
import { initialState } from '../../flows/flow.state.js';
import { normalizeUserId } from '../directory/directory.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { AuthContext, RequestMeta } from './auth.context.js';
import type { EmailKeyService } from './email-key.service.js';
import type { SessionService } from './session.service.js';

export interface LoginInput {
  userId: string;
  password: string;
  secondPassword: string;
}

export type LoginResult =
  | { status: 'invalid' }
  | { status: 'emailRegistration'; flowId: string }
  | { status: 'secondPasswordSetup'; flowId: string }
  | { status: 'emailKey'; flowId: string }
  | { status: 'loggedIn'; sessionToken: string };

export interface PendingLoginContext {
  lang: string;
  binding: string;
  /**
   * Second-password setup only: an argon2 hash of the university password just typed, so the
   * new second password can be refused when equal to it (L-5) without asking the directory again
   * (an LDAP bind with a wrong password counts towards the university's lockout). Cleared when
   * the flow completes; the flow lives 30 minutes.
   */
  universityPasswordHash?: string;
}

/** The screens reached with the university password alone live as long as this. */
const SETUP_FLOW_LIFETIME_MS = 30 * 60_000;

/**
 * The Login button (§2.1–§2.3, L-1 … L-7). The university password decides whether the person
 * is the student; what is missing on the account (mail address, second password) decides the
 * next screen; a wrong combination gets one answer that names no field (L-6).
 */
export class LoginService {
  constructor(
    private readonly ctx: AuthContext,
    private readonly keys: EmailKeyService,
    private readonly sessions: SessionService,
  ) {}

  /** A login needs two hashes: when the hash queue is full, refuse before reading the form. */
  assertCapacity(): void {
    this.ctx.hasher.assertCapacity();
  }

  async login(
    tenant: Tenant,
    input: LoginInput,
    meta: RequestMeta,
    cookies: { session: string | undefined; trust: string | undefined },
  ): Promise<LoginResult> {
    const userId = normalizeUserId(input.userId);
    const ipKey = `${tenant.id}:${meta.ip}`;
    const userKey = `${tenant.id}:${userId.toLowerCase()}`;
    await this.ctx.limits.assertNotBlocked('loginFailuresPerIp', ipKey);
    const earlierFailures = await this.ctx.limits.assertNotBlocked('loginFailuresPerUser', userKey);

    const verdict = await this.ctx.directory.verify(tenant, userId, input.password);
    if (!verdict.ok) return this.fail(tenant, userId, meta, 'university_password', ipKey, userKey);

    const now = this.ctx.clock.now();
    const repos = this.ctx.store.repos;
    const account = await repos.accounts.findOrCreate(
      tenant.id,
      newId(),
      verdict.userId,
      { twoFactorEnabled: tenant.policy.twoFactorDefaultOn, lang: meta.lang },
      now,
    );

    if (!account.emailVerified)
      return {
        status: 'emailRegistration',
        flowId: await this.pendingFlow(tenant, account.id, 'email_registration', meta),
      };
    if (!account.secondPasswordHash) {
      return {
        status: 'secondPasswordSetup',
        flowId: await this.pendingFlow(
          tenant,
          account.id,
          'second_password_setup',
          meta,
          await this.ctx.hasher.hash(input.password),
        ),
      };
    }
    if (!(await this.ctx.hasher.verify(account.secondPasswordHash, input.secondPassword))) {
      return this.fail(tenant, verdict.userId, meta, 'second_password', ipKey, userKey, account.id);
    }
    if (earlierFailures > 0) await this.ctx.limits.reset('loginFailuresPerUser', userKey);
    if (account.lang !== meta.lang) await repos.accounts.setLang(tenant.id, account.id, meta.lang);

    const needsKey =
      (tenant.policy.twoFactorMandatory || account.twoFactorEnabled) &&
      !(await this.keys.isTrusted(repos, tenant, account.id, cookies.trust));
    if (needsKey) {
      const flowId = await this.ctx.store.transaction((trx) => this.keys.start(trx, tenant, account, meta));
      this.ctx.mailer.flush();
      return { status: 'emailKey', flowId };
    }
    const sessionToken = await this.ctx.store.transaction(async (trx) => {
      await trx.audit.record(
        tenant.id,
        {
          event: 'login.success',
          accountId: account.id,
          subject: account.userId,
          ip: meta.ip,
          userAgent: meta.userAgent,
          detail: { factor: cookies.trust ? 'trusted_browser' : 'none' },
        },
        now,
      );
      return this.sessions.create(trx, tenant, account.id, meta, cookies.session);
    });
    return { status: 'loggedIn', sessionToken };
  }

  private async pendingFlow(
    tenant: Tenant,
    accountId: string,
    kind: 'email_registration' | 'second_password_setup',
    meta: RequestMeta,
    universityPasswordHash?: string,
  ): Promise<string> {
    const now = this.ctx.clock.now();
    const flow: Flow<PendingLoginContext> = {
      tenantId: tenant.id,
      id: newId(),
      kind,
      state: initialState[kind],
      subjectId: accountId,
      issuedAt: now,
      expiresAt: now + SETUP_FLOW_LIFETIME_MS,
      context: { lang: meta.lang, binding: meta.binding, ...(universityPasswordHash && { universityPasswordHash }) },
    };
    await this.ctx.store.repos.flows.insert(flow);
    return flow.id;
  }

  private async fail(
    tenant: Tenant,
    userId: string,
    meta: RequestMeta,
    reason: 'university_password' | 'second_password',
    ipKey: string,
    userKey: string,
    accountId?: string,
  ): Promise<LoginResult> {
    await this.ctx.limits.penalize('loginFailuresPerIp', ipKey);
    await this.ctx.limits.penalize('loginFailuresPerUser', userKey);
    await this.ctx.store.repos.audit.record(
      tenant.id,
      {
        event: 'login.failure',
        accountId: accountId ?? null,
        subject: userId.slice(0, 100),
        ip: meta.ip,
        userAgent: meta.userAgent,
        detail: { reason },
      },
      this.ctx.clock.now(),
    );
    // The failure that reaches a limit starts a lockout: the audit log says so once.
    for (const [name, key, scope] of [
      ['loginFailuresPerUser', userKey, 'user'],
      ['loginFailuresPerIp', ipKey, 'ip'],
    ] as const) {
      if (await this.isBlocked(name, key)) {
        await this.ctx.store.repos.audit.record(
          tenant.id,
          {
            event: 'login.locked',
            accountId: accountId ?? null,
            subject: userId.slice(0, 100),
            ip: meta.ip,
            userAgent: meta.userAgent,
            detail: { scope },
          },
          this.ctx.clock.now(),
        );
      }
    }
    return { status: 'invalid' };
  }

  private isBlocked(name: 'loginFailuresPerUser' | 'loginFailuresPerIp', key: string): Promise<boolean> {
    return this.ctx.limits.assertNotBlocked(name, key).then(
      () => false,
      (error: unknown) => {
        if (error instanceof AppError && error.code === 'rate_limited') return true;
        throw error;
      },
    );
  }
}
