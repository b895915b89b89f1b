import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** A real SMTP server on loopback: the app's mail goes over the wire like in production. */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];
  /** Recipients this server refuses for good (550), as a relay does for a mailbox that does not exist. */
  readonly refused = new Set<string>();
  private readonly server: SMTPServer;
  private waiters: Array<() => void> = [];
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address.toLowerCase())) return callback();
        const error = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`);
        callback(Object.assign(error, { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          PostalMime.parse(Buffer.concat(chunks))
            .then((parsed) => {
              this.mails.push({
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: parsed.html ?? '',
                headers: Object.fromEntries(parsed.headers.map((h) => [h.key, h.value])),
              });
              for (const wake of this.waiters.splice(0)) wake();
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    // A client that dies mid-session (an instance killed by a fault test) resets its socket; that
    // is the client's failure, not the server's, and must not surface as an uncaught error.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.server.address();
    if (!address || typeof address === 'string') throw new Error('smtp server has no port');
    this.port = address.port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits for the next mail to `to` matching `match` that arrives after `since` mails. */
  async waitFor(
    to: string,
    options: { since?: number; match?: (mail: ReceivedMail) => boolean; timeoutMs?: number } = {},
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.mails
        .slice(options.since ?? 0)
        .find((mail) => mail.to.includes(to) && (options.match?.(mail) ?? true));
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(
          `no mail to ${to} within the time (have: ${this.mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ')})`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  count(to?: string): number {
    return to ? this.mails.filter((mail) => mail.to.includes(to)).length : this.mails.length;
  }
}

/** The one-time URL in a mail, as a student would click it. */
export function urlIn(mail: ReceivedMail): URL {
  const match = /(https?:\/\/\S+\?token=[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no URL in mail: ${mail.text}`);
  return new URL(match[1]);
}

/** The authentication key in a key mail. */
export function keyIn(mail: ReceivedMail): string {
  const match = /(?:Authentication key|認証キー)\s*[:：]\s*(\d+)/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no key in mail: ${mail.text}`);
  return match[1];
}
