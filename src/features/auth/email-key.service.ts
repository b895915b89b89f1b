import type { Repositories } from '../../db/repositories.js';
import { newId, randomDigits, randomToken } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { formatDateTime } from '../../platform/format.js';
import type { Flow } from '../../flows/flow.repository.js';
import { initialState, transition } from '../../flows/flow.state.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Account } from './account.repository.js';
import { type AuthContext, type RequestMeta, secretPurpose } from './auth.context.js';
import type { SessionService } from './session.service.js';

export interface KeyFlowContext {
  lang: string;
  binding: string;
}

/** How long the key screen stays usable; each key inside it lives for the tenant's key lifetime. */
const KEY_FLOW_LIFETIME_MS = 30 * 60_000;

export type KeyScreen =
  { status: 'ok'; flow: Flow<KeyFlowContext>; expiresAt: number; invalidated: boolean } | { status: 'gone' };

export type AuthenticateResult =
  | { status: 'authenticated'; sessionToken: string; trustToken: string | undefined }
  | { status: 'wrong'; remaining: number }
  | { status: 'invalidated' }
  | { status: 'expired' }
  | { status: 'gone' };

export type ReissueResult =
  { status: 'sent'; expiresAt: number } | { status: 'cooldown'; seconds: number } | { status: 'gone' };

/**
 * Email two-factor authentication (§2.3 steps 4–7, §2.6, L-7, L-8, L-19). The key belongs to one
 * login attempt (the flow), is stored as a keyed hash, and dies after the tenant's number of
 * wrong entries. A reissue retires the earlier key, waits out a cooldown, and carries the wrong
 * entries over; only a key killed by the limit is followed by a fresh count, as §2.6 promises,
 * and the per-account limit on wrong keys bounds the total.
 */
export class EmailKeyService {
  constructor(
    private readonly ctx: AuthContext,
    private readonly sessions: SessionService,
  ) {}

  async start(repos: Repositories, tenant: Tenant, account: Account, meta: RequestMeta): Promise<string> {
    const now = this.ctx.clock.now();
    const flow: Flow<KeyFlowContext> = {
      tenantId: tenant.id,
      id: newId(),
      kind: 'email_key',
      state: initialState.email_key,
      subjectId: account.id,
      issuedAt: now,
      expiresAt: now + KEY_FLOW_LIFETIME_MS,
      context: { lang: meta.lang, binding: meta.binding },
    };
    await repos.flows.insert(flow);
    await this.issue(repos, tenant, account, flow.id, 0, meta, now);
    return flow.id;
  }

  async screen(tenant: Tenant, flowId: string, meta: RequestMeta): Promise<KeyScreen> {
    const flow = await this.liveFlow(tenant, flowId, meta);
    if (!flow) return { status: 'gone' };
    const key = await this.ctx.store.repos.keys.findCurrent(tenant.id, flow.id);
    if (!key) return { status: 'gone' };
    return {
      status: 'ok',
      flow,
      expiresAt: key.expiresAt,
      invalidated: key.failedAttempts >= tenant.policy.keyMaxAttempts,
    };
  }

  async authenticate(
    tenant: Tenant,
    flowId: string,
    typedKey: string,
    meta: RequestMeta,
    previousSessionToken: string | undefined,
  ): Promise<AuthenticateResult> {
    const flow = await this.liveFlow(tenant, flowId, meta);
    if (!flow?.subjectId) return { status: 'gone' };
    const accountId = flow.subjectId;
    const limit = tenant.policy.keyMaxAttempts;
    await this.ctx.limits.assertNotBlocked('keyFailuresPerAccount', `${tenant.id}:${accountId}`);

    const repos = this.ctx.store.repos;
    const key = await repos.keys.findCurrent(tenant.id, flow.id);
    if (!key || key.usedAt !== null) return { status: 'gone' };
    if (key.failedAttempts >= limit) return { status: 'invalidated' };
    const now = this.ctx.clock.now();
    if (key.expiresAt <= now) return { status: 'expired' };

    const normalized = typedKey.normalize('NFKC').replace(/\s+/g, '');
    if (this.ctx.secrets.matches(secretPurpose.authKey, `${flow.id}:${normalized}`, key.keyHash)) {
      const trustToken = tenant.policy.trustedBrowserDays > 0 ? randomToken() : undefined;
      const sessionToken = await this.ctx.store.transaction(async (trx) => {
        if (!(await trx.keys.consume(tenant.id, key.id, limit, now))) return undefined;
        if (
          !(await trx.flows.advance(
            tenant.id,
            flow.id,
            flow.state,
            transition('email_key', flow.state, 'authenticate'),
            now,
          ))
        ) {
          return undefined;
        }
        if (trustToken) {
          await trx.trustedBrowsers.insert(
            tenant.id,
            {
              id: newId(),
              accountId,
              userAgent: meta.userAgent.slice(0, 300),
              ip: meta.ip,
              createdAt: now,
              lastUsedAt: now,
              expiresAt: now + tenant.policy.trustedBrowserDays * 86_400_000,
            },
            this.ctx.secrets.hash(secretPurpose.trustedBrowser, trustToken),
          );
          await trx.audit.record(
            tenant.id,
            { event: 'trusted_browser.added', accountId, ip: meta.ip, userAgent: meta.userAgent },
            now,
          );
        }
        await trx.audit.record(
          tenant.id,
          { event: 'key.success', accountId, ip: meta.ip, userAgent: meta.userAgent },
          now,
        );
        await trx.audit.record(
          tenant.id,
          {
            event: 'login.success',
            accountId,
            ip: meta.ip,
            userAgent: meta.userAgent,
            detail: { factor: 'email_key' },
          },
          now,
        );
        return this.sessions.create(trx, tenant, accountId, meta, previousSessionToken);
      });
      if (!sessionToken) return { status: 'gone' };
      return { status: 'authenticated', sessionToken, trustToken };
    }

    const failures = await repos.keys.recordFailure(tenant.id, key.id, limit);
    // Only a guess the key could have answered counts against the account: racing entries on a
    // key already dead must not lock the student out of the "invalidated" dialog and Reissue.
    if (failures !== undefined) await this.ctx.limits.penalize('keyFailuresPerAccount', `${tenant.id}:${accountId}`);
    await repos.audit.record(
      tenant.id,
      { event: 'key.failure', accountId, ip: meta.ip, userAgent: meta.userAgent, detail: { failures } },
      now,
    );
    if (failures === undefined || failures >= limit) {
      if (failures === limit) {
        await repos.audit.record(
          tenant.id,
          { event: 'key.invalidated', accountId, ip: meta.ip, userAgent: meta.userAgent },
          now,
        );
      }
      return { status: 'invalidated' };
    }
    return { status: 'wrong', remaining: limit - failures };
  }

