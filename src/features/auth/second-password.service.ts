import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { Flow } from '../../flows/flow.repository.js';
import { initialState, transition } from '../../flows/flow.state.js';
import type { FieldError } from '../../platform/views/components.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Account } from './account.repository.js';
import type { AuthContext, RequestMeta } from './auth.context.js';
import { emailAddressViolations, normalizeEmail } from './email-address.rules.js';
import type { LinkStatus, LinkTokens } from './link-token.js';
import type { PendingLoginContext } from './login.service.js';
import { secondPasswordRuleViolations } from './second-password.rules.js';

export type PasswordResult = { status: 'done' } | { status: 'invalid'; errors: FieldError[] } | { status: 'gone' };

export interface ResetContext {
  lang: string;
}

/**
 * Setting (§2.2, L-4), changing (§2.4b, L-10) and resetting by mail (§2.4c, L-11) the second
 * password, all under the rules of L-5.
 */
export class SecondPasswordService {
  constructor(
    private readonly ctx: AuthContext,
    private readonly links: LinkTokens,
  ) {}

  /**
   * Every broken rule gets its own message, on the field it concerns. `universityPasswordHash`
   * is the argon2 hash the login kept in the setup flow; elsewhere the directory is asked.
   */
  async ruleErrors(
    tenant: Tenant,
    userId: string,
    candidate: string,
    check: string,
    field: string,
    universityPasswordHash?: string,
  ): Promise<FieldError[]> {
    const errors: FieldError[] = secondPasswordRuleViolations(candidate, userId).map((rule) => ({
      field,
      message: `validation.secondPassword.${rule}`,
    }));
    if (check.length === 0) errors.push({ field: 'check', message: 'validation.secondPassword.checkRequired' });
    else if (check !== candidate) errors.push({ field: 'check', message: 'validation.secondPassword.mismatch' });
    if (errors.length === 0) {
      const sameAsUniversity = universityPasswordHash
        ? await this.ctx.hasher.verify(universityPasswordHash, candidate)
        : await this.ctx.directory.matchesPassword(tenant, userId, candidate);
      if (sameAsUniversity) errors.push({ field, message: 'validation.secondPassword.sameAsUniversityPassword' });
    }
    return errors;
  }

  async setupFlow(tenant: Tenant, flowId: string, meta: RequestMeta): Promise<Flow<PendingLoginContext> | undefined> {
    const flow = await this.ctx.store.repos.flows.find<PendingLoginContext>(tenant.id, flowId, 'second_password_setup');
    if (!flow || flow.state !== initialState.second_password_setup || flow.expiresAt <= this.ctx.clock.now())
      return undefined;
    return flow.context.binding === meta.binding ? flow : undefined;
  }

