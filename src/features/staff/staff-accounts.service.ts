import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { newId } from '../../platform/crypto.js';
import type { Invalid } from '../../platform/violation.js';
import type { BoundContext, Flow } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { transition } from '../../flows/flow.state.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import {
  newChallenge,
  newRecoveryCodes,
  newTotpSecret,
  passkeyRegistrationOptions,
  recoveryCodeHash,
  totpStep,
  totpUri,
  verifiedPasskey,
} from './second-factor.js';
import { auditStaff } from './staff-audit.js';
import type { StaffSessionService } from './staff-session.service.js';
import type { StaffMember, StaffRole } from './staff.model.js';
import { enrolmentViolations, invitationViolations, normalizeStaffEmail, normalizeStaffNumber } from './staff.rules.js';

/** An enrolment link is handed over by mail or by the operator: it lives three days. */
const INVITATION_LIFETIME_MS = 3 * 24 * 60 * 60_000;
/** From the password to the second factor, in one sitting. */
const ENROLMENT_STEP_LIFETIME_MS = 30 * 60_000;

export interface InvitationInput {
  email: string;
  name: string;
  staffNumber: string;
  role: string;
}

/** What the enrolment keeps from the password step to the second factor, bound to the browser. */
export interface EnrolmentContext extends Partial<BoundContext> {
  /** Sealed TOTP secret offered on the page: the same on every reload. */
  totpSecret?: string;
  /** The WebAuthn challenge of the passkey offered beside it. */
  challenge?: string;
  /** Sealed recovery codes, shown once after enrolment until the member says they kept them. */
  recoveryCodes?: string;
}

export type InviteResult = { status: 'invited'; member: StaffMember; url: string } | Invalid;
export type LinkProblem = { status: 'expired' | 'used' | 'unknown' };
export type EnrolResult = { status: 'enrolled'; sessionToken: string } | { status: 'wrong' } | { status: 'gone' };

/**
 * Staff accounts of one university: invitation with a one-time enrolment link, the
 * enrolment itself (password, then a mandatory second factor), roles, and disabling.
 */