  async reissue(tenant: Tenant, flowId: string, meta: RequestMeta): Promise<ReissueResult> {
    const flow = await this.liveFlow(tenant, flowId, meta);
    if (!flow?.subjectId) return { status: 'gone' };
    const account = await this.ctx.store.repos.accounts.findById(tenant.id, flow.subjectId);
    if (!account) return { status: 'gone' };
    const cooldownMs = tenant.policy.keyReissueCooldownSeconds * 1000;
    const now = this.ctx.clock.now();
    const current = await this.ctx.store.repos.keys.findCurrent(tenant.id, flow.id);
    if (current && current.issuedAt + cooldownMs > now) {
      return { status: 'cooldown', seconds: Math.ceil((current.issuedAt + cooldownMs - now) / 1000) };
    }
    await this.ctx.limits.consume('keyReissuesPerAccount', `${tenant.id}:${account.id}`);
    const expiresAt = await this.ctx.store.transaction(async (repos) => {
      const retired = await repos.keys.supersedeCurrent(tenant.id, flow.id, now - cooldownMs, now);
      if (!retired) return undefined;
      const carried = retired.failedAttempts >= tenant.policy.keyMaxAttempts ? 0 : retired.failedAttempts;
      return this.issue(repos, tenant, account, flow.id, carried, meta, now);
    });
    if (expiresAt === undefined) return { status: 'cooldown', seconds: Math.max(1, Math.ceil(cooldownMs / 1000)) };
    this.ctx.mailer.flush();
    return { status: 'sent', expiresAt };
  }

  private async issue(
    repos: Repositories,
    tenant: Tenant,
    account: Account,
    flowId: string,
    failedAttempts: number,
    meta: RequestMeta,
    now: number,
  ): Promise<number> {
    if (!account.email) throw new AppError('internal', { cause: new Error('email key for an account without email') });
    const key = randomDigits(tenant.policy.keyLength);
    const expiresAt = now + tenant.policy.keyLifetimeMinutes * 60_000;
    await repos.keys.insert(tenant.id, {
      id: newId(),
      flowId,
      accountId: account.id,
      keyHash: this.ctx.secrets.hash(secretPurpose.authKey, `${flowId}:${key}`),
      issuedAt: now,
      expiresAt,
      failedAttempts,
      usedAt: null,
    });
    await this.ctx.mailer.queue(
      repos,
      tenant,
      {
        event: 'authKey',
        lang: meta.lang,
        to: account.email,
        params: { key, expiry: formatDateTime(expiresAt, meta.lang), userId: account.userId },
      },
      now,
    );
    await repos.audit.record(
      tenant.id,
      { event: 'key.sent', accountId: account.id, ip: meta.ip, userAgent: meta.userAgent },
      now,
    );
    return expiresAt;
  }

  private async liveFlow(tenant: Tenant, flowId: string, meta: RequestMeta): Promise<Flow<KeyFlowContext> | undefined> {
    const flow = await this.ctx.store.repos.flows.find<KeyFlowContext>(tenant.id, flowId, 'email_key');
    if (!flow || flow.state !== 'awaiting_key' || flow.expiresAt <= this.ctx.clock.now()) return undefined;
    return flow.context.binding === meta.binding ? flow : undefined;
  }

  /** Whether this browser carries a live trust cookie for the account (then no key is asked). */
  async isTrusted(
    repos: Repositories,
    tenant: Tenant,
    accountId: string,
    trustToken: string | undefined,
  ): Promise<boolean> {
    if (!trustToken) return false;
    return repos.trustedBrowsers.touchIfTrusted(
      tenant.id,
      accountId,
      this.ctx.secrets.hash(secretPurpose.trustedBrowser, trustToken),
      this.ctx.clock.now(),
    );
  }
}
