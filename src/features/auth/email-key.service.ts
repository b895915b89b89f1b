import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { newId, randomDigits, randomToken } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { formatDateTime } from '../../platform/format.js';
import type { BoundContext, Flow } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { transition } from '../../flows/flow.state.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Account } from './account.model.js';
import { issueDeviceToken } from './known-device.js';
import { userKeyOf } from './login-lockout.js';
import { secretPurpose } from './secret-purpose.js';
import type { SessionService } from './session.service.js';

export type KeyFlowContext = BoundContext;

/** How long the key screen stays usable; each key inside it lives for the tenant's key lifetime. */
const KEY_FLOW_LIFETIME_MS = 30 * 60_000;

/**
 * What the key screen shows (L-8, #10): the key's state — live, invalidated by wrong entries, or
 * expired — and from when Reissue will answer, so a dead key never reads as "key sent".
 */
export type KeyScreen =
  | {
      status: 'ok';
      flow: Flow<KeyFlowContext>;
      expiresAt: number;
      keyState: 'live' | 'invalidated' | 'expired';
      invalidated: boolean;
      reissueAt: number;
      /** 0 when Reissue answers now. */
      reissueInSeconds: number;
    }
  | { status: 'gone' };

export type AuthenticateResult =
  | { status: 'authenticated'; sessionToken: string; trustToken: string | undefined; deviceToken: string }
  | { status: 'wrong'; remaining: number }
  | { status: 'invalidated' }
  | { status: 'expired' }
  | { status: 'gone' };

export type ReissueResult =
  | { status: 'sent'; expiresAt: number }
  | { status: 'cooldown'; seconds: number; reissueAt: number }
  | { status: 'gone' };

/**
 * Email two-factor authentication (§2.3 steps 4–7, §2.6, L-7, L-8, L-19). The key belongs to one
 * login attempt (the flow), is stored as a keyed hash, and dies after the tenant's number of
 * wrong entries. A reissue retires the earlier key, waits out a cooldown, and carries the wrong
 * entries over; only a key killed by the limit is followed by a fresh count, as §2.6 promises,
 * and the per-account limit on wrong keys bounds the total.
 */
