import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { type Config, ConfigError, loadConfig } from './config.js';

const SECRET = 'a-secret-key-of-at-least-32-characters-0123';
const production = {
  NODE_ENV: 'production',
  SECRET_KEY: SECRET,
  SMTP_URL: 'smtps://mailer:pw@smtp.example.ac.jp:465',
  PUBLIC_URL: 'https://shomei.example.ac.jp',
};

/** The problems a bad environment is refused with; fails the test if it is accepted. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.name).toBe('ConfigError');
    // The message lists every problem, one per line, for the operator reading the log.
    for (const problem of configError.problems) expect(configError.message).toContain(problem);
    expect(configError.message.startsWith('Invalid configuration:')).toBe(true);
    return configError.problems;
  }
  throw new Error(`configuration was accepted: ${JSON.stringify(env)}`);
}

describe('loadConfig (ARCHITECTURE "Layout": env parsed once, frozen, fails fast with a clear message)', () => {
  it('#2 an empty environment gives the development defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/shomei.sqlite',
      smtpUrl: undefined,
      mailFrom: 'Shomei <no-reply@shomei.localhost>',
      publicUrl: 'http://localhost:3000',
      secureCookies: false,
      secretKey: undefined,
      logLevel: 'info',
      seedDemo: true,
      hashConcurrency: os.availableParallelism(),
      hashQueueLimit: 64,
      helperThreadNice: 10,
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 8 * 3_600_000,
      devMailbox: true,
    } satisfies Partial<Config>);
  });

  it('#2 the configuration is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('#2 empty variables count as unset', () => {
    const config = loadConfig({ PORT: '', SMTP_URL: '', SECRET_KEY: '', PUBLIC_URL: '', NODE_ENV: '' });
    expect(config.port).toBe(3000);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.env).toBe('development');
  });

  it('#2 reads the values it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      PUBLIC_URL: 'http://shomei.test/',
      HASH_CONCURRENCY: '3',
      HASH_QUEUE_LIMIT: '0',
      HELPER_THREAD_NICE: '0',
      SESSION_IDLE_MINUTES: '15',
      SESSION_ABSOLUTE_HOURS: '2',
      SEED_DEMO: 'no',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      smtpUrl: 'smtp://127.0.0.1:2525',
      publicUrl: 'http://shomei.test',
      hashConcurrency: 3,
      hashQueueLimit: 0,
      helperThreadNice: 0,
      sessionIdleMs: 15 * 60_000,
      sessionAbsoluteMs: 2 * 3_600_000,
      seedDemo: false,
      logLevel: 'warn',
      devMailbox: false,
    });
  });

  it('#2 the public URL loses its trailing slashes; a default one follows PORT', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://shomei.example.ac.jp///' }).publicUrl).toBe(
      'https://shomei.example.ac.jp',
    );
    expect(loadConfig({ PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
  });

  it('Q-1 secure cookies exactly when the public URL is https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://shomei.example.ac.jp' }).secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://shomei.example.ac.jp' }).secureCookies).toBe(false);
  });

  it.each(['abc', '70000', '65536', '-1', '3000.5', '80 80'])('#2 a bad PORT (%j) is refused naming PORT', (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT /);
    expect(problems[0]).toMatch(/number|int|<=|>=|big|small/i);
  });

  it.each(['http://smtp.example.jp', 'smtp.example.jp:25', 'mailto:x@y.jp'])(
    '#2 a bad SMTP_URL (%j) is refused with what it must be',
    (url) => {
      expect(problemsOf({ SMTP_URL: url })).toEqual(['SMTP_URL must be an smtp:// or smtps:// URL']);
    },
  );

  it('#2 smtp:// and smtps:// URLs are accepted', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://localhost:25' }).smtpUrl).toBe('smtp://localhost:25');
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.jp:465' }).smtpUrl).toBe('smtps://u:p@mail.example.jp:465');
  });

  it('Q-1 production without SECRET_KEY, SMTP_URL and an https PUBLIC_URL is refused, every problem named', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).sort()).toEqual(
      [
        'PUBLIC_URL must be an https:// URL in production',
        'SECRET_KEY is required in production',
        'SMTP_URL is required in production',
      ].sort(),
    );
  });

  it.each([
    ['SECRET_KEY', 'SECRET_KEY is required in production'],
    ['SMTP_URL', 'SMTP_URL is required in production'],
    ['PUBLIC_URL', 'PUBLIC_URL must be an https:// URL in production'],
  ])('Q-1 production without %s alone is refused for that alone', (name, message) => {
    expect(problemsOf({ ...production, [name]: undefined })).toEqual([message]);
  });

  it('Q-1 production with an http PUBLIC_URL is refused', () => {
    expect(problemsOf({ ...production, PUBLIC_URL: 'http://shomei.example.ac.jp' })).toEqual([
      'PUBLIC_URL must be an https:// URL in production',
    ]);
  });

  it('Q-1 a complete production configuration: secure cookies, no dev mailbox, no demo', () => {
    const config = loadConfig(production);
    expect(config).toMatchObject({
      env: 'production',
      secureCookies: true,
      devMailbox: false,
      seedDemo: false,
      secretKey: SECRET,
    });
  });

  it('Q-1 a short SECRET_KEY is refused, in any environment', () => {
    expect(problemsOf({ SECRET_KEY: 'too-short' })).toEqual([
      'SECRET_KEY must be at least 32 characters of random text',
    ]);
    expect(problemsOf({ ...production, SECRET_KEY: 'x'.repeat(31) })).toEqual([
      'SECRET_KEY must be at least 32 characters of random text',
    ]);
  });

  it.each([
    ['PUBLIC_URL', 'not a url'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['SEED_DEMO', 'maybe'],
    ['HASH_CONCURRENCY', '0'],
    ['HASH_QUEUE_LIMIT', '-1'],
    ['HELPER_THREAD_NICE', '20'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['SESSION_ABSOLUTE_HOURS', '1000'],
    ['DATABASE_URL', 'mysql://localhost/shomei'],
  ])('#2 a bad %s (%j) is refused naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(`${name} `)).toBe(true);
  });

  it('#2 several bad variables are reported together', () => {
    const problems = problemsOf({ PORT: 'x', SMTP_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SMTP_URL']);
  });

  it('Q-1 a secret value is not repeated in the error message', () => {
    const secret = 'hunter2-short';
    expect(() => loadConfig({ SECRET_KEY: secret })).toThrow(ConfigError);
    try {
      loadConfig({ SECRET_KEY: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('mail worker settings (#8 §4)', () => {
  it('#8 SMTP timeouts and mails in flight default to 10 s and 4, and refuse values that would disable them', () => {
    expect(loadConfig({})).toMatchObject({ smtpTimeoutMs: 10_000, mailConcurrency: 4 });
    expect(loadConfig({ SMTP_TIMEOUT_MS: '3000', MAIL_CONCURRENCY: '8' })).toMatchObject({
      smtpTimeoutMs: 3_000,
      mailConcurrency: 8,
    });
    expect(problemsOf({ SMTP_TIMEOUT_MS: '0' })[0]).toMatch(/^SMTP_TIMEOUT_MS/);
    expect(problemsOf({ MAIL_CONCURRENCY: '1' })[0]).toMatch(/^MAIL_CONCURRENCY/);
  });
});

describe('metrics settings (#13)', () => {
  it('#13 metrics are off by default, and a port of their own listens on loopback', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: undefined, metricsToken: undefined });
    expect(loadConfig({ METRICS_PORT: '9464' })).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1' });
  });

  it('#13 refuses metrics that would be public without a token, a short token, and the public port', () => {
    expect(problemsOf({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })[0]).toMatch(/^METRICS_HOST .*METRICS_TOKEN/);
    expect(
      loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 'x'.repeat(32) }).metricsHost,
    ).toBe('0.0.0.0');
    expect(problemsOf({ METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN/);
    expect(problemsOf({ METRICS_PORT: '3000' })[0]).toMatch(/^METRICS_PORT must differ from PORT/);
  });
});

describe('timestamp authority settings (#9 §3, C-12)', () => {
  it('#9 C-12 no TSA by default (PAdES B-B); TSA_URL, its credentials and timeout are read and checked', () => {
    expect(loadConfig({})).toMatchObject({ tsaUrl: undefined, tsaCredentials: undefined, tsaTimeoutMs: 10_000 });
    expect(
      loadConfig({ TSA_URL: 'https://tsa.example.jp/tsp', TSA_CREDENTIALS: 'univ:secret', TSA_TIMEOUT_MS: '5000' }),
    ).toMatchObject({ tsaUrl: 'https://tsa.example.jp/tsp', tsaCredentials: 'univ:secret', tsaTimeoutMs: 5_000 });
    expect(problemsOf({ TSA_URL: 'ftp://tsa.example.jp/' })[0]).toMatch(/^TSA_URL .*RFC 3161/);
    expect(problemsOf({ TSA_URL: 'not a url' })[0]).toMatch(/^TSA_URL/);
    expect(problemsOf({ TSA_CREDENTIALS: 'no-colon' })[0]).toMatch(/^TSA_CREDENTIALS must be user:password/);
    expect(problemsOf({ TSA_TIMEOUT_MS: '0' })[0]).toMatch(/^TSA_TIMEOUT_MS/);
  });
});

describe('#9 terminal settings', () => {
  it('#9 C-11 RELEASE_UNPRINTED_AFTER_DAYS: 7 by default, a whole number of days from 1 to 365', () => {
    expect(loadConfig({}).releaseUnprintedAfterDays).toBe(7);
    expect(loadConfig({ RELEASE_UNPRINTED_AFTER_DAYS: '14' }).releaseUnprintedAfterDays).toBe(14);
    for (const bad of ['0', '1.5', 'week', '366'])
      expect(problemsOf({ RELEASE_UNPRINTED_AFTER_DAYS: bad })[0]).toMatch(/^RELEASE_UNPRINTED_AFTER_DAYS/);
  });

  it('#9 C-5 the terminal simulator is off in production unless asked for', () => {
    expect(loadConfig(production).terminalSimulator).toBe(false);
    expect(loadConfig({ ...production, TERMINAL_SIMULATOR: 'true' }).terminalSimulator).toBe(true);
  });
});
