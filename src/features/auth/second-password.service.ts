import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import type { Lang } from '../../platform/i18n.js';
import { newId } from '../../platform/crypto.js';
import type { Invalid, Violation } from '../../platform/violation.js';
import type { Flow } from '../../flows/flow.model.js';
import type { FlowService, LinkStatus } from '../../flows/flow.service.js';
import { initialState, transition } from '../../flows/flow.state.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import type { Account } from './account.model.js';
import { emailPairViolations, normalizeEmail } from './email-address.rules.js';
import type { PendingLoginContext } from './login.service.js';
import { secondPasswordRuleViolations } from './second-password.rules.js';

/** Rolls back the stand-in work done for an address no account uses. */
const unknownAddress = new Error('no account uses this address');

export type PasswordResult = { status: 'done' } | Invalid | { status: 'gone' };

export interface ResetContext {
  lang: string;
}

/**
 * Setting (§2.2, L-4), changing (§2.4b, L-10) and resetting by mail (§2.4c, L-11) the second
 * password, all under the rules of L-5. Violations name `candidate`, `check` and `old`.
 */
export class SecondPasswordService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'hasher' | 'directory' | 'limits' | 'mailer' | 'box'> & {
      flows: FlowService;
    },
  ) {}

  /**
   * Every broken rule gets its own violation. `universityPasswordHash` is the argon2 hash the
   * browser brought back from the login (setup only); elsewhere the directory is asked.
   */
  async ruleViolations(
    tenant: Tenant,
    userId: string,
    candidate: string,
    check: string,
    universityPasswordHash?: string,
  ): Promise<Violation[]> {
    const violations: Violation[] = secondPasswordRuleViolations(candidate, userId).map((rule) => ({
      code: `secondPassword.${rule}`,
      path: 'candidate',
    }));
    if (check.length === 0) violations.push({ code: 'secondPassword.checkRequired', path: 'check' });
    else if (check !== candidate) violations.push({ code: 'secondPassword.mismatch', path: 'check' });
    if (violations.length === 0) {
      const sameAsUniversity = universityPasswordHash
        ? await this.deps.hasher.verify(universityPasswordHash, candidate)
        : await this.deps.directory.matchesPassword(tenant, userId, candidate);
      if (sameAsUniversity) violations.push({ code: 'secondPassword.sameAsUniversityPassword', path: 'candidate' });
    }
    return violations;
  }

  setupFlow(tenant: Tenant, flowId: string, actor: Actor): Promise<Flow<PendingLoginContext> | undefined> {
    return this.deps.flows.findLive<PendingLoginContext>(
      this.deps.uow.repos,
      tenant.id,
      'second_password_setup',
      flowId,
      {
        binding: actor.binding,
        states: [initialState.second_password_setup],
      },
    );
  }

  /** `universityPasswordSeal`: what the login gave the browser to bring back (see LoginResult). */
  async setup(
    tenant: Tenant,
    flowId: string,
    input: { candidate: string; check: string; universityPasswordSeal: string | undefined },
    actor: Actor,
  ): Promise<PasswordResult> {
    const { uow } = this.deps;
    const flow = await this.setupFlow(tenant, flowId, actor);
    if (!flow?.subjectId) return { status: 'gone' };
    const account = await uow.repos.accounts.findById(tenant.id, flow.subjectId);
    if (!account) return { status: 'gone' };
    const violations = await this.ruleViolations(
      tenant,
      account.userId,
      input.candidate,
      input.check,
      this.universityPasswordHash(flow.id, input.universityPasswordSeal),
    );
    if (violations.length > 0) return { status: 'invalid', violations };
    const hash = await this.deps.hasher.hash(input.candidate);
    const done = await uow.run(actor, async (tx) => {
      const next = transition('second_password_setup', flow.state, 'set_password');
      if (!(await tx.flows.advance(tenant.id, flow.id, flow.state, next, tx.now))) return false;
      if (!(await tx.accounts.setFirstSecondPassword(tenant.id, account.id, hash, tx.now))) return false;
      await tx.audit('second_password.set', { accountId: account.id, subject: account.userId });
      return true;
    });
    return done ? { status: 'done' } : { status: 'gone' };
  }

  /** The hash inside a seal made for this flow; anything else (missing, forged, another flow's) is none. */
  private universityPasswordHash(flowId: string, seal: string | undefined): string | undefined {
    if (!seal) return undefined;
    try {
      const opened = this.deps.box.open(seal);
      return opened.startsWith(`${flowId}:`) ? opened.slice(flowId.length + 1) : undefined;
    } catch {
      return undefined;
    }
  }

  async change(
    tenant: Tenant,
    account: Account,
    input: { old: string; candidate: string; check: string },
    actor: Actor,
    currentSessionHash: string,
  ): Promise<PasswordResult> {
    const { uow, limits, hasher } = this.deps;
    const limitKey = `${tenant.id}:${account.id}`;
    await limits.assertNotBlocked('passwordChecksPerAccount', limitKey);
    const violations: Violation[] = [];
    const oldMatches =
      input.old.length > 0 &&
      account.secondPasswordHash !== null &&
      (await hasher.verify(account.secondPasswordHash, input.old));
    if (!oldMatches) {
      await limits.penalize('passwordChecksPerAccount', limitKey);
      await uow.run(actor, (tx) => tx.audit('second_password.change_failure', { accountId: account.id }));
      violations.push({
        code: input.old.length ? 'secondPassword.oldWrong' : 'secondPassword.oldRequired',
        path: 'old',
      });
    }
    violations.push(...(await this.ruleViolations(tenant, account.userId, input.candidate, input.check)));
    if (violations.length > 0) return { status: 'invalid', violations };

    const hash = await hasher.hash(input.candidate);
    await uow.run(actor, (tx) =>
      // Other browsers logged in with the old password are signed out; this one stays.
      this.replace(tx, tenant, account, hash, { event: 'second_password.changed', keepSession: currentSessionHash }),
    );
    return { status: 'done' };
  }

  /**
   * The same answer whether or not the address is registered (no enumeration); an address shared
   * by several accounts gets one link per account, each naming its user ID.
   */
  async requestReset(tenant: Tenant, rawAddress: string, actor: Actor): Promise<{ status: 'sent' } | Invalid> {
    const { uow, limits } = this.deps;
    const violations = emailPairViolations(rawAddress, rawAddress).filter((violation) => violation.path === 'address');
    if (violations.length > 0) return { status: 'invalid', violations };
    await limits.consume('resetRequestsPerIp', `${tenant.id}:${actor.ip}`);
    const email = normalizeEmail(rawAddress);
    try {
      await limits.consume('resetMailsPerAddress', `${tenant.id}:${email.toLowerCase()}`);
    } catch {
      // Over the per-address limit: answer as always, send nothing more to that mailbox.
      return { status: 'sent' };
    }
    const accounts = await uow.repos.accounts.findByVerifiedEmail(tenant.id, email);
    // The answer's time must not tell whether the address is registered (#8): an unknown address
    // does the work of one account — link, mail and audit written in a transaction — which is
    // then rolled back, so nothing is kept and nothing sent.
    const targets: Array<Account | undefined> = accounts.length > 0 ? accounts : [undefined];
    await uow
      .run(actor, async (tx) => {
        for (const target of targets)
          await this.mailResetLink(
            tx,
            tenant,
            { id: target?.id ?? newId(), userId: target?.userId ?? '' },
            email,
            actor.lang,
          );
        if (!targets[0]) throw unknownAddress;
      })
      .catch((error: unknown) => {
        if (error !== unknownAddress) throw error;
      });
    return { status: 'sent' };
  }

  /**
   * A fresh reset link for the account, mailed to `email`; earlier links stop working. The
   * student's own request and the registrar's (#12 A-2) both come here.
   */
  async mailResetLink(
    tx: Work,
    tenant: Tenant,
    account: Pick<Account, 'id' | 'userId'>,
    email: string,
    lang: Lang,
  ): Promise<void> {
    await tx.flows.expireOpen(tenant.id, account.id, 'second_password_reset', tx.now);
    const { url } = await this.deps.flows.startWithLink<ResetContext>(
      tx,
      {
        tenantId: tenant.id,
        kind: 'second_password_reset',
        subjectId: account.id,
        lifetimeMs: tenant.policy.linkLifetimeMinutes * 60_000,
        context: { lang },
      },
      tenantLink(tenant, '/forgot/reset'),
    );
    await this.deps.mailer.queue(tx, tenant, {
      event: 'secondPasswordReset',
      lang,
      to: email,
      params: { url, minutes: tenant.policy.linkLifetimeMinutes, userId: account.userId },
    });
    await tx.audit('second_password.reset_requested', { accountId: account.id });
  }

  inspectReset(tenant: Tenant, token: string): Promise<LinkStatus<ResetContext>> {
    return this.deps.flows.inspectLink<ResetContext>(this.deps.uow.repos, tenant.id, 'second_password_reset', token);
  }

  async completeReset(
    tenant: Tenant,
    token: string,
    candidate: string,
    check: string,
    actor: Actor,
  ): Promise<PasswordResult | { status: 'expired' | 'used' | 'unknown' }> {
    const { uow } = this.deps;
    const link = await this.inspectReset(tenant, token);
    if (link.status !== 'valid') return { status: link.status };
    const accountId = link.flow.subjectId;
    const account = accountId ? await uow.repos.accounts.findById(tenant.id, accountId) : undefined;
    if (!account) return { status: 'unknown' };
    const violations = await this.ruleViolations(tenant, account.userId, candidate, check);
    if (violations.length > 0) return { status: 'invalid', violations };
    const hash = await this.deps.hasher.hash(candidate);
    const done = await uow.run(actor, async (tx) => {
      const flow = await tx.flows.consumeToken(
        tenant.id,
        'second_password_reset',
        this.deps.flows.linkTokenHash(token),
        'mail_sent',
        'completed',
        tx.now,
      );
      if (!flow) return false;
      // Whoever knew the old second password is logged out everywhere, and no browser they
      // had trusted skips the mailed key any more (#8).
      await this.replace(tx, tenant, account, hash, { event: 'second_password.reset' });
      await tx.trustedBrowsers.revokeAll(tenant.id, account.id, tx.now);
      return true;
    });
    if (!done) {
      const after = await this.inspectReset(tenant, token);
      return { status: after.status === 'valid' ? 'used' : after.status };
    }
    return { status: 'done' };
  }

  /** The new second password, the account's sessions ended, the registered address told (L-10, L-11). */
  private async replace(
    tx: Work,
    tenant: Tenant,
    account: Account,
    hash: string,
    how: { event: 'second_password.changed' | 'second_password.reset'; keepSession?: string },
  ): Promise<void> {
    await tx.accounts.setSecondPassword(tenant.id, account.id, hash, tx.now);
    await tx.sessions.deleteAllForAccount(tenant.id, account.id, how.keepSession);
    if (account.email) {
      await this.deps.mailer.queue(tx, tenant, {
        event: 'secondPasswordChangedNotice',
        lang: tx.actor.lang,
        to: account.email,
        params: { userId: account.userId },
      });
    }
    await tx.audit(how.event, { accountId: account.id });
  }
}
