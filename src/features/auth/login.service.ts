import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { newId } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { LimitName } from '../../platform/rate-limit.js';
import type { BoundContext } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { normalizeUserId } from '../directory/directory.js';
import type { Tenant } from '../tenants/tenant.model.js';
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
  /** `universityPasswordSeal` goes to the browser (a cookie), never to the database. */
  | { status: 'secondPasswordSetup'; flowId: string; universityPasswordSeal: string }
  | { status: 'emailKey'; flowId: string }
  | { status: 'loggedIn'; sessionToken: string };

export type PendingLoginContext = BoundContext;

/** The screens reached with the university password alone live as long as this. */
const SETUP_FLOW_LIFETIME_MS = 30 * 60_000;

type LoginLimit = Extract<LimitName, 'loginFailuresPerUser' | 'loginFailuresPerIp'>;

/**
 * The Login button (§2.1–§2.3, L-1 … L-7). The university password decides whether the person
 * is the student; what is missing on the account (mail address, second password) decides the
 * next screen; a wrong combination gets one answer that names no field (L-6).
 */
export class LoginService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'hasher' | 'directory' | 'limits' | 'box'> & {
      flows: FlowService;
      keys: EmailKeyService;
      sessions: SessionService;
    },
  ) {}

  /** A login needs two hashes: when the hash queue is full, refuse before reading the form. */
  assertCapacity(): void {
    this.deps.hasher.assertCapacity();
  }

  async login(
    tenant: Tenant,
    input: LoginInput,
    actor: Actor,
    cookies: { session: string | undefined; trust: string | undefined },
  ): Promise<LoginResult> {
    const { uow, limits, hasher } = this.deps;
    const userId = normalizeUserId(input.userId);
    const keys = {
      loginFailuresPerIp: `${tenant.id}:${actor.ip}`,
      loginFailuresPerUser: `${tenant.id}:${userId.toLowerCase()}`,
    };
    await limits.assertNotBlocked('loginFailuresPerIp', keys.loginFailuresPerIp);
    const earlierFailures = await limits.assertNotBlocked('loginFailuresPerUser', keys.loginFailuresPerUser);

    const verdict = await this.deps.directory.verify(tenant, userId, input.password);
    if (!verdict.ok) return this.fail(userId, actor, 'university_password', keys);

    const account = await uow.repos.accounts.findOrCreate(
      tenant.id,
      newId(),
      verdict.userId,
      { twoFactorEnabled: tenant.policy.twoFactorDefaultOn, lang: actor.lang },
      this.deps.clock.now(),
    );

    if (!account.emailVerified)
      return {
        status: 'emailRegistration',
        flowId: await this.pendingFlow(tenant, account.id, 'email_registration', actor),
      };
    if (!account.secondPasswordHash) {
      const flowId = await this.pendingFlow(tenant, account.id, 'second_password_setup', actor);
      // The new second password must not be the university password (L-5), and an LDAP bind to
      // compare it later would count towards the university's lockout: the browser keeps the
      // password's argon2 hash, sealed with the server key and bound to this flow.
      const universityPasswordSeal = this.deps.box.seal(`${flowId}:${await hasher.hash(input.password)}`);
      return { status: 'secondPasswordSetup', flowId, universityPasswordSeal };
    }
    if (!(await hasher.verify(account.secondPasswordHash, input.secondPassword))) {
      return this.fail(verdict.userId, actor, 'second_password', keys, account.id);
    }
    if (earlierFailures > 0) await limits.reset('loginFailuresPerUser', keys.loginFailuresPerUser);
    if (account.lang !== actor.lang) await uow.repos.accounts.setLang(tenant.id, account.id, actor.lang);

    const needsKey =
      (tenant.policy.twoFactorMandatory || account.twoFactorEnabled) &&
      !(await this.deps.keys.isTrusted(tenant, account.id, cookies.trust));
    if (needsKey) {
      const flowId = await uow.run(actor, (tx) => this.deps.keys.start(tx, tenant, account));
      return { status: 'emailKey', flowId };
    }
    const sessionToken = await uow.run(actor, async (tx) => {
      await tx.audit('login.success', {
        accountId: account.id,
        subject: account.userId,
        detail: { factor: cookies.trust ? 'trusted_browser' : 'none' },
      });
      return this.deps.sessions.create(tx, tenant, account.id, cookies.session);
    });
    return { status: 'loggedIn', sessionToken };
  }

  private async pendingFlow(
    tenant: Tenant,
    accountId: string,
    kind: 'email_registration' | 'second_password_setup',
    actor: Actor,
  ): Promise<string> {
    const context: PendingLoginContext = { lang: actor.lang, binding: actor.binding };
    const flow = await this.deps.flows.start(this.deps.uow.repos, {
      tenantId: tenant.id,
      kind,
      subjectId: accountId,
      lifetimeMs: SETUP_FLOW_LIFETIME_MS,
      context,
    });
    return flow.id;
  }

  private async fail(
    userId: string,
    actor: Actor,
    reason: 'university_password' | 'second_password',
    keys: Record<LoginLimit, string>,
    accountId?: string,
  ): Promise<LoginResult> {
    const { limits, uow } = this.deps;
    await limits.penalize('loginFailuresPerIp', keys.loginFailuresPerIp);
    await limits.penalize('loginFailuresPerUser', keys.loginFailuresPerUser);
    // The failure that reaches a limit starts a lockout: the audit log says so once.
    const lockedScopes: Array<'user' | 'ip'> = [];
    if (await this.isBlocked('loginFailuresPerUser', keys.loginFailuresPerUser)) lockedScopes.push('user');
    if (await this.isBlocked('loginFailuresPerIp', keys.loginFailuresPerIp)) lockedScopes.push('ip');
    const subject = userId.slice(0, 100);
    await uow.run(actor, async (tx) => {
      await tx.audit('login.failure', { accountId: accountId ?? null, subject, detail: { reason } });
      for (const scope of lockedScopes)
        await tx.audit('login.locked', { accountId: accountId ?? null, subject, detail: { scope } });
    });
    return { status: 'invalid' };
  }

  private isBlocked(name: LoginLimit, key: string): Promise<boolean> {
    return this.deps.limits.assertNotBlocked(name, key).then(
      () => false,
      (error: unknown) => {
        if (error instanceof AppError && error.code === 'rate_limited') return true;
        throw error;
      },
    );
  }
}
