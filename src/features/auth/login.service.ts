import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import type { LoginOutcome } from '../../platform/metrics.js';
import { newId } from '../../platform/crypto.js';
import type { BoundContext } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { normalizeUserId } from '../directory/directory.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { EmailKeyService } from './email-key.service.js';
import { issueDeviceToken, recognizeDevice } from './known-device.js';
import { type LoginAttempt, LoginLockout, lockoutUserId, userKeyOf } from './login-lockout.js';
import type { SessionService } from './session.service.js';

export interface LoginInput {
  userId: string;
  password: string;
  secondPassword: string;
}

export type LoginResult =
  | { status: 'invalid' }
  /** Too many failures for this attempt's counters: try again at `retryAt` (clock time). */
  | { status: 'locked'; retryAt: number; retryAfterSeconds: number }
  | { status: 'emailRegistration'; flowId: string }
  /** `universityPasswordSeal` goes to the browser (a cookie), never to the database. */
  | { status: 'secondPasswordSetup'; flowId: string; universityPasswordSeal: string }
  | { status: 'emailKey'; flowId: string }
  | { status: 'loggedIn'; sessionToken: string; deviceToken: string };

export type PendingLoginContext = BoundContext;

type LoginCookies = { session: string | undefined; trust: string | undefined; device: string | undefined };

/** First-time steps (mail address, second password) are neither a login nor a failure. */
const LOGIN_OUTCOMES: Partial<Record<LoginResult['status'], LoginOutcome>> = {
  invalid: 'wrong_credentials',
  locked: 'locked',
  emailKey: 'key_sent',
  loggedIn: 'success',
};

/** The screens reached with the university password alone live as long as this. */
const SETUP_FLOW_LIFETIME_MS = 30 * 60_000;

/**
 * The Login button (§2.1–§2.3, L-1 … L-7). The university password decides whether the person
 * is the student; what is missing on the account (mail address, second password) decides the
 * next screen; a wrong combination gets one answer that names no field (L-6).
 */
export class LoginService {
  private readonly lockout: LoginLockout;

  constructor(
    private readonly deps: Pick<
      Infrastructure,
      'uow' | 'clock' | 'hasher' | 'directory' | 'limits' | 'box' | 'secrets' | 'metrics'
    > & {
      flows: FlowService;
      keys: EmailKeyService;
      sessions: SessionService;
    },
  ) {
    this.lockout = new LoginLockout(deps.limits);
  }

  async login(tenant: Tenant, input: LoginInput, actor: Actor, cookies: LoginCookies): Promise<LoginResult> {
    const result = await this.attempt(tenant, input, actor, cookies);
    const outcome = LOGIN_OUTCOMES[result.status];
    if (outcome) this.deps.metrics.login(tenant.slug, outcome);
    return result;
  }

  private async attempt(tenant: Tenant, input: LoginInput, actor: Actor, cookies: LoginCookies): Promise<LoginResult> {
    const { uow, hasher } = this.deps;
    const userId = normalizeUserId(input.userId);
    const userKey = userKeyOf(tenant.id, userId);
    const unlock = await uow.repos.loginUnlocks.find(tenant.id, lockoutUserId(userId));
    const attempt: LoginAttempt = {
      userKey,
      addressKey: `${tenant.id}:${actor.ip ?? ''}`,
      deviceId: recognizeDevice(this.deps.secrets, userKey, cookies.device),
      generation: unlock?.generation ?? 0,
    };
    const waitSeconds = await this.lockout.waitSeconds(attempt);
    if (waitSeconds > 0)
      return { status: 'locked', retryAt: this.deps.clock.now() + waitSeconds * 1000, retryAfterSeconds: waitSeconds };

    const verdict = await this.deps.directory.verify(tenant, userId, input.password);
    if (!verdict.ok) return this.fail(userId, actor, 'university_password', attempt);

    const account = await uow.repos.accounts.findOrCreate(
      tenant.id,
      newId(),
      verdict.userId,
      { twoFactorEnabled: tenant.policy.twoFactorDefaultOn, lang: actor.lang },
      this.deps.clock.now(),
    );

    if (account.secondPasswordHash && account.emailVerified) {
      if (!(await hasher.verify(account.secondPasswordHash, input.secondPassword)))
        return this.fail(verdict.userId, actor, 'second_password', attempt, account.id);
    }
    // Every password the account has so far was right.
    await this.lockout.succeeded(attempt);

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
    const deviceToken = issueDeviceToken(this.deps.secrets, userKeyOf(tenant.id, account.userId));
    return { status: 'loggedIn', sessionToken, deviceToken };
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
    attempt: LoginAttempt,
    accountId?: string,
  ): Promise<LoginResult> {
    // The failure that reaches a ceiling starts a lockout: the audit log says so.
    const lockedScopes = await this.lockout.failed(attempt);
    const subject = userId.slice(0, 100);
    const device = attempt.deviceId ? 'known' : 'unknown';
    await this.deps.uow.run(actor, async (tx) => {
      await tx.audit('login.failure', { accountId: accountId ?? null, subject, detail: { reason, device } });
      for (const scope of lockedScopes)
        await tx.audit('login.locked', { accountId: accountId ?? null, subject, detail: { scope } });
    });
    return { status: 'invalid' };
  }
}
