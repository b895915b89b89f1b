import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MailOutboxTable } from './outbox.table.js';
import type {
  ClaimedMail,
  FailedMail,
  MailTrouble,
  MailPriority,
  OutboxBacklog,
  OutgoingMail,
  Sealed,
  StoredMail,
} from './outbox.model.js';

interface SealedMail {
  subject: Sealed;
  text: Sealed;
  html: Sealed;
}

const PRIORITY: Record<MailPriority, number> = { urgent: 0, bulk: 1 };

/** Sent and failed mail keep no body: the links and keys in it are nobody's business any more. */
const BLANK_BODY = { subject: '', body_text: '', body_html: '' };

/** Not sent, not given up, due, and nobody holds a live lease on it. */
function claimable(eb: ExpressionBuilder<Database, 'mail_outbox'>, now: number) {
  return eb.and([
    eb('sent_at', 'is', null),
    eb('failed_at', 'is', null),
    eb('next_attempt_at', '<=', now),
    eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]),
  ]);
}

export class OutboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(mail: OutgoingMail, now: number): Promise<void> {
    await this.db
      .insertInto('mail_outbox')
      .values({
        tenant_id: mail.tenantId,
        id: mail.id,
        event: mail.event,
        to_address: mail.to,
        subject: mail.subject,
        body_text: mail.text,
        body_html: mail.html,
        priority: PRIORITY[mail.priority],
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        locked_by: null,
        sent_at: null,
        failed_at: null,
        last_error: null,
      })
      .execute();
  }

  /**
   * Claims the next due mail for one worker with a lease, urgent mail first: a conditional update,
   * so two workers (or instances) never both take one. A crashed worker's lease runs out and the
   * mail is retried. The worker serves every tenant, so this is the one query not scoped by tenant.
   */
  async claimNext(
    workerId: string,
    now: number,
    leaseMs: number,
    urgentOnly = false,
  ): Promise<ClaimedMail | undefined> {
    for (;;) {
      let query = this.db
        .selectFrom('mail_outbox')
        .select(['tenant_id', 'id'])
        .where((eb) => claimable(eb, now))
        .orderBy('priority')
        .orderBy('next_attempt_at')
        .limit(8);
      if (urgentOnly) query = query.where('priority', '=', PRIORITY.urgent);
      const due = await query.execute();
      if (due.length === 0) return undefined;
      for (const candidate of due) {
        const row = await this.db
          .updateTable('mail_outbox')
          .set({ locked_until: now + leaseMs, locked_by: workerId })
          .where('tenant_id', '=', candidate.tenant_id)
          .where('id', '=', candidate.id)
          .where((eb) => claimable(eb, now))
          .returningAll()
          .executeTakeFirst();
        if (row) return toStoredMail(row);
      }
    }
  }

  /**
   * Right before a send and while it lasts: extends the lease if this worker still holds it and the
   * mail is still unsent. False means another worker took it over; this one must not send.
   */
  async renewLease(tenantId: string, id: string, workerId: string, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('mail_outbox')
      .set({ locked_until: now + leaseMs })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('locked_until', '>', now)
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Whoever handed the mail to SMTP records it, lease or not, so no other worker sends it again.
   * `keepBody` is for the dev mailbox, which shows sent mail instead of sending it.
   */
  async markSent(tenantId: string, id: string, now: number, { keepBody = false } = {}): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set((eb) => ({
        sent_at: now,
        locked_until: null,
        attempts: eb('attempts', '+', 1),
        last_error: null,
        ...(keepBody ? {} : BLANK_BODY),
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .execute();
  }

  /** A temporary failure (4xx, network): tried again at `retryAt`. */
  async scheduleRetry(tenantId: string, id: string, workerId: string, error: string, retryAt: number): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error.slice(0, 1000),
        next_attempt_at: retryAt,
        locked_until: null,
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('sent_at', 'is', null)
      .execute();
  }

  /** A permanent failure (5xx, or retried too long): never tried again, kept with its reason for staff. */
  async markUndeliverable(tenantId: string, id: string, workerId: string, reason: string, now: number): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: reason.slice(0, 1000),
        failed_at: now,
        locked_until: null,
        ...BLANK_BODY,
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('sent_at', 'is', null)
      .execute();
  }

  /** A university's mail that will never be sent, newest first (the staff console lists it). */
  async listFailed(tenantId: string, limit: number): Promise<FailedMail[]> {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select(['id', 'event', 'to_address', 'created_at', 'failed_at', 'attempts', 'last_error'])
      .where('tenant_id', '=', tenantId)
      .where('failed_at', 'is not', null)
      .orderBy('failed_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      event: row.event,
      to: row.to_address,
      createdAt: row.created_at,
      failedAt: row.failed_at ?? 0,
      attempts: row.attempts,
      reason: row.last_error ?? '',
    }));
  }

  /**
   * Mail to these addresses that will never be sent, or is being retried after a refusal (#12
   * the reason, never the body.
   */
  async listTroubleTo(tenantId: string, addresses: readonly string[], limit: number): Promise<MailTrouble[]> {
    if (addresses.length === 0) return [];
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select(['id', 'event', 'to_address', 'created_at', 'failed_at', 'attempts', 'last_error'])
      .where('tenant_id', '=', tenantId)
      .where('to_address', 'in', addresses)
      .where((eb) =>
        eb.or([eb('failed_at', 'is not', null), eb.and([eb('sent_at', 'is', null), eb('last_error', 'is not', null)])]),
      )
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toTrouble);
  }

  async findTrouble(tenantId: string, id: string): Promise<MailTrouble | undefined> {
    const row = await this.db
      .selectFrom('mail_outbox')
      .select(['id', 'event', 'to_address', 'created_at', 'failed_at', 'attempts', 'last_error'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('last_error', 'is not', null)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    return row && toTrouble(row);
  }

  /**
   * The outbox at a glance, across every university, for the metrics scrape: mail waiting and
   * mail a worker holds, with the oldest of each, and mail given up. Only unsent or failed rows
   * are read (the claim and failed indexes), and housekeeping bounds those.
   */
  async backlog(now: number): Promise<OutboxBacklog[]> {
    const pending = await this.db
      .selectFrom('mail_outbox')
      .select((eb) => [
        'priority',
        eb.case().when('locked_until', '>', now).then(1).else(0).end().as('leased'),
        eb.fn.countAll().as('count'),
        eb.fn.min('created_at').as('oldest'),
      ])
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .groupBy(['priority', 'leased'])
      .execute();
    const failed = await this.db
      .selectFrom('mail_outbox')
      .select((eb) => ['priority', eb.fn.countAll().as('count')])
      .where('failed_at', 'is not', null)
      .groupBy('priority')
      .execute();
    const priorityOf = (value: number): MailPriority => (value === PRIORITY.urgent ? 'urgent' : 'bulk');
    return [
      ...pending.map((row) => ({
        priority: priorityOf(row.priority),
        state: Number(row.leased) === 1 ? ('sending' as const) : ('queued' as const),
        count: Number(row.count),
        oldestCreatedAt: row.oldest === null ? null : Number(row.oldest),
      })),
      ...failed.map((row) => ({
        priority: priorityOf(row.priority),
        state: 'failed' as const,
        count: Number(row.count),
        oldestCreatedAt: null,
      })),
    ];
  }

  async deleteSentBefore(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('mail_outbox').where('sent_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Mail that failed before `cutoff`, or was queued before it and never went out. */
  async deleteUndeliverableBefore(cutoff: number): Promise<number> {
    const result = await this.db
      .deleteFrom('mail_outbox')
      .where('sent_at', 'is', null)
      .where((eb) => eb.or([eb('failed_at', '<', cutoff), eb('created_at', '<', cutoff)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Mail still to be sent, with its sealed body, in id order from `afterId`: for re-sealing after a key rotation. */
  async listUnsentSealed(
    afterId: string,
    limit: number,
  ): Promise<Array<{ tenantId: string; id: string } & SealedMail>> {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select(['tenant_id', 'id', 'subject', 'body_text', 'body_html'])
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('body_text', '!=', '')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      id: row.id,
      subject: row.subject as Sealed,
      text: row.body_text as Sealed,
      html: row.body_html as Sealed,
    }));
  }

  /** Only while it still holds the body the caller read: a mail sent meanwhile stays blank. */
  async replaceSealed(tenantId: string, id: string, from: SealedMail, to: SealedMail): Promise<boolean> {
    const result = await this.db
      .updateTable('mail_outbox')
      .set({ subject: to.subject, body_text: to.text, body_html: to.html })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .where('body_text', '=', from.text)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** When the oldest mail of this priority still waiting to go out was queued (readiness). */
  async oldestUnsentAt(priority: MailPriority): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.min('created_at').as('oldest'))
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('priority', '=', PRIORITY[priority])
      .executeTakeFirst();
    return row?.oldest == null ? undefined : Number(row.oldest);
  }

  /** The dev mailbox: every tenant's recent mail, newest first. */
  async listRecent(limit: number): Promise<StoredMail[]> {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toStoredMail);
  }

  async findAnyTenant(id: string): Promise<StoredMail | undefined> {
    const row = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStoredMail(row);
  }
}

function toStoredMail(row: Selectable<MailOutboxTable>): StoredMail {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    event: row.event,
    to: row.to_address,
    priority: row.priority === PRIORITY.urgent ? 'urgent' : 'bulk',
    subject: row.subject as Sealed,
    text: row.body_text as Sealed,
    html: row.body_html as Sealed,
    createdAt: row.created_at,
    attempts: row.attempts,
    sentAt: row.sent_at,
    failedAt: row.failed_at,
    lastError: row.last_error,
  };
}

function toTrouble(row: {
  id: string;
  event: string;
  to_address: string;
  created_at: number;
  failed_at: number | null;
  attempts: number;
  last_error: string | null;
}): MailTrouble {
  return {
    id: row.id,
    event: row.event,
    to: row.to_address,
    createdAt: row.created_at,
    failedAt: row.failed_at,
    attempts: row.attempts,
    reason: row.last_error ?? '',
  };
}
