import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import type { Lang } from '../../platform/i18n.js';
import type { Invalid } from '../../platform/violation.js';
import type { Flow } from '../../flows/flow.model.js';
import type { FlowService, LinkStatus } from '../../flows/flow.service.js';
import { transition } from '../../flows/flow.state.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import type { Account } from './account.model.js';
import { emailPairViolations, normalizeEmail } from './email-address.rules.js';
import type { PendingLoginContext } from './login.service.js';

export interface RegistrationContext extends PendingLoginContext {
  email?: string;
}

export type SubmitResult = { status: 'sent'; email: string } | Invalid | { status: 'gone' };

export type LinkOutcome = { status: 'completed' | 'expired' | 'used' | 'unknown' };

/** First login, step 1 (§2.1, L-3): the address, a mailed one-time URL, and its confirmation. */
export class EmailRegistrationService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'limits' | 'mailer'> & { flows: FlowService }) {}

  flow(tenant: Tenant, flowId: string, actor: Actor): Promise<Flow<RegistrationContext> | undefined> {
    return this.deps.flows.findLive<RegistrationContext>(this.deps.uow.repos, tenant.id, 'email_registration', flowId, {
      binding: actor.binding,
    });
  }

  async submit(
    tenant: Tenant,
    flowId: string,
    rawAddress: string,
    rawCheck: string,
    actor: Actor,
  ): Promise<SubmitResult> {
    const { uow, flows } = this.deps;
    const flow = await this.flow(tenant, flowId, actor);
    if (!flow?.subjectId) return { status: 'gone' };
    const violations = emailPairViolations(rawAddress, rawCheck);
    if (violations.length > 0) return { status: 'invalid', violations };
    const email = normalizeEmail(rawAddress);
    const accountId = flow.subjectId;
    await this.deps.limits.consume('mailsPerAccount', `${tenant.id}:${accountId}`);

    const account = await uow.repos.accounts.findById(tenant.id, accountId);
    if (!account) return { status: 'gone' };
    const { token, hash } = flows.newLinkToken();
    const moved = await uow.run(actor, async (tx) => {
      const next = transition('email_registration', flow.state, 'submit_address');
      const advanced = await tx.flows.advance(tenant.id, flow.id, flow.state, next, tx.now, {
        context: { ...flow.context, email, lang: actor.lang },
        tokenHash: hash,
        expiresAt: tx.now + tenant.policy.linkLifetimeMinutes * 60_000,
      });
      if (!advanced) return false;
      await this.deps.mailer.queue(tx, tenant, {
        event: 'emailRegistration',
        lang: actor.lang,
        to: email,
        params: {
          url: flows.linkUrl(tenantLink(tenant, '/mail-address/confirm'), token),
          minutes: tenant.policy.linkLifetimeMinutes,
          userId: account.userId,
        },
      });
      await tx.audit('email.registration_requested', { accountId, subject: account.userId });
      return true;
    });
    return moved ? { status: 'sent', email } : { status: 'gone' };
  }

  /**
   * The registrar's resend (#12 A-2): a fresh link to the address the student is registering, in
   * a flow of its own bound to no browser (the link's page needs none); earlier links stop working.
   */
  async resend(tx: Work, tenant: Tenant, account: Account, email: string, lang: Lang): Promise<void> {
    const { flows } = this.deps;
    await tx.flows.expireOpen(tenant.id, account.id, 'email_registration', tx.now);
    const lifetimeMs = tenant.policy.linkLifetimeMinutes * 60_000;
    const context: RegistrationContext = { lang, binding: '', email };
    const flow = await flows.start(tx, {
      tenantId: tenant.id,
      kind: 'email_registration',
      subjectId: account.id,
      lifetimeMs,
      context,
    });
    const { token, hash } = flows.newLinkToken();
    const next = transition('email_registration', flow.state, 'submit_address');
    await tx.flows.advance(tenant.id, flow.id, flow.state, next, tx.now, {
      tokenHash: hash,
      expiresAt: tx.now + lifetimeMs,
    });
    await this.deps.mailer.queue(tx, tenant, {
      event: 'emailRegistration',
      lang,
      to: email,
      params: {
        url: flows.linkUrl(tenantLink(tenant, '/mail-address/confirm'), token),
        minutes: tenant.policy.linkLifetimeMinutes,
        userId: account.userId,
      },
    });
    await tx.audit('email.registration_requested', { accountId: account.id, subject: account.userId });
  }

  inspect(tenant: Tenant, token: string): Promise<LinkStatus<RegistrationContext>> {
    return this.deps.flows.inspectLink<RegistrationContext>(
      this.deps.uow.repos,
      tenant.id,
      'email_registration',
      token,
    );
  }

  /** The button on the link's page (L-18): one conditional update uses the token. */
  async confirm(tenant: Tenant, token: string, actor: Actor): Promise<LinkOutcome> {
    const done = await this.deps.uow.run(actor, async (tx) => {
      const flow = await tx.flows.consumeToken<RegistrationContext>(
        tenant.id,
        'email_registration',
        this.deps.flows.linkTokenHash(token),
        'mail_sent',
        'completed',
        tx.now,
      );
      if (!flow?.subjectId || !flow.context.email) return false;
      await tx.accounts.setVerifiedEmail(tenant.id, flow.subjectId, flow.context.email, tx.now);
      await tx.audit('email.registered', { accountId: flow.subjectId });
      return true;
    });
    if (done) return { status: 'completed' };
    const status = await this.inspect(tenant, token);
    return { status: status.status === 'valid' ? 'used' : status.status };
  }
}
