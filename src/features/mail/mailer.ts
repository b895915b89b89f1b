import type { Repositories } from '../../db/repositories.js';
import { newId } from '../../platform/crypto.js';
import type { Lang } from '../../platform/i18n.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { type MailEvent, composeMail } from './mail.templates.js';
import type { MailWorker } from './mail.worker.js';

/** Queues mail inside the caller's transaction; the worker delivers it after commit. */
export class Mailer {
  constructor(private readonly worker: MailWorker) {}

  async queue(
    repos: Repositories,
    tenant: Tenant,
    mail: { event: MailEvent; lang: Lang; to: string; params: Record<string, string | number> },
    now: number,
  ): Promise<void> {
    const composed = composeMail(mail.event, mail.lang, tenant, mail.params);
    await repos.outbox.enqueue({ id: newId(), tenantId: tenant.id, event: mail.event, to: mail.to, ...composed }, now);
  }

  /** Call after the transaction commits. */
  flush(): void {
    this.worker.kick();
  }
}
