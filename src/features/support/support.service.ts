import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { limitDefinitions } from '../../platform/rate-limit.js';
import type { Invalid } from '../../platform/violation.js';
import type { AuditEvent, AuditRecord } from '../audit/audit.model.js';
import type { Account } from '../auth/account.model.js';
import type { EmailRegistrationService, RegistrationContext } from '../auth/email-registration.service.js';
import { countedUserKey, lockoutUserId, userKeyOf } from '../auth/login-lockout.js';
import type { SecondPasswordService } from '../auth/second-password.service.js';
import { normalizeUserId } from '../directory/directory.js';
import type { MailTrouble } from '../mail/outbox.model.js';
import { auditStaff } from '../staff/staff-audit.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { SEARCH_LIMIT, searchTokens } from './student-search.js';
import type {
  LockCounter,
  SearchResult,
  StudentSupportView,
  SupportAccount,
  SupportAction,
  SupportMail,
} from './support.model.js';

export type SupportResult = { status: 'done' } | Invalid;

const EVENTS_SHOWN = 20;
const ORDERS_SHOWN = 20;
const MAILS_SHOWN = 20;
/** Flows read for the addresses a student was mailed at: the last few registrations and changes. */
const FLOWS_READ = 20;

/** Mail whose purpose staff can serve again with a fresh link; the rest the student repeats (a key at login). */
const RESENDABLE = new Set(['emailRegistration', 'secondPasswordReset']);

const auditOf: Record<SupportAction, AuditEvent> = {
  'resend-registration': 'support.registration_resent',
  'clear-registration': 'support.registration_cleared',
  'clear-browsers': 'support.trusted_browsers_cleared',
  unlock: 'support.unlocked',
  'second-password-reset': 'support.second_password_reset_required',
  'end-sessions': 'support.sessions_ended',
};

const confirmRequired: Invalid = {
  status: 'invalid',
  violations: [{ code: 'support.confirmRequired', path: 'confirm' }],
};
const refused = (code: string): Invalid => ({ status: 'invalid', violations: [{ code, path: 'confirm' }] });

