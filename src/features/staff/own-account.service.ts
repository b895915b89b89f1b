import type { Repositories } from '../../db/repositories.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { limitDefinitions } from '../../platform/rate-limit.js';
import type { Invalid } from '../../platform/violation.js';
import type { BoundContext, Flow } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { transition } from '../../flows/flow.state.js';
import type { Tenant } from '../tenants/tenant.model.js';
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
import type { CurrentStaffSession, StaffPasskey } from './staff.model.js';
import { passwordViolations } from './staff.rules.js';

/** Adding a factor or reading new recovery codes happens in one sitting. */
const FACTOR_STEP_LIFETIME_MS = 10 * 60_000;

/** A factor being added, or new recovery codes until kept; bound to the browser and to its session. */
export interface FactorContext extends BoundContext {
  session: string;
  purpose: 'totp' | 'passkey' | 'recoveryCodes';
  /** Sealed: the TOTP secret offered, or the new recovery codes. */
  sealed?: string;
  challenge?: string;
}

export interface SecondFactors {
  totp: boolean;
  passkeys: StaffPasskey[];
  recoveryCodesLeft: number;
}

export type FactorStep = { status: 'done' } | { status: 'wrong' } | { status: 'gone' };

/**
 * A staff member's own account: their second factors — an authenticator app, passkeys,
 * the ten recovery codes — and their password. At least one of the app and a passkey always
 * remains; recovery codes are a fallback, not a factor of their own.
 */
