import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { limitDefinitions } from '../../platform/rate-limit.js';
import type { BoundContext, Flow } from '../../flows/flow.model.js';
import type { FlowService } from '../../flows/flow.service.js';
import { transition } from '../../flows/flow.state.js';
import { issueDeviceToken, recognizeDevice } from '../auth/known-device.js';
import { type LoginAttempt, LoginLockout } from '../auth/login-lockout.js';
import type { Tenant } from '../tenants/tenant.model.js';
import {
  looksLikeTotp,
  newChallenge,
  normalizeCode,
  passkeyLoginOptions,
  recoveryCodeHash,
  totpStep,
  verifiedAssertion,
} from './second-factor.js';
import { auditStaff } from './staff-audit.js';
import type { StaffSessionService } from './staff-session.service.js';
import type { CurrentStaffSession, StaffMember } from './staff.model.js';

/** The second-factor step follows the password at once. */
const SECOND_FACTOR_LIFETIME_MS = 10 * 60_000;

export interface StaffLoginContext extends BoundContext {
  /** The WebAuthn challenge a passkey signs; re-authentication keeps the session it belongs to. */
  challenge: string;
  session?: string;
}

export type PasswordResult =
  | { status: 'invalid' }
  | { status: 'locked'; retryAfterSeconds: number }
  /** The password was right but enrolment was never finished: only a new link helps. */
  | { status: 'notEnrolled' }
  | { status: 'secondFactor'; flowId: string; deviceToken: string };

export type FactorResult =
  { status: 'ok' } | { status: 'wrong' } | { status: 'locked'; retryAfterSeconds: number } | { status: 'gone' };

export type SecondFactorResult = Exclude<FactorResult, { status: 'ok' }> | { status: 'loggedIn'; sessionToken: string };

/**
 * Staff login: mail address or staff ID and password, then a second factor every time —
 * a code from the authenticator app, a recovery code, or a passkey. Password failures count
 * like a student's (login-lockout.ts, keys of their own); second-factor failures per member.
 */