export class StaffAccountsService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'hasher' | 'secrets' | 'box' | 'mailer'> & {
      flows: FlowService;
      sessions: StaffSessionService;
    },
  ) {}

  /**
   * A new member, or a new link for one who has not finished enrolling (earlier links stop
   * working). The link is mailed when `mail` is set; the operator's CLI prints it instead.
   */
  async invite(
    tenant: Tenant,
    input: InvitationInput,
    actor: Actor,
    options: { mail: boolean },
  ): Promise<InviteResult> {
    const violations = invitationViolations(input);
    if (violations.length > 0) return { status: 'invalid', violations };
    const email = normalizeStaffEmail(input.email);
    const staffNumber = normalizeStaffNumber(input.staffNumber) || null;
    const { uow, flows } = this.deps;
    const existing = await uow.repos.staff.findByEmail(tenant.id, email);
    if (existing && existing.status !== 'invited')
      return { status: 'invalid', violations: [{ code: 'staff.alreadyMember', path: 'email' }] };
    if (!existing && staffNumber && (await uow.repos.staff.findByLogin(tenant.id, staffNumber)))
      return { status: 'invalid', violations: [{ code: 'staff.staffNumberTaken', path: 'staffNumber' }] };
    return uow.run(actor, async (tx) => {
      let member = existing;
      if (!member) {
        await tx.staff.insert(
          {
            tenantId: tenant.id,
            id: newId(),
            email,
            staffNumber,
            name: input.name.trim(),
            role: input.role as StaffRole,
          },
          tx.now,
        );
        member = (await tx.staff.findByEmail(tenant.id, email))!;
      } else await tx.flows.expireOpen(tenant.id, member.id, 'staff_enrolment', tx.now);
      const { url } = await flows.startWithLink<EnrolmentContext>(
        tx,
        {
          tenantId: tenant.id,
          kind: 'staff_enrolment',
          subjectId: member.id,
          lifetimeMs: INVITATION_LIFETIME_MS,
          context: {},
        },
        tenantLink(tenant, '/staff/enrol'),
      );
      if (options.mail)
        await this.deps.mailer.queue(tx, tenant, {
          event: 'staffInvitation',
          lang: actor.lang,
          to: email,
          params: { url, days: INVITATION_LIFETIME_MS / 86_400_000 },
        });
      await auditStaff(tx, 'staff.invited', { subject: email, detail: { member: member.id, role: member.role } });
      return { status: 'invited', member, url };
    });
  }

  /** What the link's page shows; reading never uses the link (L-18). */
  async inspectLink(tenant: Tenant, token: string): Promise<{ status: 'valid'; member: StaffMember } | LinkProblem> {
    const link = await this.deps.flows.inspectLink<EnrolmentContext>(
      this.deps.uow.repos,
      tenant.id,
      'staff_enrolment',
      token,
    );
    if (link.status !== 'valid') return link;
    if (link.flow.state !== 'mail_sent') return { status: 'used' };
    const member = await this.deps.uow.repos.staff.findById(tenant.id, link.flow.subjectId ?? '');
    return member?.status === 'invited' ? { status: 'valid', member } : { status: 'used' };
  }

  /**
   * The link page's button: name and password. One compare-and-set moves the flow on, so the
   * link works once; from here the flow belongs to this browser for half an hour.
   */
  async setPassword(
    tenant: Tenant,
    token: string,
    input: { name: string; password: string; confirm: string },
    actor: Actor,
  ): Promise<{ status: 'set'; flowId: string } | Invalid | LinkProblem> {
    const link = await this.inspectLink(tenant, token);
    if (link.status !== 'valid') return link;
    const violations = enrolmentViolations(input, link.member);
    if (violations.length > 0) return { status: 'invalid', violations };
    const passwordHash = await this.deps.hasher.hash(input.password);
    const { flows, box } = this.deps;
    const flowId = await this.deps.uow.run(actor, async (tx) => {
      const flow = await tx.flows.findByToken<EnrolmentContext>(
        tenant.id,
        'staff_enrolment',
        flows.linkTokenHash(token),
      );
      if (!flow || flow.subjectId !== link.member.id) return undefined;
      const context: EnrolmentContext = {
        lang: actor.lang,
        binding: actor.binding,
        totpSecret: box.seal(newTotpSecret()),
        challenge: newChallenge(),
      };
      const moved = await tx.flows.advance(
        tenant.id,
        flow.id,
        flow.state,
        transition('staff_enrolment', flow.state, 'set_password'),
        tx.now,
        {
          context,
          expiresAt: tx.now + ENROLMENT_STEP_LIFETIME_MS,
        },
      );
      if (!moved) return undefined;
      await tx.staff.setPassword(tenant.id, link.member.id, input.name.trim(), passwordHash, tx.now);
      await auditStaff(tx, 'staff.password_set', { staffId: link.member.id, subject: link.member.email });
      return flow.id;
    });
    return flowId ? { status: 'set', flowId } : { status: 'used' };
  }

  /** The enrolment's second-factor step, for the browser that set the password only. */
  async enrolment(
    tenant: Tenant,
    flowId: string,
    actor: Actor,
  ): Promise<{ flow: Flow<EnrolmentContext>; member: StaffMember } | undefined> {
    const { uow, flows } = this.deps;
    const flow = await flows.findLive<EnrolmentContext>(uow.repos, tenant.id, 'staff_enrolment', flowId, {
      binding: actor.binding,
      states: ['awaiting_key'],
    });
    const member = flow && (await uow.repos.staff.findById(tenant.id, flow.subjectId ?? ''));
    return flow && member?.status === 'invited' ? { flow, member } : undefined;
  }

  /** The secret the QR code carries, and the same secret as text. */
  totpOffer(tenant: Tenant, enrolment: { flow: Flow<EnrolmentContext>; member: StaffMember }) {
    const secret = this.deps.box.open(enrolment.flow.context.totpSecret ?? '');
    return { secret, uri: totpUri(tenant, enrolment.member, secret) };
  }

  async passkeyOffer(tenant: Tenant, enrolment: { flow: Flow<EnrolmentContext>; member: StaffMember }) {
    return passkeyRegistrationOptions(tenant, enrolment.member, [], enrolment.flow.context.challenge ?? '');
  }

  /** A right code from the authenticator app finishes enrolment: the member is active and logged in. */
  async finishWithTotp(
    tenant: Tenant,
    flowId: string,
    code: string,
    actor: Actor,
    previousSession?: string,
  ): Promise<EnrolResult> {
    const enrolment = await this.enrolment(tenant, flowId, actor);
    if (!enrolment) return { status: 'gone' };
    const { secret } = this.totpOffer(tenant, enrolment);
    const step = totpStep(tenant, enrolment.member, secret, code.replace(/\s/g, ''), this.deps.clock.now());
    if (step === undefined) return { status: 'wrong' };
    return this.finish(
      tenant,
      enrolment,
      actor,
      { totp: { sealed: enrolment.flow.context.totpSecret ?? '', counter: step } },
      previousSession,
    );
  }

  /** A passkey made for this challenge finishes enrolment the same way. */
  async finishWithPasskey(
    tenant: Tenant,
    flowId: string,
    responseJson: string,
    actor: Actor,
    previousSession?: string,
  ): Promise<EnrolResult> {
    const enrolment = await this.enrolment(tenant, flowId, actor);
    if (!enrolment) return { status: 'gone' };
    const passkey = await verifiedPasskey(
      tenant,
      enrolment.member.id,
      responseJson,
      enrolment.flow.context.challenge ?? '',
      this.deps.clock.now(),
    );
    // A credential id the university knows already: a forged answer copied it.
    if (!passkey || (await this.deps.uow.repos.staff.passkeyExists(tenant.id, passkey.id))) return { status: 'wrong' };
    return this.finish(tenant, enrolment, actor, { passkey }, previousSession);
  }

  private async finish(
    tenant: Tenant,
    { flow, member }: { flow: Flow<EnrolmentContext>; member: StaffMember },
    actor: Actor,
    factor: { totp?: { sealed: string; counter: number }; passkey?: Parameters<Work['staff']['insertPasskey']>[1] },
    previousSession: string | undefined,
  ): Promise<EnrolResult> {
    const codes = newRecoveryCodes();
    const { secrets, box } = this.deps;
    const token = await this.deps.uow.run({ ...actor, staffId: member.id }, async (tx) => {
      const moved = await tx.flows.advance(
        tenant.id,
        flow.id,
        flow.state,
        transition('staff_enrolment', flow.state, 'authenticate'),
        tx.now,
        {
          context: { ...flow.context, totpSecret: undefined, recoveryCodes: box.seal(JSON.stringify(codes)) },
        },
      );
      if (!moved || !(await tx.staff.activate(tenant.id, member.id, factor.totp, tx.now))) return undefined;
      if (factor.passkey) await tx.staff.insertPasskey(tenant.id, factor.passkey);
      await tx.staff.insertRecoveryCodes(
        tenant.id,
        member.id,
        codes.map((code) => recoveryCodeHash(secrets, member.id, code)),
      );
      await auditStaff(tx, 'staff.enrolled', {
        subject: member.email,
        detail: { factor: factor.totp ? 'totp' : 'passkey' },
      });
      return this.deps.sessions.create(tx, tenant, member.id, previousSession);
    });
    return token ? { status: 'enrolled', sessionToken: token } : { status: 'gone' };
  }

  /** The recovery codes of a just-finished enrolment: to its browser and member, until kept. */
  async pendingRecoveryCodes(
    tenant: Tenant,
    flowId: string,
    staffId: string,
    actor: Actor,
  ): Promise<string[] | undefined> {
    const flow = await this.deps.flows.findLive<EnrolmentContext>(
      this.deps.uow.repos,
      tenant.id,
      'staff_enrolment',
      flowId,
      {
        binding: actor.binding,
        states: ['completed'],
      },
    );
    if (!flow || flow.subjectId !== staffId || !flow.context.recoveryCodes) return undefined;
    return JSON.parse(this.deps.box.open(flow.context.recoveryCodes)) as string[];
  }

  /** "I have kept them": the codes are never shown again. */
  async forgetRecoveryCodes(tenant: Tenant, flowId: string, staffId: string, actor: Actor): Promise<void> {
    const flow = await this.deps.flows.findLive<EnrolmentContext>(
      this.deps.uow.repos,
      tenant.id,
      'staff_enrolment',
      flowId,
      {
        binding: actor.binding,
        states: ['completed'],
      },
    );
    if (!flow || flow.subjectId !== staffId) return;
    await this.deps.uow.repos.flows.advance(tenant.id, flow.id, 'completed', 'completed', this.deps.clock.now(), {
      context: { lang: flow.context.lang, binding: flow.context.binding },
    });
  }

  list(tenant: Tenant): Promise<StaffMember[]> {
    return this.deps.uow.repos.staff.list(tenant.id);
  }

  find(tenant: Tenant, id: string): Promise<StaffMember | undefined> {
    return this.deps.uow.repos.staff.findById(tenant.id, id);
  }

  /** An administrator changes another member's role; the last administrator stays one. */
  async changeRole(
    tenant: Tenant,
    targetId: string,
    role: StaffRole,
    actor: Actor,
  ): Promise<{ status: 'changed' | 'gone' } | Invalid> {
    const target = await this.find(tenant, targetId);
    if (!target || target.status === 'disabled') return { status: 'gone' };
    if (target.id === actor.staffId)
      return { status: 'invalid', violations: [{ code: 'staff.notYourself', path: 'role' }] };
    if (target.role === role) return { status: 'changed' };
    return this.deps.uow.run(actor, async (tx) => {
      await tx.staff.setRole(tenant.id, target.id, role, tx.now);
      await auditStaff(tx, 'staff.role_changed', {
        subject: target.email,
        detail: { member: target.id, from: target.role, to: role },
      });
      return { status: 'changed' as const };
    });
  }

  /** A disabled member cannot log in, and their open sessions end at once. */
  async disable(tenant: Tenant, targetId: string, actor: Actor): Promise<{ status: 'disabled' | 'gone' } | Invalid> {
    const target = await this.find(tenant, targetId);
    if (!target || target.status === 'disabled') return { status: 'gone' };
    if (target.id === actor.staffId)
      return { status: 'invalid', violations: [{ code: 'staff.notYourself', path: 'disable' }] };
    return this.deps.uow.run(actor, async (tx) => {
      await tx.staff.setStatus(tenant.id, target.id, 'disabled', tx.now);
      await tx.staff.deleteSessionsOf(tenant.id, target.id);
      await tx.flows.expireOpen(tenant.id, target.id, 'staff_enrolment', tx.now);
      await auditStaff(tx, 'staff.disabled', { subject: target.email, detail: { member: target.id } });
      return { status: 'disabled' as const };
    });
  }
}
