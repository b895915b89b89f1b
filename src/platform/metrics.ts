import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a press of Login (or of the key screen's button) ended, for `shomei_logins_total`. */
export type LoginOutcome = 'success' | 'wrong_credentials' | 'locked' | 'key_sent' | 'key_failed';

/** What became of one delivery attempt: handed to SMTP, to be tried again, or given up. */
export type MailDeliveryOutcome = 'sent' | 'retry' | 'failed';

/** One series of a gauge read when scraped. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/**
 * What the code reports as it works. Services see only this interface (through Infrastructure),
 * never prom-client. Label values are bounded sets — route patterns, outcomes, tenant slugs,
 * certificate types — never user ids, addresses or tokens.
 */
export interface Metrics {
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  login(tenant: string, outcome: LoginOutcome): void;
  hashRefused(): void;
  mailDelivery(priority: string, outcome: MailDeliveryOutcome): void;
  terminalCall(operation: string, outcome: string): void;
  certificateIssued(tenant: string, type: string): void;
  /** A gauge whose series are read at each scrape (queue lengths, counts in the database, pools). */
  readAtScrape(name: string, help: string, labelNames: string[], read: () => Sample[] | Promise<Sample[]>): void;
}

/** Metrics switched off (neither METRICS_PORT nor METRICS_TOKEN), and the CLI: nothing is kept. */
export const noMetrics: Metrics = {
  httpRequest: () => undefined,
  login: () => undefined,
  hashRefused: () => undefined,
  mailDelivery: () => undefined,
  terminalCall: () => undefined,
  certificateIssued: () => undefined,
  readAtScrape: () => undefined,
};

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The Prometheus side. Each instance has its own registry (tests build several apps in one
 * process), with Node's process metrics collected into it.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route'>;
  private readonly logins: Counter<'tenant' | 'outcome'>;
  private readonly hashRefusals: Counter;
  private readonly mail: Counter<'priority' | 'outcome'>;
  private readonly terminal: Counter<'operation' | 'outcome'>;
  private readonly certificates: Counter<'tenant' | 'type'>;

  constructor(private readonly onReadFailure: (name: string, error: unknown) => void = () => undefined) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'shomei_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.durations = new Histogram({
      name: 'shomei_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.logins = new Counter({
      name: 'shomei_logins_total',
      help: 'Login steps by university and outcome (success, wrong_credentials, locked, key_sent, key_failed)',
      labelNames: ['tenant', 'outcome'],
      registers,
    });
    this.hashRefusals = new Counter({
      name: 'shomei_hash_refused_total',
      help: 'Password checks refused with 503 because the hash queue was full',
      registers,
    });
    this.mail = new Counter({
      name: 'shomei_mail_deliveries_total',
      help: 'Mail delivery attempts by this instance, by priority and outcome (sent, retry, failed)',
      labelNames: ['priority', 'outcome'],
      registers,
    });
    this.terminal = new Counter({
      name: 'shomei_terminal_requests_total',
      help: 'Print-terminal API calls by operation and outcome (ok or the error code answered)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.certificates = new Counter({
      name: 'shomei_certificates_issued_total',
      help: 'Certificates issued (signed PDFs recorded), by university and certificate type',
      labelNames: ['tenant', 'type'],
      registers,
    });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const knownMethod = HTTP_METHODS.has(method) ? method : 'OTHER';
    this.requests.inc({ method: knownMethod, route, status: String(status) });
    this.durations.observe({ method: knownMethod, route }, seconds);
  }

  login(tenant: string, outcome: LoginOutcome): void {
    this.logins.inc({ tenant, outcome });
  }

  hashRefused(): void {
    this.hashRefusals.inc();
  }

  mailDelivery(priority: string, outcome: MailDeliveryOutcome): void {
    this.mail.inc({ priority, outcome });
  }

  terminalCall(operation: string, outcome: string): void {
    this.terminal.inc({ operation, outcome });
  }

  certificateIssued(tenant: string, type: string): void {
    this.certificates.inc({ tenant, type });
  }

  readAtScrape(name: string, help: string, labelNames: string[], read: () => Sample[] | Promise<Sample[]>): void {
    const onReadFailure = this.onReadFailure;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      // A failed read (the database is away) leaves the gauge without series for this scrape;
      // the process and HTTP metrics are still served, which is when they matter most.
      async collect() {
        this.reset();
        try {
          for (const sample of await read()) this.set(sample.labels, sample.value);
        } catch (error) {
          onReadFailure(name, error);
        }
      },
    });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
