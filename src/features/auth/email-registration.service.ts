import type { FieldError } from '../../platform/views/components.js';
import type { Flow } from '../../flows/flow.repository.js';
import { transition } from '../../flows/flow.state.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { AuthContext, RequestMeta } from './auth.context.js';
import { emailAddressViolations, normalizeEmail } from './email-address.rules.js';
import type { LinkStatus, LinkTokens } from './link-token.js';
import type { PendingLoginContext } from './login.service.js';

export interface RegistrationContext extends PendingLoginContext {
  email?: string;
}

export type SubmitResult =
  { status: 'sent'; email: string } | { status: 'invalid'; errors: FieldError[] } | { status: 'gone' };

export function addressErrors(address: string, check: string, addressField: string): FieldError[] {
  const violations = emailAddressViolations(address, check);
  return [
    ...violations.address.map((rule) => ({ field: addressField, message: `validation.email.${rule}` })),
    ...violations.check.map((rule) => ({ field: 'check', message: `validation.email.${rule}` })),
  ];
}

/** First login, step 1 (§2.1, L-3): the address, a mailed one-time URL, and its confirmation. */
export class EmailRegistrationService {
  constructor(
    private readonly ctx: AuthContext,
    private readonly links: LinkTokens,
  ) {}

  async flow(tenant: Tenant, flowId: string, meta: RequestMeta): Promise<Flow<RegistrationContext> | undefined> {
    const flow = await this.ctx.store.repos.flows.find<RegistrationContext>(tenant.id, flowId, 'email_registration');
    if (!flow || flow.state === 'completed' || flow.expiresAt <= this.ctx.clock.now()) return undefined;
    return flow.context.binding === meta.binding ? flow : undefined;
  }

  async submit(
    tenant: Tenant,
    flowId: string,
    rawAddress: string,
    rawCheck: string,
    meta: RequestMeta,
  ): Promise<SubmitResult> {
    const flow = await this.flow(tenant, flowId, meta);
    if (!flow?.subjectId) return { status: 'gone' };
    const errors = addressErrors(rawAddress, rawCheck, 'address');
    if (errors.length > 0) return { status: 'invalid', errors };
    const email = normalizeEmail(rawAddress);
    const accountId = flow.subjectId;
    await this.ctx.limits.consume('mailsPerAccount', `${tenant.id}:${accountId}`);

    const account = await this.ctx.store.repos.accounts.findById(tenant.id, accountId);
    if (!account) return { status: 'gone' };
    const now = this.ctx.clock.now();
    const { token, hash } = this.links.create();
    const moved = await this.ctx.store.transaction(async (repos) => {
      const next = transition('email_registration', flow.state, 'submit_address');
      const advanced = await repos.flows.advance(tenant.id, flow.id, flow.state, next, now, {
        context: { ...flow.context, email, lang: meta.lang },
        tokenHash: hash,
        expiresAt: now + tenant.policy.linkLifetimeMinutes * 60_000,
      });
      if (!advanced) return false;
      await this.ctx.mailer.queue(
        repos,
        tenant,
        {
          event: 'emailRegistration',
          lang: meta.lang,
          to: email,
          params: {
            url: this.links.url(tenant.slug, '/mail-address/confirm', token),
            minutes: tenant.policy.linkLifetimeMinutes,
            userId: account.userId,
          },
        },
        now,
      );
      await repos.audit.record(
        tenant.id,
        {
          event: 'email.registration_requested',
          accountId,
          subject: account.userId,
          ip: meta.ip,
          userAgent: meta.userAgent,
        },
        now,
      );
      return true;
    });
    if (!moved) return { status: 'gone' };
    this.ctx.mailer.flush();
    return { status: 'sent', email };
  }

  inspect(tenant: Tenant, token: string): Promise<LinkStatus<RegistrationContext>> {
    return this.links.inspect<RegistrationContext>(this.ctx.store.repos, tenant.id, 'email_registration', token);
  }

  /** The button on the link's page (L-18): one conditional update uses the token. */
  async confirm(
    tenant: Tenant,
    token: string,
    meta: Pick<RequestMeta, 'ip' | 'userAgent'>,
  ): Promise<'completed' | 'expired' | 'used' | 'unknown'> {
    const now = this.ctx.clock.now();
    const result = await this.ctx.store.transaction(async (repos) => {
      const flow = await repos.flows.consumeToken<RegistrationContext>(
        tenant.id,
        'email_registration',
        this.links.hash(token),
        'mail_sent',
        'completed',
        now,
      );
      if (!flow?.subjectId || !flow.context.email) return undefined;
      await repos.accounts.setVerifiedEmail(tenant.id, flow.subjectId, flow.context.email, now);
      await repos.audit.record(
        tenant.id,
        { event: 'email.registered', accountId: flow.subjectId, ip: meta.ip, userAgent: meta.userAgent },
        now,
      );
      return flow;
    });
    if (result) return 'completed';
    const status = await this.inspect(tenant, token);
    return status.status === 'valid' ? 'used' : status.status;
  }
}
