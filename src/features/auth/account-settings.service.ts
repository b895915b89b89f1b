import { newId } from '../../platform/crypto.js';
import type { Lang } from '../../platform/i18n.js';
import { maskEmail } from '../../platform/format.js';
import type { Flow } from '../../flows/flow.repository.js';
import { initialState } from '../../flows/flow.state.js';
import type { FieldError } from '../../platform/views/components.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Account } from './account.repository.js';
import type { AuthContext, RequestMeta } from './auth.context.js';
import { normalizeEmail } from './email-address.rules.js';
import { addressErrors } from './email-registration.service.js';
import type { LinkStatus, LinkTokens } from './link-token.js';
import type { TrustedBrowser } from './trusted-browser.repository.js';

export interface EmailChangeContext {
  lang: string;
  newEmail: string;
}

/** What a logged-in student changes from the menu: mail address (L-9), two-factor (L-13), trusted browsers (L-19). */
export class AccountSettingsService {
  constructor(
    private readonly ctx: AuthContext,
    private readonly links: LinkTokens,
  ) {}

  async requestEmailChange(
    tenant: Tenant,
    account: Account,
    rawAddress: string,
    rawCheck: string,
    meta: RequestMeta,
  ): Promise<{ status: 'sent'; email: string } | { status: 'invalid'; errors: FieldError[] }> {
    const errors = addressErrors(rawAddress, rawCheck, 'newAddress');
    if (errors.length > 0) return { status: 'invalid', errors };
    const email = normalizeEmail(rawAddress);
    if (email === account.email)
      return { status: 'invalid', errors: [{ field: 'newAddress', message: 'validation.email.sameAsCurrent' }] };
    await this.ctx.limits.consume('mailsPerAccount', `${tenant.id}:${account.id}`);
    const now = this.ctx.clock.now();
    await this.ctx.store.transaction(async (repos) => {
      await repos.flows.expireOpen(tenant.id, account.id, 'email_change', now);
      const { token, hash } = this.links.create();
      const flow: Flow<EmailChangeContext> = {
        tenantId: tenant.id,
        id: newId(),
        kind: 'email_change',
        state: initialState.email_change,
        subjectId: account.id,
        issuedAt: now,
        expiresAt: now + tenant.policy.linkLifetimeMinutes * 60_000,
        context: { lang: meta.lang, newEmail: email },
      };
      await repos.flows.insert(flow, hash);
      await this.ctx.mailer.queue(
        repos,
        tenant,
        {
          event: 'emailChange',
          lang: meta.lang,
          to: email,
          params: {
            url: this.links.url(tenant.slug, '/settings/mail-address/confirm', token),
            minutes: tenant.policy.linkLifetimeMinutes,
            userId: account.userId,
          },
        },
        now,
      );
      await repos.audit.record(
        tenant.id,
        { event: 'email.change_requested', accountId: account.id, ip: meta.ip, userAgent: meta.userAgent },
        now,
      );
    });
    this.ctx.mailer.flush();
    return { status: 'sent', email };
  }

  inspectEmailChange(tenant: Tenant, token: string): Promise<LinkStatus<EmailChangeContext>> {
    return this.links.inspect<EmailChangeContext>(this.ctx.store.repos, tenant.id, 'email_change', token);
  }

  /** Uses the link; the old address is told of the change (L-9). */
  async confirmEmailChange(
    tenant: Tenant,
    token: string,
    meta: RequestMeta,
  ): Promise<'completed' | 'expired' | 'used' | 'unknown'> {
    const now = this.ctx.clock.now();
    const done = await this.ctx.store.transaction(async (repos) => {
      const flow = await repos.flows.consumeToken<EmailChangeContext>(
        tenant.id,
        'email_change',
        this.links.hash(token),
        'mail_sent',
        'completed',
        now,
      );
      if (!flow?.subjectId) return false;
      const account = await repos.accounts.findById(tenant.id, flow.subjectId);
      if (!account) return false;
      await repos.accounts.setVerifiedEmail(tenant.id, account.id, flow.context.newEmail, now);
      if (account.email && account.email !== flow.context.newEmail) {
        await this.ctx.mailer.queue(
          repos,
          tenant,
          {
            event: 'emailChangedNotice',
            lang: meta.lang,
            to: account.email,
            params: { userId: account.userId, newAddress: maskEmail(flow.context.newEmail) },
          },
          now,
        );
      }
      await repos.audit.record(
        tenant.id,
        {
          event: 'email.changed',
          accountId: account.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          detail: { from: account.email ? maskEmail(account.email) : null, to: maskEmail(flow.context.newEmail) },
        },
        now,
      );
      return true;
    });
    if (done) {
      this.ctx.mailer.flush();
      return 'completed';
    }
    const status = await this.inspectEmailChange(tenant, token);
    return status.status === 'valid' ? 'used' : status.status;
  }

  /** The language chosen on the start screen goes with the student's later mails (L-12). */
  async rememberLanguage(tenant: Tenant, account: Account, lang: Lang): Promise<void> {
    if (account.lang !== lang) await this.ctx.store.repos.accounts.setLang(tenant.id, account.id, lang);
  }

  twoFactorLocked(tenant: Tenant): boolean {
    return tenant.policy.twoFactorMandatory;
  }

  /** Flips two-factor (§2.7) to the state the confirmation page offered; a mandatory tenant refuses "off". */
  async setTwoFactor(
    tenant: Tenant,
    account: Account,
    enable: boolean,
    meta: RequestMeta,
  ): Promise<'changed' | 'mandatory'> {
    if (!enable && tenant.policy.twoFactorMandatory) return 'mandatory';
    const now = this.ctx.clock.now();
    await this.ctx.store.transaction(async (repos) => {
      await repos.accounts.setTwoFactor(tenant.id, account.id, enable, now);
      if (account.email) {
        await this.ctx.mailer.queue(
          repos,
          tenant,
          {
            event: 'twoFactorChangedNotice',
            lang: meta.lang,
            to: account.email,
            params: { userId: account.userId, context: enable ? 'on' : 'off' },
          },
          now,
        );
      }
      await repos.audit.record(
        tenant.id,
        {
          event: enable ? 'two_factor.enabled' : 'two_factor.disabled',
          accountId: account.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
        now,
      );
    });
    this.ctx.mailer.flush();
    return 'changed';
  }

  trustedBrowsers(tenant: Tenant, account: Account): Promise<TrustedBrowser[]> {
    return this.ctx.store.repos.trustedBrowsers.listActive(tenant.id, account.id, this.ctx.clock.now());
  }

  async revokeTrustedBrowser(
    tenant: Tenant,
    account: Account,
    browserId: string | 'all',
    meta: RequestMeta,
  ): Promise<number> {
    const now = this.ctx.clock.now();
    return this.ctx.store.transaction(async (repos) => {
      const count =
        browserId === 'all'
          ? await repos.trustedBrowsers.revokeAll(tenant.id, account.id, now)
          : Number(await repos.trustedBrowsers.revoke(tenant.id, account.id, browserId, now));
      if (count > 0) {
        await repos.audit.record(
          tenant.id,
          {
            event: 'trusted_browser.revoked',
            accountId: account.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            detail: { browser: browserId, count },
          },
          now,
        );
      }
      return count;
    });
  }
}
