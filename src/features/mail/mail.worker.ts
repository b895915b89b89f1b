import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { type SecretBox, newId } from '../../platform/crypto.js';
import { redactAddresses } from '../../platform/log-redaction.js';
import type { Metrics } from '../../platform/metrics.js';
import { openMail } from './mail.seal.js';
import type { ComposedMail } from './mail.templates.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { ClaimedMail } from './outbox.model.js';

export interface MailWorkerOptions {
  smtpUrl: string | undefined;
  from: string;
  pollIntervalMs?: number;
  /** How long a claim holds; renewed every third of it while a send lasts. */
  leaseMs?: number;
  /** Mails in flight at once; one of them only ever takes urgent mail. At least 2. */
  concurrency?: number;
  /** Bound on connecting, on the server's greeting, and on each silence of the socket. */
  smtpTimeoutMs?: number;
  /** First wait after a temporary failure; doubles up to an hour. */
  retryBaseMs?: number;
  /** A mail still refused this long after it was queued is given up and recorded as failed. */
  giveUpAfterMs?: number;
  metrics?: Pick<Metrics, 'mailDelivery'>;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

/** Wait before the next try: 15 s, 30 s, 1 min … up to an hour. */
export function retryDelayMs(attempts: number, baseMs = 15_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** An SMTP reply in the 5xx range will not change on a retry (RFC 5321 §4.2.1). */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | undefined)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const TIMEOUTS = ['connectionTimeout', 'greetingTimeout', 'socketTimeout'] as const;

/**
 * nodemailer's defaults wait 2 min to connect, 30 s for a greeting and 10 min on a silent socket.
 * It reads a URL's options from its query (and ignores options given beside a URL), so the bounds
 * go there, unless the operator's SMTP_URL sets them itself.
 */
export function withTimeouts(smtpUrl: string, timeoutMs: number): string {
  const url = new URL(smtpUrl);
  for (const key of TIMEOUTS) if (!url.searchParams.has(key)) url.searchParams.set(key, String(timeoutMs));
  return url.toString();
}

interface Lane {
  urgentOnly: boolean;
  running: Promise<number> | undefined;
  again: boolean;
}

/** Waits between tries to record a mail already handed to SMTP (about 30 s in all, within the lease). */
const RECORD_SENT_WAITS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000];

/**
 * Delivers the outbox over SMTP, several mails at a time; one lane takes only keys and one-time
 * links, so they never wait behind a slow bulk mail. With no SMTP server configured (development),
 * "delivery" marks the mail sent and the dev mailbox page shows it.
 */
export class MailWorker {
  readonly id = newId();
  private readonly transport: Transporter | undefined;
  private readonly lanes: Lane[];
  private readonly leaseMs: number;
  /**
   * Mails this worker claimed and had not handed to SMTP when their pass failed (the database went
   * away between the claim and the send): tried first on a later pass, as the lease's holder,
   * instead of waiting out the lease.
   */
  private readonly held: ClaimedMail[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: MailWorkerOptions,
  ) {
    this.transport = options.smtpUrl
      ? nodemailer.createTransport(withTimeouts(options.smtpUrl, options.smtpTimeoutMs ?? 10_000))
      : undefined;
    this.leaseMs = options.leaseMs ?? 60_000;
    const concurrency = Math.max(2, options.concurrency ?? 4);
    this.lanes = Array.from({ length: concurrency }, (_, index) => ({
      urgentOnly: index === 0,
      running: undefined,
      again: false,
    }));
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Called after a transaction that queued mail commits, so nobody waits for the next poll. */
  kick(): void {
    if (this.stopped) return;
    for (const lane of this.lanes) this.wake(lane);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.lanes.map((lane) => lane.running));
    this.transport?.close();
  }

  /** One pass over the due mails with every lane; tests call it to deliver without waiting. */
  async drain(): Promise<number> {
    const delivered = await Promise.all(this.lanes.map((lane) => this.runLane(lane)));
    return delivered.reduce((sum, n) => sum + n, 0);
  }

