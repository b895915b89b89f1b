import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { OutgoingMail } from './outbox.model.js';

export interface MailWorkerOptions {
  smtpUrl: string | undefined;
  from: string;
  pollIntervalMs?: number;
  leaseMs?: number;
  batchSize?: number;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;

/** Wait before the next try: 15 s, 30 s, 1 min … up to an hour, retried until delivered. */
export function retryDelayMs(attempts: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Delivers the outbox over SMTP. With no SMTP server configured (development), "delivery"
 * marks the mail sent and the dev mailbox page shows it.
 */
export class MailWorker {
  readonly id = newId();
  private readonly transport: Transporter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: MailWorkerOptions,
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Called after a transaction that queued mail commits, so nobody waits for the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.log.error({ err: error }, 'mail outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** One pass over the due mails; tests call it to deliver without waiting. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.outbox.claimDue(
        this.id,
        this.clock.now(),
        this.options.leaseMs ?? 60_000,
        this.options.batchSize ?? 10,
      );
      // An empty batch may only mean another worker won these rows: stop once nothing claimable is left.
      if (batch.length === 0 && !(await this.outbox.anyClaimable(this.clock.now()))) return delivered;
      for (const mail of batch) {
        if (await this.deliver(mail)) delivered++;
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.kick();
      this.schedule();
    }, this.options.pollIntervalMs ?? 2_000);
    this.timer.unref();
  }

  private async deliver(mail: OutgoingMail): Promise<boolean> {
    try {
      if (this.transport) {
        await this.transport.sendMail({
          from: this.options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { 'X-Shomei-Event': mail.event, 'Auto-Submitted': 'auto-generated' },
        });
      }
      await this.outbox.markSent(mail.tenantId, mail.id, this.id, this.clock.now());
      this.log.info({ mailId: mail.id, tenantId: mail.tenantId, event: mail.event }, 'mail delivered');
      return true;
    } catch (error) {
      const attempts = (await this.outbox.attempts(mail.tenantId, mail.id)) + 1;
      const message = error instanceof Error ? error.message : String(error);
      await this.outbox.markFailed(mail.tenantId, mail.id, this.id, message, this.clock.now() + retryDelayMs(attempts));
      this.log.warn(
        { mailId: mail.id, tenantId: mail.tenantId, attempts, err: message },
        'mail delivery failed, will retry',
      );
      return false;
    }
  }
}
