import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { maskEmail } from '../../platform/format.js';
import type { Lang } from '../../platform/i18n.js';
import type { Invalid } from '../../platform/violation.js';
import type { FlowService, LinkStatus } from '../../flows/flow.service.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import type { Account, CurrentSession } from './account.model.js';
import { emailPairViolations, normalizeEmail } from './email-address.rules.js';
import type { LinkOutcome } from './email-registration.service.js';
import type { TrustedBrowser } from './trusted-browser.model.js';

/** How long a given second password allows security changes without asking again. */
const REAUTH_WINDOW_MS = 5 * 60_000;

export interface EmailChangeContext {
  lang: string;
  newEmail: string;
}

/** What a logged-in student changes from the menu: mail address (L-9), two-factor (L-13), trusted browsers (L-19). */
export class AccountSettingsService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'limits' | 'mailer' | 'hasher'> & {
      flows: FlowService;
    },
  ) {}

  /** Whether the session gave the second password recently enough for a security change (#8). */
  recentlyReauthenticated(session: CurrentSession): boolean {
    return session.secondPasswordAt !== null && this.deps.clock.now() - session.secondPasswordAt < REAUTH_WINDOW_MS;
  }

  /**
   * The second password asked again before a security change (#8): a session alone (a browser
   * left open, a stolen cookie) must not change the mail address or turn two-factor off. Counts
   * against the same per-account limit as every other second-password check.
   */
  async reauthenticate(
    tenant: Tenant,
    session: CurrentSession,
    secondPassword: string,
    actor: Actor,
  ): Promise<{ status: 'ok' } | Invalid> {
    if (this.recentlyReauthenticated(session)) return { status: 'ok' };
    const { account } = session;
    if (secondPassword.length === 0)
      return { status: 'invalid', violations: [{ code: 'secondPassword.reauthRequired', path: 'secondPassword' }] };
    const limitKey = `${tenant.id}:${account.id}`;
    await this.deps.limits.assertNotBlocked('passwordChecksPerAccount', limitKey);
    const matches =
      account.secondPasswordHash !== null &&
      (await this.deps.hasher.verify(account.secondPasswordHash, secondPassword));
    if (!matches) {
      await this.deps.limits.penalize('passwordChecksPerAccount', limitKey);
      await this.deps.uow.run(actor, (tx) => tx.audit('second_password.reauth_failure', { accountId: account.id }));
      return { status: 'invalid', violations: [{ code: 'secondPassword.oldWrong', path: 'secondPassword' }] };
    }
    await this.deps.uow.repos.sessions.markSecondPassword(tenant.id, session.idHash, this.deps.clock.now());
    return { status: 'ok' };
  }

  /** Violations name `newAddress` and `check`. */
  async requestEmailChange(
    tenant: Tenant,
    account: Account,
    rawAddress: string,
    rawCheck: string,
    actor: Actor,
  ): Promise<{ status: 'sent'; email: string } | Invalid> {
    const violations = emailPairViolations(rawAddress, rawCheck, 'newAddress');
    if (violations.length > 0) return { status: 'invalid', violations };
    const email = normalizeEmail(rawAddress);
    if (email === account.email)
      return { status: 'invalid', violations: [{ code: 'email.sameAsCurrent', path: 'newAddress' }] };
    await this.deps.limits.consume('mailsPerAccount', `${tenant.id}:${account.id}`);
    await this.deps.uow.run(actor, async (tx) => {
      await tx.flows.expireOpen(tenant.id, account.id, 'email_change', tx.now);
      const { url } = await this.deps.flows.startWithLink<EmailChangeContext>(
        tx,
        {
          tenantId: tenant.id,
          kind: 'email_change',
          subjectId: account.id,
          lifetimeMs: tenant.policy.linkLifetimeMinutes * 60_000,
          context: { lang: actor.lang, newEmail: email },
        },
        tenantLink(tenant, '/settings/mail-address/confirm'),
      );
      await this.deps.mailer.queue(tx, tenant, {
        event: 'emailChange',
        lang: actor.lang,
        to: email,
        params: { url, minutes: tenant.policy.linkLifetimeMinutes, userId: account.userId },
      });
      await tx.audit('email.change_requested', { accountId: account.id });
    });
    return { status: 'sent', email };
  }

  /** The address a pending change was mailed to, masked, for the "sent" screen (#10). */
  async pendingEmailChange(tenant: Tenant, account: Account): Promise<string | undefined> {
    const flow = await this.deps.uow.repos.flows.findOpen<EmailChangeContext>(
      tenant.id,
      account.id,
      'email_change',
      this.deps.clock.now(),
    );
    return flow && maskEmail(flow.context.newEmail);
  }

  inspectEmailChange(tenant: Tenant, token: string): Promise<LinkStatus<EmailChangeContext>> {
    return this.deps.flows.inspectLink<EmailChangeContext>(this.deps.uow.repos, tenant.id, 'email_change', token);
  }

  /**
   * Uses the link; the old address is told of the change (L-9), and every other browser logged in
   * to the account is logged out (#8): whoever changed the address may not be its owner.
   * `currentSessionHash`: the confirming browser's session, kept.
   */
  async confirmEmailChange(
    tenant: Tenant,
    token: string,
    actor: Actor,
    currentSessionHash?: string,
  ): Promise<LinkOutcome> {
    const done = await this.deps.uow.run(actor, async (tx) => {
      const flow = await tx.flows.consumeToken<EmailChangeContext>(
        tenant.id,
        'email_change',
        this.deps.flows.linkTokenHash(token),
        'mail_sent',
        'completed',
        tx.now,
      );
      if (!flow?.subjectId) return false;
      const account = await tx.accounts.findById(tenant.id, flow.subjectId);
      if (!account) return false;
      await tx.accounts.setVerifiedEmail(tenant.id, account.id, flow.context.newEmail, tx.now);
      await tx.sessions.deleteAllForAccount(tenant.id, account.id, currentSessionHash);
      if (account.email && account.email !== flow.context.newEmail) {
        await this.deps.mailer.queue(tx, tenant, {
          event: 'emailChangedNotice',
          lang: actor.lang,
          to: account.email,
          params: { userId: account.userId, newAddress: maskEmail(flow.context.newEmail) },
        });
      }
      await tx.audit('email.changed', {
        accountId: account.id,
        detail: { from: account.email ? maskEmail(account.email) : null, to: maskEmail(flow.context.newEmail) },
      });
      return true;
    });
    if (done) return { status: 'completed' };
    const status = await this.inspectEmailChange(tenant, token);
    return { status: status.status === 'valid' ? 'used' : status.status };
  }

  /** The language chosen on the start screen goes with the student's later mails (L-12). */
  async rememberLanguage(tenant: Tenant, account: Account, lang: Lang): Promise<void> {
    if (account.lang !== lang) await this.deps.uow.repos.accounts.setLang(tenant.id, account.id, lang);
  }

  twoFactorLocked(tenant: Tenant): boolean {
    return tenant.policy.twoFactorMandatory;
  }

  /** Flips two-factor (§2.7) to the state the confirmation page offered; a mandatory tenant refuses "off". */
  async setTwoFactor(
    tenant: Tenant,
    account: Account,
    enable: boolean,
    actor: Actor,
  ): Promise<{ status: 'changed' | 'mandatory' }> {
    if (!enable && tenant.policy.twoFactorMandatory) return { status: 'mandatory' };
    await this.deps.uow.run(actor, async (tx) => {
      await tx.accounts.setTwoFactor(tenant.id, account.id, enable, tx.now);
      if (account.email) {
        await this.deps.mailer.queue(tx, tenant, {
          event: 'twoFactorChangedNotice',
          lang: actor.lang,
          to: account.email,
          params: { userId: account.userId, context: enable ? 'on' : 'off' },
        });
      }
      await tx.audit(enable ? 'two_factor.enabled' : 'two_factor.disabled', { accountId: account.id });
    });
    return { status: 'changed' };
  }

  trustedBrowsers(tenant: Tenant, account: Account): Promise<TrustedBrowser[]> {
    return this.deps.uow.repos.trustedBrowsers.listActive(tenant.id, account.id, this.deps.clock.now());
  }

  /** How many trusted browsers were forgotten. */
  revokeTrustedBrowser(tenant: Tenant, account: Account, browserId: string | 'all', actor: Actor): Promise<number> {
    return this.deps.uow.run(actor, async (tx) => {
      const count =
        browserId === 'all'
          ? await tx.trustedBrowsers.revokeAll(tenant.id, account.id, tx.now)
          : Number(await tx.trustedBrowsers.revoke(tenant.id, account.id, browserId, tx.now));
      if (count > 0)
        await tx.audit('trusted_browser.revoked', { accountId: account.id, detail: { browser: browserId, count } });
      return count;
    });
  }
}