/** Thrown inside a unit of work to roll it back with a violation for the form. */
class Refusal extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Student support for registrar staff (#12 §2, A-2): find a student, read their login state,
 * and the few actions that put a stuck student back on their way. Staff never see or set a
 * secret; every action is one unit of work, audited with the staff member.
 */
export class SupportService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'limits'> & {
      registration: EmailRegistrationService;
      secondPassword: SecondPasswordService;
    },
  ) {}

  async search(tenant: Tenant, query: string): Promise<SearchResult> {
    const tokens = searchTokens(query);
    if (tokens.length === 0) return { status: 'empty' };
    const found = await this.deps.uow.repos.studentSearch.search(tenant.id, tokens, SEARCH_LIMIT + 1);
    return { status: 'found', students: found.slice(0, SEARCH_LIMIT), more: found.length > SEARCH_LIMIT };
  }

  /** Undefined for a user ID this university does not know: the page is a 404, as for another university's. */
  async student(tenant: Tenant, rawUserId: string): Promise<StudentSupportView | undefined> {
    const { repos } = this.deps.uow;
    const userId = normalizeUserId(rawUserId);
    const identity = await repos.studentSearch.identity(tenant.id, userId);
    if (!identity) return undefined;
    const now = this.deps.clock.now();
    const found = await repos.accounts.findByUserId(tenant.id, userId);
    const unlock = await repos.loginUnlocks.find(tenant.id, lockoutUserId(userId));
    const events = await repos.auditLog.listForStudent(tenant.id, { accountId: found?.id, userId }, EVENTS_SHOWN);
    const userCount = await this.deps.limits.count(
      'loginFailuresPerUser',
      countedUserKey({ userKey: userKeyOf(tenant.id, userId), generation: unlock?.generation ?? 0 }),
    );
    const lock: StudentSupportView['lock'] = {
      user: counter(userCount, limitDefinitions.loginFailuresPerUser.points, now),
      keys: null,
      deviceLockedUntil: deviceLockedUntil(events, unlock?.unlockedAt ?? 0, now),
      unlockedAt: unlock?.unlockedAt ?? null,
    };
    if (!found)
      return {
        identity,
        account: null,
        trustedBrowsers: { count: 0, lastUsedAt: null },
        sessions: 0,
        lock,
        events,
        orders: [],
        mail: [],
      };

    const browsers = await repos.trustedBrowsers.listActive(tenant.id, found.id, now);
    const keyCount = await this.deps.limits.count('keyFailuresPerAccount', `${tenant.id}:${found.id}`);
    lock.keys = counter(keyCount, limitDefinitions.keyFailuresPerAccount.points, now);
    const account = await this.supportAccount(tenant, found, now);
    const addresses = await this.addressesOf(tenant, found);
    const troubles = await repos.outbox.listTroubleTo(tenant.id, addresses, MAILS_SHOWN);
    return {
      identity,
      account,
      trustedBrowsers: {
        count: browsers.length,
        lastUsedAt: browsers.reduce<number | null>((last, b) => Math.max(last ?? 0, b.lastUsedAt), null),
      },
      sessions: await repos.sessions.countLive(tenant.id, found.id, now),
      lock,
      events,
      orders: await repos.orders.listForAccount(tenant.id, found.id, ORDERS_SHOWN),
      mail: troubles.map((mail) => ({ ...mail, resend: resendability(mail, found, account) })),
    };
  }

  async act(
    tenant: Tenant,
    rawUserId: string,
    action: SupportAction,
    confirmed: boolean,
    actor: Actor,
  ): Promise<SupportResult> {
    const { account, userId } = await this.target(tenant, rawUserId);
    if (!confirmed) return confirmRequired;
    if (action === 'unlock') return this.unlock(tenant, userId, account, actor);
    if (!account) return refused('support.noAccount');
    const pending = action === 'resend-registration' ? await this.pendingRegistration(tenant, account) : undefined;
    return this.inWork(actor, async (tx) => {
      const detail: Record<string, unknown> = {};
      switch (action) {
        case 'resend-registration':
          if (!pending) throw new Refusal('support.noPendingRegistration');
          await this.deps.registration.resend(tx, tenant, account, pending.address, account.lang);
          break;
        case 'clear-registration':
          if (!(await tx.accounts.clearEmail(tenant.id, account.id, tx.now))) throw new Refusal('support.noAddress');
          await tx.flows.expireOpen(tenant.id, account.id, 'email_registration', tx.now);
          await tx.flows.expireOpen(tenant.id, account.id, 'email_change', tx.now);
          // Pages of a logged-in student take the address as given: the student logs in again.
          detail.sessions = await tx.sessions.deleteAllForAccount(tenant.id, account.id);
          break;
        case 'clear-browsers':
          detail.browsers = await tx.trustedBrowsers.revokeAll(tenant.id, account.id, tx.now);
          break;
        case 'second-password-reset':
          if (!account.email || !account.emailVerified) throw new Refusal('support.noAddress');
          await this.deps.secondPassword.mailResetLink(tx, tenant, account, account.email, account.lang);
          break;
        case 'end-sessions':
          detail.sessions = await tx.sessions.deleteAllForAccount(tenant.id, account.id);
          break;
      }
      await auditStaff(tx, auditOf[action], { accountId: account.id, subject: account.userId, detail });
    });
  }

  /**
   * A failed mail sent again for the same purpose, to the student's address as it is now, with a
   * fresh link from the service that made the first (the old link may have expired).
   */
  async resendMail(
    tenant: Tenant,
    rawUserId: string,
    mailId: string,
    confirmed: boolean,
    actor: Actor,
  ): Promise<SupportResult> {
    const { account } = await this.target(tenant, rawUserId);
    if (!account) throw new AppError('not_found');
    const mail = await this.deps.uow.repos.outbox.findTrouble(tenant.id, mailId);
    if (!mail || !(await this.addressesOf(tenant, account)).includes(mail.to)) throw new AppError('not_found');
    if (!confirmed) return confirmRequired;
    const now = this.deps.clock.now();
    const resend = resendability(mail, account, await this.supportAccount(tenant, account, now));
    if (resend !== 'ok') return refused(`support.mail.${resend}`);
    const pending = await this.pendingRegistration(tenant, account);
    return this.inWork(actor, async (tx) => {
      let to: string;
      if (mail.event === 'emailRegistration') {
        if (!pending) throw new Refusal('support.mail.noLongerNeeded');
        to = pending.address;
        await this.deps.registration.resend(tx, tenant, account, to, account.lang);
      } else {
        if (!account.email) throw new Refusal('support.noAddress');
        to = account.email;
        await this.deps.secondPassword.mailResetLink(tx, tenant, account, to, account.lang);
      }
      await auditStaff(tx, 'support.mail_resent', {
        accountId: account.id,
        subject: account.userId,
        detail: { mailId: mail.id, event: mail.event, failedTo: mail.to, to },
      });
    });
  }

  /** Unlocking needs no account: a student can be locked out before their first login completes. */
  private async unlock(tenant: Tenant, userId: string, account: Account | undefined, actor: Actor) {
    await this.deps.uow.run(actor, async (tx) => {
      await tx.loginUnlocks.bump(tenant.id, lockoutUserId(userId), tx.now);
      await auditStaff(tx, 'support.unlocked', { accountId: account?.id ?? null, subject: userId });
    });
    // The login counters started over with the new generation above; the key counters are the
    // account's own, and a rate limit is never touched inside a unit of work.
    if (account) {
      await this.deps.limits.reset('keyFailuresPerAccount', `${tenant.id}:${account.id}`);
      await this.deps.limits.reset('keyReissuesPerAccount', `${tenant.id}:${account.id}`);
    }
    return { status: 'done' as const };
  }

  private async target(tenant: Tenant, rawUserId: string): Promise<{ userId: string; account: Account | undefined }> {
    const userId = normalizeUserId(rawUserId);
    const identity = await this.deps.uow.repos.studentSearch.identity(tenant.id, userId);
    if (!identity) throw new AppError('not_found');
    return { userId, account: await this.deps.uow.repos.accounts.findByUserId(tenant.id, userId) };
  }

  private async inWork(actor: Actor, work: (tx: Work) => Promise<void>): Promise<SupportResult> {
    try {
      await this.deps.uow.run(actor, work);
      return { status: 'done' };
    } catch (error) {
      if (error instanceof Refusal) return refused(error.code);
      throw error;
    }
  }

  private async supportAccount(tenant: Tenant, account: Account, now: number): Promise<SupportAccount> {
    const dates = await this.deps.uow.repos.accounts.securityDates(tenant.id, account.id);
    const pending = account.emailVerified ? undefined : await this.pendingRegistration(tenant, account);
    return {
      id: account.id,
      email: account.emailVerified ? account.email : null,
      emailVerifiedAt: dates?.emailVerifiedAt ?? null,
      pendingEmail: pending
        ? { address: pending.address, sentAt: pending.sentAt, expired: pending.expiresAt <= now }
        : null,
      secondPasswordSet: account.secondPasswordHash !== null,
      secondPasswordSetAt: account.secondPasswordHash !== null ? (dates?.secondPasswordSetAt ?? null) : null,
      twoFactor: tenant.policy.twoFactorMandatory ? 'mandatory' : account.twoFactorEnabled ? 'on' : 'off',
      createdAt: dates?.createdAt ?? 0,
    };
  }

  /** The address of the newest registration not yet confirmed, while the account has none confirmed. */
  private async pendingRegistration(tenant: Tenant, account: Account) {
    if (account.emailVerified) return undefined;
    const flows = await this.deps.uow.repos.flows.listForSubject<RegistrationContext>(
      tenant.id,
      account.id,
      ['email_registration'],
      FLOWS_READ,
    );
    const flow = flows.find((f) => f.state === 'mail_sent' && f.context.email);
    return flow?.context.email
      ? { address: flow.context.email, sentAt: flow.issuedAt, expiresAt: flow.expiresAt }
      : undefined;
  }

  /** Every address the student was mailed at that the database still remembers. */
  private async addressesOf(tenant: Tenant, account: Account): Promise<string[]> {
    const flows = await this.deps.uow.repos.flows.listForSubject<Partial<{ email: string; newEmail: string }>>(
      tenant.id,
      account.id,
      ['email_registration', 'email_change'],
      FLOWS_READ,
    );
    const addresses = flows.flatMap((flow) => [flow.context.email, flow.context.newEmail]);
    return [...new Set([account.email, ...addresses].filter((a): a is string => typeof a === 'string' && a !== ''))];
  }
}

function counter(state: { count: number; secondsLeft: number }, ceiling: number, now: number): LockCounter {
  return {
    failures: state.count,
    ceiling,
    lockedUntil: state.count >= ceiling ? now + state.secondsLeft * 1000 : null,
  };
}

/** A known device's counter cannot be read back (its key holds a device id nobody stores): the audit log tells. */
function deviceLockedUntil(events: AuditRecord[], unlockedAt: number, now: number): number | null {
  const lockout = events.find((e) => e.event === 'login.locked' && e.detail?.scope === 'device');
  if (!lockout || lockout.at <= unlockedAt) return null;
  const until = lockout.at + limitDefinitions.loginFailuresPerDevice.blockDuration * 1000;
  return until > now ? until : null;
}

function resendability(mail: MailTrouble, account: Account, view: SupportAccount): SupportMail['resend'] {
  if (mail.failedAt === null) return 'retrying';
  if (!RESENDABLE.has(mail.event)) return 'notResendable';
  if (mail.event === 'emailRegistration' && account.emailVerified) return 'noLongerNeeded';
  const current = mail.event === 'emailRegistration' ? view.pendingEmail?.address : view.email;
  if (!current) return 'noAddress';
  return current === mail.to ? 'addressUnchanged' : 'ok';
}
