import os from 'node:os';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .default('sqlite:./data/shomei.sqlite')
      .refine((url) => url.startsWith('sqlite:') || /^postgres(ql)?:\/\/./.test(url), {
        message:
          'must be sqlite:<file> (for example sqlite:./data/shomei.sqlite) or postgres://user:password@host:5432/database',
      }),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    TRUST_PROXY: z.string().optional(),
    SMTP_URL: z
      .string()
      .optional()
      .refine((url) => url === undefined || /^smtps?:\/\//.test(url), {
        message: 'must be an smtp:// or smtps:// URL',
      }),
    MAIL_FROM: z.string().min(3).default('Shomei <no-reply@shomei.localhost>'),
    SMTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    MAIL_CONCURRENCY: z.coerce.number().int().min(2).max(32).default(4),
    PUBLIC_URL: z.string().url().optional(),
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters of random text').optional(),
    SECRET_KEY_PREVIOUS: z.string().min(32, 'must be at least 32 characters of random text').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SEED_DEMO: booleanFromEnv.optional(),
    TERMINAL_SIMULATOR: booleanFromEnv.optional(),
    RELEASE_UNPRINTED_AFTER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    HASH_QUEUE_LIMIT: z.coerce.number().int().min(0).max(10_000).default(64),
    HELPER_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(10),
    VERIFY_PARSE_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
    VERIFY_PARSE_QUEUE_LIMIT: z.coerce.number().int().min(0).max(1000).default(8),
    VERIFY_PARSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    VERIFY_PARSE_MEMORY_MB: z.coerce.number().int().min(8).max(1024).default(128),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters of random text').optional(),
    TSA_URL: z
      .string()
      .url()
      .optional()
      .refine((url) => url === undefined || /^https?:\/\//.test(url), {
        message: 'must be the http:// or https:// URL of an RFC 3161 timestamp authority',
      }),
    TSA_CREDENTIALS: z
      .string()
      .regex(/^[^:]+:.+$/, 'must be user:password')
      .optional(),
    TSA_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    CERTIFICATE_FALLBACK_FONT: z.string().default('/usr/share/fonts/truetype/ipamj/ipamjm.ttf'),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(8),
  })
  .superRefine((env, ctx) => {
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT)
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
    if (env.METRICS_PORT !== undefined && !env.METRICS_TOKEN && !isLoopback(env.METRICS_HOST))
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_HOST'],
        message: 'is not a loopback address: set METRICS_TOKEN too, or metrics would be public',
      });
    if (env.NODE_ENV !== 'production') return;
    if (!env.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' });
    if (!env.SECRET_KEY) ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'is required in production' });
    if (env.SECRET_KEY_PREVIOUS && !env.SECRET_KEY)
      ctx.addIssue({ code: 'custom', path: ['SECRET_KEY_PREVIOUS'], message: 'is only used beside SECRET_KEY' });
    if (!env.PUBLIC_URL?.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an https:// URL in production' });
  });

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly databasePoolMax: number;
  readonly databaseStatementTimeoutMs: number;
  /**
   * Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-* headers are believed;
   * unset means none, so a client cannot forge its address.
   */
  readonly trustProxy: string[];
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Bound on connecting, the greeting and each silence of an SMTP connection. */
  readonly smtpTimeoutMs: number;
  /** Mails in flight at once (one lane of them only for keys and one-time links). */
  readonly mailConcurrency: number;
  readonly publicUrl: string;
  /** Cookies get `Secure` and the `__Host-` prefix only when the public URL is https. */
  readonly secureCookies: boolean;
  readonly secretKey: string | undefined;
  /** During a rotation: the key SECRET_KEY replaced, still accepted for what was made under it (#13). */
  readonly secretKeyPrevious: string | undefined;
  readonly logLevel: string;
  readonly seedDemo: boolean;
  /**
   * The browser terminal simulator takes "payment" for any reservation number it is given, so it
   * is for trying the service, not for production (off there unless asked for).
   */
  readonly terminalSimulator: boolean;
  /** A reservation paid and not printed this many days later is released for refund at the registrar (#9). */
  readonly releaseUnprintedAfterDays: number;
  readonly hashConcurrency: number;
  readonly hashQueueLimit: number;
  /**
   * The nice value of every thread but the event loop's (argon2 on libuv's threads, V8's helpers):
   * while logins saturate the cores, pages and refusals are served first (#11). 0 leaves them be.
   */
  readonly helperThreadNice: number;
  /** Uploaded PDFs on the verification page are parsed in workers within these limits (C-13). */
  readonly verifyParse: { workers: number; queue: number; timeoutMs: number; memoryMb: number };
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  /**
   * `GET /metrics` is never public by default: with a port it is served there (on `metricsHost`,
   * loopback unless changed), else with a token on the public port; with neither it is off.
   */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  /** Bearer token a scrape must present, wherever /metrics is served. */
  readonly metricsToken: string | undefined;
  /** The dev mailbox replaces SMTP when no SMTP server is configured outside production. */
  readonly devMailbox: boolean;
  /**
   * The RFC 3161 timestamp authority that takes every signature to PAdES B-T…B-LTA (#9 §3);
   * without one, certificates are signed at B-B.
   */
  readonly tsaUrl: string | undefined;
  /** HTTP Basic `user:password` for the TSA, when it asks for one. */
  readonly tsaCredentials: string | undefined;
  /** Bound on each TSA, OCSP or CRL request. */
  readonly tsaTimeoutMs: number;
  /**
   * The font for name characters IPAex lacks (IPAmj Mincho from Debian's fonts-ipamj-mincho);
   * undefined (`none`) refuses such characters at order time instead (#9).
   */
  readonly certificateFallbackFont: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const env = parsed.data;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    trustProxy: (env.TRUST_PROXY ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    smtpTimeoutMs: env.SMTP_TIMEOUT_MS,
    mailConcurrency: env.MAIL_CONCURRENCY,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    secretKey: env.SECRET_KEY,
    secretKeyPrevious: env.SECRET_KEY_PREVIOUS,
    logLevel: env.LOG_LEVEL,
    seedDemo: env.SEED_DEMO ?? env.NODE_ENV !== 'production',
    terminalSimulator: env.TERMINAL_SIMULATOR ?? env.NODE_ENV !== 'production',
    releaseUnprintedAfterDays: env.RELEASE_UNPRINTED_AFTER_DAYS,
    hashConcurrency: env.HASH_CONCURRENCY,
    hashQueueLimit: env.HASH_QUEUE_LIMIT,
    helperThreadNice: env.HELPER_THREAD_NICE,
    verifyParse: {
      workers: env.VERIFY_PARSE_WORKERS,
      queue: env.VERIFY_PARSE_QUEUE_LIMIT,
      timeoutMs: env.VERIFY_PARSE_TIMEOUT_MS,
      memoryMb: env.VERIFY_PARSE_MEMORY_MB,
    },
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
    metricsPort: env.METRICS_PORT,
    metricsHost: env.METRICS_HOST,
    metricsToken: env.METRICS_TOKEN,
    devMailbox: !env.SMTP_URL && env.NODE_ENV !== 'production',
    tsaUrl: env.TSA_URL,
    tsaCredentials: env.TSA_CREDENTIALS,
    tsaTimeoutMs: env.TSA_TIMEOUT_MS,
    certificateFallbackFont: env.CERTIFICATE_FALLBACK_FONT === 'none' ? undefined : env.CERTIFICATE_FALLBACK_FONT,
  });
}
