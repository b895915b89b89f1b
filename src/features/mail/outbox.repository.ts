import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MailOutboxTable } from './outbox.table.js';
import type { OutgoingMail, StoredMail } from './outbox.model.js';

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
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        locked_by: null,
        sent_at: null,
        last_error: null,
      })
      .execute();
  }

  /**
   * Claims due mails for one worker with a lease: a conditional update per row, so two workers
   * (or instances) never both take one. A crashed worker's lease runs out and the mail is retried.
   * The worker serves every tenant, so this is the one query not scoped by tenant.
   */
  async claimDue(workerId: string, now: number, leaseMs: number, limit: number): Promise<OutgoingMail[]> {
    const due = await this.db
      .selectFrom('mail_outbox')
      .select(['tenant_id', 'id'])
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: OutgoingMail[] = [];
    for (const candidate of due) {
      const row = await this.db
        .updateTable('mail_outbox')
        .set({ locked_until: now + leaseMs, locked_by: workerId })
        .where('tenant_id', '=', candidate.tenant_id)
        .where('id', '=', candidate.id)
        .where('sent_at', 'is', null)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .returningAll()
        .executeTakeFirst();
      if (row) {
        claimed.push({
          id: row.id,
          tenantId: row.tenant_id,
          event: row.event,
          to: row.to_address,
          subject: row.subject,
          text: row.body_text,
          html: row.body_html,
        });
      }
    }
    return claimed;
  }

  async anyClaimable(now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async markSent(tenantId: string, id: string, workerId: string, now: number): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set((eb) => ({ sent_at: now, locked_until: null, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .execute();
  }

  async markFailed(tenantId: string, id: string, workerId: string, error: string, retryAt: number): Promise<void> {
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
      .execute();
  }

  async attempts(tenantId: string, id: string): Promise<number> {
    const row = await this.db
      .selectFrom('mail_outbox')
      .select('attempts')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.attempts ?? 0;
  }

  async deleteSentBefore(cutoff: number): Promise<number> {
    const result = await this.db.deleteFrom('mail_outbox').where('sent_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
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
    subject: row.subject,
    text: row.body_text,
    html: row.body_html,
    createdAt: row.created_at,
    attempts: row.attempts,
    sentAt: row.sent_at,
    lastError: row.last_error,
  };
}
