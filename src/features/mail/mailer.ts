import type { Work } from '../../db/unit-of-work.js';
import { newId } from '../../platform/crypto.js';
import type { Lang } from '../../platform/i18n.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { type MailEvent, composeMail } from './mail.templates.js';
import type { MailWorker } from './mail.worker.js';

export interface MailRequest {
  event: MailEvent;
  lang: Lang;
  to: string;
  params: Record<string, string | number>;
}

/**
 * Queues mail inside the caller's unit of work: the mail exists exactly when the change that
 * caused it commits, and the worker is woken after the commit, not before.
 */
export class Mailer {
  constructor(private readonly worker: Pick<MailWorker, 'kick'>) {}

  async queue(tx: Work, tenant: Tenant, mail: MailRequest): Promise<void> {
    const composed = composeMail(mail.event, mail.lang, tenant, mail.params);
    await tx.outbox.enqueue({ id: newId(), tenantId: tenant.id, event: mail.event, to: mail.to, ...composed }, tx.now);
    tx.afterCommit(() => this.worker.kick());
  }
}