  private wake(lane: Lane): void {
    if (lane.running) {
      lane.again = true;
      return;
    }
    lane.again = false;
    lane.running = this.runLane(lane)
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'mail outbox pass failed');
        return 0;
      })
      .finally(() => {
        lane.running = undefined;
        if (lane.again && !this.stopped) this.wake(lane);
      });
  }

  private async runLane(lane: Lane): Promise<number> {
    let delivered = 0;
    for (;;) {
      const mail =
        this.takeHeld(lane.urgentOnly) ??
        (await this.outbox.claimNext(this.id, this.clock.now(), this.leaseMs, lane.urgentOnly));
      if (!mail) return delivered;
      let handedOver = false;
      try {
        if (await this.deliver(mail, () => (handedOver = true))) delivered++;
      } catch (error) {
        if (!handedOver) this.held.push(mail);
        throw error;
      }
    }
  }

  /** A held mail this lane may take; taken out of the list at once, so no other pass sends it too. */
  private takeHeld(urgentOnly: boolean): ClaimedMail | undefined {
    const index = this.held.findIndex((mail) => !urgentOnly || mail.priority === 'urgent');
    return index === -1 ? undefined : this.held.splice(index, 1)[0];
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.kick();
      this.schedule();
    }, this.options.pollIntervalMs ?? 2_000);
    this.timer.unref();
  }

  /** `handedOver` is called once the mail is with SMTP: from then on it must never be sent again. */
  private async deliver(mail: ClaimedMail, handedOver: () => void): Promise<boolean> {
    let body: ComposedMail | undefined;
    try {
      body = openMail(this.box, mail);
    } catch {
      body = undefined;
    }
    if (!body) {
      await this.giveUp(mail, 'the sealed body cannot be opened with this SECRET_KEY');
      return false;
    }
    // The claim may have run out while this mail waited in the lane: send only if it is still ours.
    if (!(await this.outbox.renewLease(mail.tenantId, mail.id, this.id, this.clock.now(), this.leaseMs))) {
      this.log.warn({ mailId: mail.id, tenantId: mail.tenantId }, 'mail lease lost before sending; left to its holder');
      return false;
    }
    try {
      if (this.transport) await this.whileHoldingLease(mail, this.send(this.transport, mail, body));
    } catch (error) {
      await this.failed(mail, error);
      return false;
    }
    handedOver();
    // Counted when SMTP has it, before the row says so: whoever sees the row sent sees the count.
    this.options.metrics?.mailDelivery(mail.priority, 'sent');
    await this.recordSent(mail);
    this.log.info({ mailId: mail.id, tenantId: mail.tenantId, event: mail.event }, 'mail delivered');
    return true;
  }

  /**
   * A mail SMTP accepted is recorded as sent even if the database is away for a while (a restart):
   * treated as a failed send, it would be retried and reach the student twice.
   */
  private async recordSent(mail: ClaimedMail): Promise<void> {
    for (const wait of [...RECORD_SENT_WAITS_MS, undefined]) {
      try {
        await this.outbox.markSent(mail.tenantId, mail.id, this.clock.now(), { keepBody: !this.transport });
        return;
      } catch (error) {
        if (wait === undefined) {
          this.log.error({ err: error, mailId: mail.id }, 'a sent mail could not be recorded; it may go out twice');
          return;
        }
        this.log.warn({ err: error, mailId: mail.id }, 'recording a sent mail failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async send(transport: Transporter, mail: ClaimedMail, body: ComposedMail): Promise<void> {
    await transport.sendMail({
      from: this.options.from,
      to: mail.to,
      subject: body.subject,
      text: body.text,
      html: body.html,
      headers: { 'X-Shomei-Event': mail.event, 'Auto-Submitted': 'auto-generated' },
    });
  }

  /** A send may outlast the lease (a slow server): the lease is renewed while it runs. */
  private async whileHoldingLease<T>(mail: ClaimedMail, sending: Promise<T>): Promise<T> {
    const renew = setInterval(() => {
      this.outbox
        .renewLease(mail.tenantId, mail.id, this.id, this.clock.now(), this.leaseMs)
        .then((held) => {
          if (!held) this.log.error({ mailId: mail.id }, 'mail lease lost during a send; it may go out twice');
        })
        .catch((error: unknown) => this.log.warn({ err: error, mailId: mail.id }, 'mail lease renewal failed'));
    }, this.leaseMs / 3);
    try {
      return await sending;
    } finally {
      clearInterval(renew);
    }
  }

  private async failed(mail: ClaimedMail, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (isPermanentSmtpFailure(error)) {
      await this.giveUp(mail, message);
      return;
    }
    const now = this.clock.now();
    if (now - mail.createdAt >= (this.options.giveUpAfterMs ?? 2 * DAY)) {
      await this.giveUp(mail, `still refused after ${mail.attempts + 1} attempts: ${message}`);
      return;
    }
    const attempts = mail.attempts + 1;
    await this.outbox.scheduleRetry(
      mail.tenantId,
      mail.id,
      this.id,
      message,
      now + retryDelayMs(attempts, this.options.retryBaseMs),
    );
    this.options.metrics?.mailDelivery(mail.priority, 'retry');
    this.log.warn(
      { mailId: mail.id, tenantId: mail.tenantId, event: mail.event, attempts, err: redactAddresses(message) },
      'mail delivery failed, will retry',
    );
  }

  private async giveUp(mail: ClaimedMail, reason: string): Promise<void> {
    await this.outbox.markUndeliverable(mail.tenantId, mail.id, this.id, reason, this.clock.now());
    this.options.metrics?.mailDelivery(mail.priority, 'failed');
    // A relay's refusal often quotes the recipient; the staff console shows it, the log need not.
    this.log.error(
      { mailId: mail.id, tenantId: mail.tenantId, event: mail.event, reason: redactAddresses(reason) },
      'mail undeliverable',
    );
  }
}
