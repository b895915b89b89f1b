import type { Work } from '../../db/unit-of-work.js';
import { type SecretBox, newId } from '../../platform/crypto.js';
import type { Lang } from '../../platform/i18n.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { sealMail } from './mail.seal.js';
import { type MailEvent, composeMail } from './mail.templates.js';
import type { MailWorker } from './mail.worker.js';
import type { MailPriority } from './outbox.model.js';

export interface MailRequest {
  event: MailEvent;
  lang: Lang;
  to: string;
  params: Record<string, string | number>;
}

/** Mail a student is waiting for with a page open: a key or a one-time link with a short life. */
const URGENT_EVENTS: ReadonlySet<MailEvent> = new Set<MailEvent>([
  'authKey',
  'emailRegistration',
  'emailChange',
  'secondPasswordReset',
]);

export function priorityOf(event: MailEvent): MailPriority {
  return URGENT_EVENTS.has(event) ? 'urgent' : 'bulk';
}

/**
 * Queues mail inside the caller's unit of work: the mail exists exactly when the change that
 * caused it commits, and the worker is woken after the commit, not before. The body is sealed
 * before it reaches the database.
 */
export class Mailer {
  constructor(
    private readonly worker: Pick<MailWorker, 'kick'>,
    private readonly box: SecretBox,
  ) {}

  async queue(tx: Work, tenant: Tenant, mail: MailRequest): Promise<void> {
    const composed = composeMail(mail.event, mail.lang, tenant, mail.params);
    await tx.outbox.enqueue(
      {
        id: newId(),
        tenantId: tenant.id,
        event: mail.event,
        to: mail.to,
        priority: priorityOf(mail.event),
        ...sealMail(this.box, composed),
      },
      tx.now,
    );
    tx.afterCommit(() => this.worker.kick());
  }
}