export class StaffLoginService {
  private readonly lockout: LoginLockout;

  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'hasher' | 'limits' | 'secrets' | 'box'> & {
      flows: FlowService;
      sessions: StaffSessionService;
    },
  ) {
    this.lockout = new LoginLockout(deps.limits);
  }

  async password(
    tenant: Tenant,
    input: { login: string; password: string },
    actor: Actor,
    deviceCookie: string | undefined,
  ): Promise<PasswordResult> {
    const login = input.login.trim();
    const userKey = `staff:${tenant.id}:${login.toLowerCase()}`;
    const attempt: LoginAttempt = {
      userKey,
      addressKey: `staff:${tenant.id}:${actor.ip ?? ''}`,
      deviceId: recognizeDevice(this.deps.secrets, userKey, deviceCookie),
    };
    const waitSeconds = await this.lockout.waitSeconds(attempt);
    if (waitSeconds > 0) return { status: 'locked', retryAfterSeconds: waitSeconds };

    const { uow, hasher } = this.deps;
    const member = await uow.repos.staff.findByLogin(tenant.id, login);
    const right =
      member?.passwordHash && member.status !== 'disabled'
        ? await hasher.verify(member.passwordHash, input.password)
        : await hasher.verifyDummy(input.password);
    if (!right || !member) {
      const locked = await this.lockout.failed(attempt);
      await uow.run(actor, async (tx) => {
        const subject = login.slice(0, 100);
        const detail = { reason: member?.status === 'disabled' ? 'disabled' : 'password' };
        await auditStaff(tx, 'staff.login_failure', { staffId: member?.id ?? null, subject, detail });
        for (const scope of locked)
          await auditStaff(tx, 'staff.login_locked', { staffId: member?.id ?? null, subject, detail: { scope } });
      });
      return { status: 'invalid' };
    }
    await this.lockout.succeeded(attempt);
    if (member.status !== 'active') return { status: 'notEnrolled' };
    const flow = await this.deps.flows.start<StaffLoginContext>(uow.repos, {
      tenantId: tenant.id,
      kind: 'staff_login',
      subjectId: member.id,
      lifetimeMs: SECOND_FACTOR_LIFETIME_MS,
      context: { lang: actor.lang, binding: actor.binding, challenge: newChallenge() },
    });
    return { status: 'secondFactor', flowId: flow.id, deviceToken: issueDeviceToken(this.deps.secrets, userKey) };
  }

  /** The second-factor step, for the browser that gave the password only. */
  async pending(
    tenant: Tenant,
    flowId: string,
    actor: Actor,
  ): Promise<{ flow: Flow<StaffLoginContext>; member: StaffMember } | undefined> {
    const flow = await this.deps.flows.findLive<StaffLoginContext>(
      this.deps.uow.repos,
      tenant.id,
      'staff_login',
      flowId,
      {
        binding: actor.binding,
        states: ['awaiting_key'],
      },
    );
    const member = flow && (await this.deps.uow.repos.staff.findById(tenant.id, flow.subjectId ?? ''));
    return flow && !flow.context.session && member?.status === 'active' ? { flow, member } : undefined;
  }

  /** What the browser's passkey is asked to sign, when the member has passkeys. */
  async passkeyOptions(
    tenant: Tenant,
    flow: Flow<StaffLoginContext>,
    staffId: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
    const passkeys = await this.deps.uow.repos.staff.passkeys(tenant.id, staffId);
    return passkeys.length > 0 ? passkeyLoginOptions(tenant, passkeys, flow.context.challenge) : undefined;
  }

  async secondFactor(
    tenant: Tenant,
    flowId: string,
    proof: { code: string } | { passkey: string },
    actor: Actor,
    previousSession: string | undefined,
  ): Promise<SecondFactorResult> {
    const pending = await this.pending(tenant, flowId, actor);
    if (!pending) return { status: 'gone' };
    const { flow, member } = pending;
    const staffActor = { ...actor, staffId: member.id };
    const checked = await this.check(tenant, member, flow.context.challenge, proof, staffActor);
    if (checked.status !== 'ok') return checked;
    const token = await this.deps.uow.run(staffActor, async (tx) => {
      if (
        !(await tx.flows.advance(
          tenant.id,
          flow.id,
          flow.state,
          transition('staff_login', flow.state, 'authenticate'),
          tx.now,
        ))
      )
        return undefined;
      await auditStaff(tx, 'staff.login_success', { subject: member.email, detail: { factor: factorName(proof) } });
      return this.deps.sessions.create(tx, tenant, member.id, previousSession);
    });
    return token ? { status: 'loggedIn', sessionToken: token } : { status: 'gone' };
  }

  /**
   * A passkey challenge for re-authentication, tied to this session; undefined when the member
   * has no passkey (the page then asks for a code only).
   */
  async reauthChallenge(
    tenant: Tenant,
    session: CurrentStaffSession,
    actor: Actor,
  ): Promise<{ flowId: string; options: PublicKeyCredentialRequestOptionsJSON } | undefined> {
    const passkeys = await this.deps.uow.repos.staff.passkeys(tenant.id, session.member.id);
    if (passkeys.length === 0) return undefined;
    const flow = await this.deps.flows.start<StaffLoginContext>(this.deps.uow.repos, {
      tenantId: tenant.id,
      kind: 'staff_login',
      subjectId: session.member.id,
      lifetimeMs: SECOND_FACTOR_LIFETIME_MS,
      context: { lang: actor.lang, binding: actor.binding, challenge: newChallenge(), session: session.idHash },
    });
    return { flowId: flow.id, options: await passkeyLoginOptions(tenant, passkeys, flow.context.challenge) };
  }

  /** Re-authentication: the second factor again, and the session counts as fresh for five minutes. */
  async reauthenticate(
    tenant: Tenant,
    session: CurrentStaffSession,
    proof: { code: string } | { passkey: string; flowId: string },
    actor: Actor,
  ): Promise<FactorResult> {
    let challenge = '';
    if ('passkey' in proof) {
      const flow = await this.deps.flows.findLive<StaffLoginContext>(
        this.deps.uow.repos,
        tenant.id,
        'staff_login',
        proof.flowId,
        {
          binding: actor.binding,
          states: ['awaiting_key'],
        },
      );
      if (!flow || flow.context.session !== session.idHash) return { status: 'gone' };
      challenge = flow.context.challenge;
      if (
        !(await this.deps.uow.repos.flows.advance(
          tenant.id,
          flow.id,
          flow.state,
          transition('staff_login', flow.state, 'authenticate'),
          this.deps.clock.now(),
        ))
      )
        return { status: 'gone' };
    }
    const checked = await this.check(tenant, session.member, challenge, proof, actor);
    if (checked.status !== 'ok') return checked;
    await this.deps.uow.run(actor, async (tx) => {
      await tx.staff.markAuthenticated(tenant.id, session.idHash, tx.now);
      await auditStaff(tx, 'staff.reauthenticated', {
        subject: session.member.email,
        detail: { factor: factorName(proof) },
      });
    });
    return { status: 'ok' };
  }

  /** One second factor, counted: too many wrong ones lock the member's second step for a while. */
  private async check(
    tenant: Tenant,
    member: StaffMember,
    challenge: string,
    proof: { code: string } | { passkey: string },
    actor: Actor,
  ): Promise<FactorResult> {
    const { limits, uow, clock } = this.deps;
    const key = `${tenant.id}:${member.id}`;
    const ceiling = limitDefinitions.staffSecondFactorFailures.points;
    const counted = await limits.count('staffSecondFactorFailures', key);
    if (counted.count >= ceiling) return { status: 'locked', retryAfterSeconds: counted.secondsLeft };

    let right = false;
    if ('passkey' in proof) {
      const passkeys = await uow.repos.staff.passkeys(tenant.id, member.id);
      const verified = await verifiedAssertion(tenant, passkeys, proof.passkey, challenge);
      right =
        verified !== undefined &&
        (await uow.repos.staff.usePasskey(
          tenant.id,
          verified.passkey.id,
          verified.passkey.counter,
          verified.newCounter,
          clock.now(),
        ));
    } else if (looksLikeTotp(proof.code)) {
      const secret = member.totpSecretSealed && this.deps.box.open(member.totpSecretSealed);
      const step = secret ? totpStep(tenant, member, secret, normalizeCode(proof.code), clock.now()) : undefined;
      right = step !== undefined && (await uow.repos.staff.takeTotpCounter(tenant.id, member.id, step));
    } else if (normalizeCode(proof.code)) {
      const codeHash = recoveryCodeHash(this.deps.secrets, member.id, proof.code);
      right = await uow.run(actor, async (tx) => {
        if (!(await tx.staff.useRecoveryCode(tenant.id, member.id, codeHash, tx.now))) return false;
        const left = await tx.staff.unusedRecoveryCodes(tenant.id, member.id);
        await auditStaff(tx, 'staff.recovery_code_used', {
          staffId: member.id,
          subject: member.email,
          detail: { left },
        });
        return true;
      });
    }
    if (right) return { status: 'ok' };
    const count = await limits.penalize('staffSecondFactorFailures', key);
    await uow.run(actor, async (tx) => {
      await auditStaff(tx, 'staff.second_factor_failure', {
        staffId: member.id,
        subject: member.email,
        detail: { factor: factorName(proof) },
      });
      if (count === ceiling)
        await auditStaff(tx, 'staff.login_locked', {
          staffId: member.id,
          subject: member.email,
          detail: { scope: 'second_factor' },
        });
    });
    return { status: 'wrong' };
  }
}

function factorName(proof: { code: string } | { passkey: string }): string {
  if ('passkey' in proof) return 'passkey';
  return looksLikeTotp(proof.code) ? 'totp' : 'recovery_code';
}