  async setup(
    tenant: Tenant,
    flowId: string,
    candidate: string,
    check: string,
    meta: RequestMeta,
  ): Promise<PasswordResult> {
    const flow = await this.setupFlow(tenant, flowId, meta);
    if (!flow?.subjectId) return { status: 'gone' };
    const account = await this.ctx.store.repos.accounts.findById(tenant.id, flow.subjectId);
    if (!account) return { status: 'gone' };
    const errors = await this.ruleErrors(
      tenant,
      account.userId,
      candidate,
      check,
      'secondPassword',
      flow.context.universityPasswordHash,
    );
    if (errors.length > 0) return { status: 'invalid', errors };
    const hash = await this.ctx.hasher.hash(candidate);
    const now = this.ctx.clock.now();
    const done = await this.ctx.store.transaction(async (repos) => {
      const next = transition('second_password_setup', flow.state, 'set_password');
      // The finished flow keeps nothing derived from the university password.
      const context = { lang: flow.context.lang, binding: flow.context.binding };
      if (!(await repos.flows.advance(tenant.id, flow.id, flow.state, next, now, { context }))) return false;
      if (!(await repos.accounts.setFirstSecondPassword(tenant.id, account.id, hash, now))) return false;
      await repos.audit.record(
        tenant.id,
        {
          event: 'second_password.set',
          accountId: account.id,
          subject: account.userId,
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
        now,
      );
      return true;
    });
    return done ? { status: 'done' } : { status: 'gone' };
  }

  async change(
    tenant: Tenant,
    account: Account,
    input: { old: string; candidate: string; check: string },
    meta: RequestMeta,
    currentSessionHash: string,
  ): Promise<PasswordResult> {
    const limitKey = `${tenant.id}:${account.id}`;
    await this.ctx.limits.assertNotBlocked('passwordChecksPerAccount', limitKey);
    const errors: FieldError[] = [];
    const oldMatches =
      input.old.length > 0 &&
      account.secondPasswordHash !== null &&
      (await this.ctx.hasher.verify(account.secondPasswordHash, input.old));
    if (!oldMatches) {
      await this.ctx.limits.penalize('passwordChecksPerAccount', limitKey);
      await this.ctx.store.repos.audit.record(
        tenant.id,
        { event: 'second_password.change_failure', accountId: account.id, ip: meta.ip, userAgent: meta.userAgent },
        this.ctx.clock.now(),
      );
      errors.push({
        field: 'oldSecondPassword',
        message: input.old.length ? 'validation.secondPassword.oldWrong' : 'validation.secondPassword.oldRequired',
      });
    }
    errors.push(...(await this.ruleErrors(tenant, account.userId, input.candidate, input.check, 'newSecondPassword')));
    if (errors.length > 0) return { status: 'invalid', errors };

    const hash = await this.ctx.hasher.hash(input.candidate);
    const now = this.ctx.clock.now();
    await this.ctx.store.transaction(async (repos) => {
      // Other browsers logged in with the old password are signed out; this one stays.
      await this.replace(repos, tenant, account, hash, meta, now, {
        event: 'second_password.changed',
        keepSession: currentSessionHash,
      });
    });
    this.ctx.mailer.flush();
    return { status: 'done' };
  }

  /**
   * The same answer whether or not the address is registered (no enumeration); an address shared
   * by several accounts gets one link per account, each naming its user ID.
   */
  async requestReset(
    tenant: Tenant,
    rawAddress: string,
    meta: RequestMeta,
  ): Promise<{ status: 'sent' } | { status: 'invalid'; errors: FieldError[] }> {
    const violations = emailAddressViolations(rawAddress, rawAddress).address;
    if (violations.length > 0) {
      return {
        status: 'invalid',
        errors: violations.map((rule) => ({ field: 'address', message: `validation.email.${rule}` })),
      };
    }
    await this.ctx.limits.consume('resetRequestsPerIp', `${tenant.id}:${meta.ip}`);
    const email = normalizeEmail(rawAddress);
    try {
      await this.ctx.limits.consume('resetMailsPerAddress', `${tenant.id}:${email.toLowerCase()}`);
    } catch {
      // Over the per-address limit: answer as always, send nothing more to that mailbox.
      return { status: 'sent' };
    }
    const accounts = await this.ctx.store.repos.accounts.findByVerifiedEmail(tenant.id, email);
    if (accounts.length === 0) return { status: 'sent' };
    const now = this.ctx.clock.now();
    await this.ctx.store.transaction(async (repos) => {
      for (const account of accounts) {
        await repos.flows.expireOpen(tenant.id, account.id, 'second_password_reset', now);
        const { token, hash } = this.links.create();
        const flow: Flow<ResetContext> = {
          tenantId: tenant.id,
          id: newId(),
          kind: 'second_password_reset',
          state: initialState.second_password_reset,
          subjectId: account.id,
          issuedAt: now,
          expiresAt: now + tenant.policy.linkLifetimeMinutes * 60_000,
          context: { lang: meta.lang },
        };
        await repos.flows.insert(flow, hash);
        await this.ctx.mailer.queue(
          repos,
          tenant,
          {
            event: 'secondPasswordReset',
            lang: meta.lang,
            to: email,
            params: {
              url: this.links.url(tenant.slug, '/forgot/reset', token),
              minutes: tenant.policy.linkLifetimeMinutes,
              userId: account.userId,
            },
          },
          now,
        );
        await repos.audit.record(
          tenant.id,
          { event: 'second_password.reset_requested', accountId: account.id, ip: meta.ip, userAgent: meta.userAgent },
          now,
        );
      }
    });
    this.ctx.mailer.flush();
    return { status: 'sent' };
  }

  inspectReset(tenant: Tenant, token: string): Promise<LinkStatus<ResetContext>> {
    return this.links.inspect<ResetContext>(this.ctx.store.repos, tenant.id, 'second_password_reset', token);
  }

  async completeReset(
    tenant: Tenant,
    token: string,
    candidate: string,
    check: string,
    meta: RequestMeta,
  ): Promise<PasswordResult | { status: 'expired' | 'used' | 'unknown' }> {
    const link = await this.inspectReset(tenant, token);
    if (link.status !== 'valid') return { status: link.status };
    const accountId = link.flow.subjectId;
    const account = accountId ? await this.ctx.store.repos.accounts.findById(tenant.id, accountId) : undefined;
    if (!account) return { status: 'unknown' };
    const errors = await this.ruleErrors(tenant, account.userId, candidate, check, 'secondPassword');
    if (errors.length > 0) return { status: 'invalid', errors };
    const hash = await this.ctx.hasher.hash(candidate);
    const now = this.ctx.clock.now();
    const done = await this.ctx.store.transaction(async (repos) => {
      const flow = await repos.flows.consumeToken(
        tenant.id,
        'second_password_reset',
        this.links.hash(token),
        'mail_sent',
        'completed',
        now,
      );
      if (!flow) return false;
      // Whoever knew the old second password is logged out everywhere.
      await this.replace(repos, tenant, account, hash, meta, now, { event: 'second_password.reset' });
      return true;
    });
    if (!done) {
      const after = await this.inspectReset(tenant, token);
      return { status: after.status === 'valid' ? 'used' : after.status };
    }
    this.ctx.mailer.flush();
    return { status: 'done' };
  }

  /** The new second password, the account's sessions ended, the registered address told (L-10, L-11). */
  private async replace(
    repos: Repositories,
    tenant: Tenant,
    account: Account,
    hash: string,
    meta: RequestMeta,
    now: number,
    how: { event: 'second_password.changed' | 'second_password.reset'; keepSession?: string },
  ): Promise<void> {
    await repos.accounts.setSecondPassword(tenant.id, account.id, hash, now);
    await repos.sessions.deleteAllForAccount(tenant.id, account.id, how.keepSession);
    if (account.email) {
      await this.ctx.mailer.queue(
        repos,
        tenant,
        {
          event: 'secondPasswordChangedNotice',
          lang: meta.lang,
          to: account.email,
          params: { userId: account.userId },
        },
        now,
      );
    }
    await repos.audit.record(
      tenant.id,
      { event: how.event, accountId: account.id, ip: meta.ip, userAgent: meta.userAgent },
      now,
    );
  }
}