export class EmailKeyService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'secrets' | 'limits' | 'mailer' | 'metrics'> & {
      flows: FlowService;
      sessions: SessionService;
    },
  ) {}

  async start(tx: Work, tenant: Tenant, account: Account): Promise<string> {
    const flow = await this.deps.flows.start<KeyFlowContext>(tx, {
      tenantId: tenant.id,
      kind: 'email_key',
      subjectId: account.id,
      lifetimeMs: KEY_FLOW_LIFETIME_MS,
      context: { lang: tx.actor.lang, binding: tx.actor.binding },
    });
    await this.issue(tx, tenant, account, flow.id, 0);
    return flow.id;
  }

  async screen(tenant: Tenant, flowId: string, actor: Actor): Promise<KeyScreen> {
    const flow = await this.liveFlow(tenant, flowId, actor);
    if (!flow) return { status: 'gone' };
    const key = await this.deps.uow.repos.keys.findCurrent(tenant.id, flow.id);
    if (!key) return { status: 'gone' };
    const invalidated = key.failedAttempts >= tenant.policy.keyMaxAttempts;
    const now = this.deps.clock.now();
    const reissueAt = key.issuedAt + tenant.policy.keyReissueCooldownSeconds * 1000;
    return {
      status: 'ok',
      flow,
      expiresAt: key.expiresAt,
      keyState: invalidated ? 'invalidated' : key.expiresAt <= now ? 'expired' : 'live',
      invalidated,
      reissueAt,
      reissueInSeconds: Math.max(0, Math.ceil((reissueAt - now) / 1000)),
    };
  }

  async authenticate(
    tenant: Tenant,
    flowId: string,
    typedKey: string,
    actor: Actor,
    previousSessionToken: string | undefined,
  ): Promise<AuthenticateResult> {
    const { uow, limits, secrets } = this.deps;
    const flow = await this.liveFlow(tenant, flowId, actor);
    if (!flow?.subjectId) return { status: 'gone' };
    const accountId = flow.subjectId;
    const limit = tenant.policy.keyMaxAttempts;
    await limits.assertNotBlocked('keyFailuresPerAccount', `${tenant.id}:${accountId}`);

    const key = await uow.repos.keys.findCurrent(tenant.id, flow.id);
    if (!key || key.usedAt !== null) return { status: 'gone' };
    if (key.failedAttempts >= limit) return { status: 'invalidated' };
    if (key.expiresAt <= this.deps.clock.now()) return { status: 'expired' };

    const normalized = typedKey.normalize('NFKC').replace(/\s+/g, '');
    if (secrets.matches(secretPurpose.authKey, `${flow.id}:${normalized}`, key.keyHash)) {
      const trustToken = tenant.policy.trustedBrowserDays > 0 ? randomToken() : undefined;
      const sessionToken = await uow.run(actor, async (tx) => {
        if (!(await tx.keys.consume(tenant.id, key.id, limit, tx.now))) return undefined;
        const next = transition('email_key', flow.state, 'authenticate');
        if (!(await tx.flows.advance(tenant.id, flow.id, flow.state, next, tx.now))) return undefined;
        if (trustToken) {
          await tx.trustedBrowsers.insert(
            tenant.id,
            {
              id: newId(),
              accountId,
              userAgent: actor.userAgent.slice(0, 300),
              ip: actor.ip ?? '',
              createdAt: tx.now,
              lastUsedAt: tx.now,
              expiresAt: tx.now + tenant.policy.trustedBrowserDays * 86_400_000,
            },
            secrets.hash(secretPurpose.trustedBrowser, trustToken),
          );
          await tx.audit('trusted_browser.added', { accountId });
        }
        await tx.audit('key.success', { accountId });
        await tx.audit('login.success', { accountId, detail: { factor: 'email_key' } });
        return this.deps.sessions.create(tx, tenant, accountId, previousSessionToken);
      });
      if (!sessionToken) return { status: 'gone' };
      const account = await uow.repos.accounts.findById(tenant.id, accountId);
      if (!account) return { status: 'gone' };
      const deviceToken = issueDeviceToken(secrets, userKeyOf(tenant.id, account.userId));
      this.deps.metrics.login(tenant.slug, 'success');
      return { status: 'authenticated', sessionToken, trustToken, deviceToken };
    }

    const failures = await uow.repos.keys.recordFailure(tenant.id, key.id, limit);
    // Only a guess the key could have answered counts against the account: racing entries on a
    // key already dead must not lock the student out of the "invalidated" dialog and Reissue.
    if (failures !== undefined) {
      await limits.penalize('keyFailuresPerAccount', `${tenant.id}:${accountId}`);
      this.deps.metrics.login(tenant.slug, 'key_failed');
    }
    await uow.run(actor, async (tx) => {
      await tx.audit('key.failure', { accountId, detail: { failures } });
      if (failures === limit) await tx.audit('key.invalidated', { accountId });
    });
    if (failures === undefined || failures >= limit) return { status: 'invalidated' };
    return { status: 'wrong', remaining: limit - failures };
  }

  async reissue(tenant: Tenant, flowId: string, actor: Actor): Promise<ReissueResult> {
    const { uow } = this.deps;
    const flow = await this.liveFlow(tenant, flowId, actor);
    if (!flow?.subjectId) return { status: 'gone' };
    const account = await uow.repos.accounts.findById(tenant.id, flow.subjectId);
    if (!account) return { status: 'gone' };
    const cooldownMs = tenant.policy.keyReissueCooldownSeconds * 1000;
    const now = this.deps.clock.now();
    const current = await uow.repos.keys.findCurrent(tenant.id, flow.id);
    if (current && current.issuedAt + cooldownMs > now) {
      const reissueAt = current.issuedAt + cooldownMs;
      return { status: 'cooldown', seconds: Math.ceil((reissueAt - now) / 1000), reissueAt };
    }
    await this.deps.limits.consume('keyReissuesPerAccount', `${tenant.id}:${account.id}`);
    const expiresAt = await uow.run(actor, async (tx) => {
      const retired = await tx.keys.supersedeCurrent(tenant.id, flow.id, tx.now - cooldownMs, tx.now);
      if (!retired) return undefined;
      const carried = retired.failedAttempts >= tenant.policy.keyMaxAttempts ? 0 : retired.failedAttempts;
      return this.issue(tx, tenant, account, flow.id, carried);
    });
    if (expiresAt === undefined)
      return { status: 'cooldown', seconds: Math.max(1, Math.ceil(cooldownMs / 1000)), reissueAt: now + cooldownMs };
    this.deps.metrics.login(tenant.slug, 'key_sent');
    return { status: 'sent', expiresAt };
  }

  private async issue(
    tx: Work,
    tenant: Tenant,
    account: Account,
    flowId: string,
    failedAttempts: number,
  ): Promise<number> {
    if (!account.email) throw new AppError('internal', { cause: new Error('email key for an account without email') });
    const key = randomDigits(tenant.policy.keyLength);
    const expiresAt = tx.now + tenant.policy.keyLifetimeMinutes * 60_000;
    await tx.keys.insert(tenant.id, {
      id: newId(),
      flowId,
      accountId: account.id,
      keyHash: this.deps.secrets.hash(secretPurpose.authKey, `${flowId}:${key}`),
      issuedAt: tx.now,
      expiresAt,
      failedAttempts,
      usedAt: null,
    });
    await this.deps.mailer.queue(tx, tenant, {
      event: 'authKey',
      lang: tx.actor.lang,
      to: account.email,
      params: { key, expiry: formatDateTime(expiresAt, tx.actor.lang), userId: account.userId },
    });
    await tx.audit('key.sent', { accountId: account.id });
    return expiresAt;
  }

  private liveFlow(tenant: Tenant, flowId: string, actor: Actor): Promise<Flow<KeyFlowContext> | undefined> {
    return this.deps.flows.findLive<KeyFlowContext>(this.deps.uow.repos, tenant.id, 'email_key', flowId, {
      binding: actor.binding,
      states: ['awaiting_key'],
    });
  }

  /** Whether this browser carries a live trust cookie for the account (then no key is asked). */
  async isTrusted(tenant: Tenant, accountId: string, trustToken: string | undefined): Promise<boolean> {
    if (!trustToken) return false;
    return this.deps.uow.repos.trustedBrowsers.touchIfTrusted(
      tenant.id,
      accountId,
      this.deps.secrets.hash(secretPurpose.trustedBrowser, trustToken),
      this.deps.clock.now(),
    );
  }
}