export class OwnAccountService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'hasher' | 'limits' | 'secrets' | 'box'> & {
      flows: FlowService;
      sessions: StaffSessionService;
    },
  ) {}

  async factors(tenant: Tenant, session: CurrentStaffSession): Promise<SecondFactors> {
    const { repos } = this.deps.uow;
    return {
      totp: session.member.totpSecretSealed !== null,
      passkeys: await repos.staff.passkeys(tenant.id, session.member.id),
      recoveryCodesLeft: await repos.staff.unusedRecoveryCodes(tenant.id, session.member.id),
    };
  }

  /** Opens the step that adds an authenticator app (when there is none) or a passkey. */
  async startFactor(
    tenant: Tenant,
    session: CurrentStaffSession,
    purpose: 'totp' | 'passkey',
    actor: Actor,
  ): Promise<string | undefined> {
    if (purpose === 'totp' && session.member.totpSecretSealed) return undefined;
    const flow = await this.start(this.deps.uow.repos, tenant, session, actor, {
      purpose,
      ...(purpose === 'totp' ? { sealed: this.deps.box.seal(newTotpSecret()) } : { challenge: newChallenge() }),
    });
    return flow.id;
  }

  /** The step's page: the app's QR code and secret, or the options the browser's authenticator gets. */
  async offer(tenant: Tenant, session: CurrentStaffSession, flowId: string, actor: Actor) {
    const flow = await this.step(tenant, session, flowId, actor);
    if (flow?.context.purpose === 'totp') {
      const secret = this.deps.box.open(flow.context.sealed ?? '');
      return { purpose: 'totp' as const, secret, uri: totpUri(tenant, session.member, secret) };
    }
    if (flow?.context.purpose === 'passkey') {
      const existing = await this.deps.uow.repos.staff.passkeys(tenant.id, session.member.id);
      const options = await passkeyRegistrationOptions(tenant, session.member, existing, flow.context.challenge ?? '');
      return { purpose: 'passkey' as const, options };
    }
    return undefined;
  }

  /** A right code from the newly set-up app adds it. */
  async addTotp(
    tenant: Tenant,
    session: CurrentStaffSession,
    flowId: string,
    code: string,
    actor: Actor,
  ): Promise<FactorStep> {
    const flow = await this.step(tenant, session, flowId, actor);
    if (flow?.context.purpose !== 'totp') return { status: 'gone' };
    const secret = this.deps.box.open(flow.context.sealed ?? '');
    const counter = totpStep(tenant, session.member, secret, code.replace(/\s/g, ''), this.deps.clock.now());
    if (counter === undefined) return { status: 'wrong' };
    return this.deps.uow.run(actor, async (tx): Promise<FactorStep> => {
      if (!(await this.finish(tx, tenant, flow))) return { status: 'gone' };
      if (!(await tx.staff.setTotp(tenant.id, session.member.id, { sealed: flow.context.sealed ?? '', counter })))
        return { status: 'gone' };
      await auditStaff(tx, 'staff.totp_added', { subject: session.member.email });
      return { status: 'done' };
    });
  }

  /** The browser's new passkey, made for this step's challenge, is added. */
  async addPasskey(
    tenant: Tenant,
    session: CurrentStaffSession,
    flowId: string,
    responseJson: string,
    actor: Actor,
  ): Promise<FactorStep> {
    const flow = await this.step(tenant, session, flowId, actor);
    if (flow?.context.purpose !== 'passkey') return { status: 'gone' };
    const passkey = await verifiedPasskey(
      tenant,
      session.member.id,
      responseJson,
      flow.context.challenge ?? '',
      this.deps.clock.now(),
    );
    if (!passkey) return { status: 'wrong' };
    return this.deps.uow.run(actor, async (tx): Promise<FactorStep> => {
      // A credential id the university knows already (this member's, or one a forged answer copied).
      if (await tx.staff.passkeyExists(tenant.id, passkey.id)) return { status: 'wrong' };
      if (!(await this.finish(tx, tenant, flow))) return { status: 'gone' };
      await tx.staff.insertPasskey(tenant.id, passkey);
      await auditStaff(tx, 'staff.passkey_added', { subject: session.member.email, detail: { passkey: passkey.id } });
      return { status: 'done' };
    });
  }

  /**
   * Removes the app or one passkey, never the last of them. The member's row is taken first, so
   * two removals sent at once cannot each leave the other's factor as the last and remove both.
   */
  async removeFactor(
    tenant: Tenant,
    session: CurrentStaffSession,
    factor: { totp: true } | { passkey: string },
    actor: Actor,
  ): Promise<{ status: 'removed' | 'gone' } | Invalid> {
    const staffId = session.member.id;
    return this.deps.uow.run(actor, async (tx) => {
      const member = await tx.staff.lockForUpdate(tenant.id, staffId, tx.now);
      if (!member) return { status: 'gone' as const };
      const passkeys = await tx.staff.passkeys(tenant.id, staffId);
      const has =
        'totp' in factor ? member.totpSecretSealed !== null : passkeys.some((each) => each.id === factor.passkey);
      if (!has) return { status: 'gone' as const };
      if (passkeys.length + (member.totpSecretSealed ? 1 : 0) <= 1)
        return { status: 'invalid' as const, violations: [{ code: 'staffAccount.lastFactor', path: 'factor' }] };
      if ('totp' in factor) {
        await tx.staff.clearTotp(tenant.id, staffId);
        await auditStaff(tx, 'staff.totp_removed', { subject: member.email });
      } else {
        await tx.staff.deletePasskey(tenant.id, staffId, factor.passkey);
        await auditStaff(tx, 'staff.passkey_removed', { subject: member.email, detail: { passkey: factor.passkey } });
      }
      return { status: 'removed' as const };
    });
  }

  /** Ten new recovery codes: the old ones stop working now; the new ones are shown once (see `pendingCodes`). */
  async regenerateRecoveryCodes(tenant: Tenant, session: CurrentStaffSession, actor: Actor): Promise<string> {
    const codes = newRecoveryCodes();
    const { secrets, box } = this.deps;
    return this.deps.uow.run(actor, async (tx) => {
      await tx.staff.insertRecoveryCodes(
        tenant.id,
        session.member.id,
        codes.map((code) => recoveryCodeHash(secrets, session.member.id, code)),
      );
      await auditStaff(tx, 'staff.recovery_codes_regenerated', { subject: session.member.email });
      const flow = await this.start(tx, tenant, session, actor, {
        purpose: 'recoveryCodes',
        sealed: box.seal(JSON.stringify(codes)),
      });
      return flow.id;
    });
  }

  async pendingCodes(tenant: Tenant, session: CurrentStaffSession, flowId: string, actor: Actor) {
    const flow = await this.step(tenant, session, flowId, actor);
    if (flow?.context.purpose !== 'recoveryCodes') return undefined;
    return JSON.parse(this.deps.box.open(flow.context.sealed ?? '')) as string[];
  }

  /** "I have kept them": the codes are never shown again. */
  async codesKept(tenant: Tenant, session: CurrentStaffSession, flowId: string, actor: Actor): Promise<void> {
    const flow = await this.step(tenant, session, flowId, actor);
    if (flow?.context.purpose === 'recoveryCodes') await this.finish(this.deps.uow.repos, tenant, flow);
  }

  /**
   * A new password, after the current one. Every session of the member ends — other browsers,
   * and login steps begun with the old password — and this browser gets a new one (the token).
   */
  async changePassword(
    tenant: Tenant,
    session: CurrentStaffSession,
    input: { current: string; password: string; confirm: string },
    actor: Actor,
  ): Promise<{ status: 'changed'; sessionToken: string } | { status: 'locked'; retryAfterSeconds: number } | Invalid> {
    const { member } = session;
    const { limits, hasher, uow } = this.deps;
    const key = `staff:${tenant.id}:${member.id}`;
    const counted = await limits.count('passwordChecksPerAccount', key);
    if (counted.count >= limitDefinitions.passwordChecksPerAccount.points)
      return { status: 'locked', retryAfterSeconds: counted.secondsLeft };
    const violations = passwordViolations(input, member);
    if (!input.current) violations.unshift({ code: 'staffAccount.currentRequired', path: 'current' });
    else if (!(member.passwordHash && (await hasher.verify(member.passwordHash, input.current)))) {
      await limits.penalize('passwordChecksPerAccount', key);
      await uow.run(actor, (tx) => auditStaff(tx, 'staff.password_change_failure', { subject: member.email }));
      violations.unshift({ code: 'staffAccount.currentWrong', path: 'current' });
    }
    if (violations.length > 0) return { status: 'invalid', violations };
    const passwordHash = await hasher.hash(input.password);
    const token = await uow.run(actor, async (tx) => {
      await tx.staff.setPasswordHash(tenant.id, member.id, passwordHash, tx.now);
      await tx.staff.deleteSessionsOf(tenant.id, member.id);
      await tx.flows.expireOpen(tenant.id, member.id, 'staff_login', tx.now);
      await tx.flows.expireOpen(tenant.id, member.id, 'staff_factor', tx.now);
      await auditStaff(tx, 'staff.password_changed', { subject: member.email });
      return this.deps.sessions.create(tx, tenant, member.id, undefined);
    });
    return { status: 'changed', sessionToken: token };
  }

  private start(
    repos: Repositories,
    tenant: Tenant,
    session: CurrentStaffSession,
    actor: Actor,
    context: Omit<FactorContext, keyof BoundContext | 'session'>,
  ): Promise<Flow<FactorContext>> {
    return this.deps.flows.start<FactorContext>(repos, {
      tenantId: tenant.id,
      kind: 'staff_factor',
      subjectId: session.member.id,
      lifetimeMs: FACTOR_STEP_LIFETIME_MS,
      context: { lang: actor.lang, binding: actor.binding, session: session.idHash, ...context },
    });
  }

  /** A live step of this browser, this session and this member — anything else is gone. */
  private async step(
    tenant: Tenant,
    session: CurrentStaffSession,
    flowId: string,
    actor: Actor,
  ): Promise<Flow<FactorContext> | undefined> {
    const flow = await this.deps.flows.findLive<FactorContext>(this.deps.uow.repos, tenant.id, 'staff_factor', flowId, {
      binding: actor.binding,
      states: ['awaiting_key'],
    });
    return flow?.subjectId === session.member.id && flow.context.session === session.idHash ? flow : undefined;
  }

  /** Ends the step once: two sends of the same form cannot both add. */
  private async finish(
    repos: Pick<Repositories, 'flows'>,
    tenant: Tenant,
    flow: Flow<FactorContext>,
  ): Promise<boolean> {
    return repos.flows.advance(
      tenant.id,
      flow.id,
      flow.state,
      transition('staff_factor', flow.state, 'authenticate'),
      this.deps.clock.now(),
      { context: { ...flow.context, sealed: undefined, challenge: undefined } },
    );
  }
}
