import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { Store } from './db/repositories.js';
import { AccountSettingsService } from './features/auth/account-settings.service.js';
import type { AuthContext } from './features/auth/auth.context.js';
import { AuthHttp } from './features/auth/auth.http.js';
import type { AuthServices } from './features/auth/auth.services.js';
import { EmailKeyService } from './features/auth/email-key.service.js';
import { EmailRegistrationService } from './features/auth/email-registration.service.js';
import { LinkTokens } from './features/auth/link-token.js';
import { loginRoutes } from './features/auth/login.routes.js';
import { LoginService } from './features/auth/login.service.js';
import { SecondPasswordService } from './features/auth/second-password.service.js';
import { SessionService } from './features/auth/session.service.js';
import { settingsRoutes } from './features/auth/settings.routes.js';
import { DirectoryRegistry, LocalRosterDirectory } from './features/directory/directory.js';
import { LdapDirectory } from './features/directory/ldap.directory.js';
import type { CertificateType } from './features/certificates/certificate.model.js';
import { IssuanceService } from './features/certificates/issuance.service.js';
import { CertificateRenderer } from './features/certificates/pdf/certificate.renderer.js';
import { verificationRoutes } from './features/certificates/verification.routes.js';
import { VerificationService } from './features/certificates/verification.service.js';
import { deliveryRoutes } from './features/orders/delivery.routes.js';
import { DeliveryService } from './features/orders/delivery.service.js';
import { orderRoutes } from './features/orders/order.routes.js';
import { OrderService } from './features/orders/order.service.js';
import { simulatorRoutes } from './dev/simulator/simulator.routes.js';
import { terminalRoutes } from './features/orders/terminal.routes.js';
import { TerminalService } from './features/orders/terminal.service.js';
import { devMailboxRoutes } from './dev/dev-mailbox/dev-mailbox.routes.js';
import { Mailer } from './features/mail/mailer.js';
import { MailWorker } from './features/mail/mail.worker.js';
import { platformRoutes } from './features/tenants/platform.routes.js';
import { installTenantScope } from './features/tenants/tenant.plugin.js';
import type { Clock } from './platform/clock.js';
import { CookiePolicy } from './platform/cookies.js';
import { cspDirectives } from './platform/csp.js';
import { SecretHasher } from './platform/crypto.js';
import { frameworkErrors, installErrorHandling } from './platform/error-pages.js';
import { defaultLang, isLang, langFromAcceptLanguage, translator } from './platform/i18n.js';
import { PasswordHasher } from './platform/password-hasher.js';
import { publicDir } from './platform/paths.js';
import { RateLimits } from './platform/rate-limit.js';
import './platform/request-context.js';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  secretKey: string;
  logger: Logger | false;
  /** Tests pass a short interval; production polls every few seconds besides the after-commit kick. */
  mailPollIntervalMs?: number;
}

export interface App {
  server: FastifyInstance;
  mailWorker: MailWorker;
  context: AuthContext;
  auth: AuthServices;
  orders: OrderService;
  issuance: IssuanceService;
  verification: VerificationService;
}

/** Builds the service: external plugins, platform, then features — in that order. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, database, clock } = deps;
  const store = new Store(database.db);
  const secrets = new SecretHasher(deps.secretKey);
  const cookies = new CookiePolicy(config.secureCookies);
  const hasher = new PasswordHasher({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
  const limits = new RateLimits(database);

  const options: FastifyServerOptions = {
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    frameworkErrors,
  };
  const server = Fastify(options);

  const directory = new DirectoryRegistry({
    local: new LocalRosterDirectory(store.repos.roster, hasher),
    ldap: new LdapDirectory(server.log as unknown as Logger),
  });
  const mailWorker = new MailWorker(store.repos.outbox, clock, server.log as unknown as Logger, {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    pollIntervalMs: deps.mailPollIntervalMs ?? 2_000,
  });
  const mailer = new Mailer(mailWorker);
  const context: AuthContext = { config, store, clock, secrets, hasher, directory, limits, mailer };
  const links = new LinkTokens(context);
  const sessions = new SessionService(context);
  const keys = new EmailKeyService(context, sessions);
  const auth: AuthServices = {
    http: new AuthHttp(cookies, secrets),
    sessions,
    keys,
    login: new LoginService(context, keys, sessions),
    registration: new EmailRegistrationService(context, links),
    secondPassword: new SecondPasswordService(context, links),
    settings: new AccountSettingsService(context, links),
  };

  await server.register(formbody, { bodyLimit: 64 * 1024 });
  await server.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5 } });
  await server.register(cookie, { secret: secrets.hash('cookie-signing', 'v1') });
  await server.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookies.csrf,
    cookieOpts: { ...cookies.options(), signed: true },
  });
  await server.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: cspDirectives,
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await server.register(fastifyStatic, {
    root: publicDir,
    prefix: '/static/',
    maxAge: config.env === 'production' ? '1d' : 0,
  });

  server.decorateRequest('tenant', undefined as never);
  server.decorateRequest('lang', defaultLang);
  server.decorateRequest('t', undefined as never);
  server.decorateRequest('currentSession', undefined);

  // Language for every page, before anything can fail: ?lang= (the pull-down), then the
  // remembered choice, then the browser's Accept-Language (L-12).
  server.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    const chosen = query?.lang;
    let lang = isLang(chosen) ? chosen : undefined;
    if (lang) reply.setCookie(cookies.lang, lang, { ...cookies.options(365 * 86_400), httpOnly: false });
    lang ??= isLang(request.cookies[cookies.lang]) ? (request.cookies[cookies.lang] as typeof lang) : undefined;
    request.lang = lang ?? langFromAcceptLanguage(request.headers['accept-language']) ?? defaultLang;
    request.t = translator(request.lang);
  });

  // Every form posts a CSRF token; terminals and other APIs will register outside this check.
  server.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST' && request.routeOptions.config.csrf !== false)
      return server.csrfProtection(request, reply, done);
    done();
  });

  installErrorHandling(server);

  let renderer: CertificateRenderer | undefined;
  const issuance = new IssuanceService(
    store,
    clock,
    () => (renderer ??= new CertificateRenderer()),
    server.log as unknown as Logger,
    config.publicUrl,
    deps.secretKey,
  );
  const terminals = new TerminalService(store, clock, secrets, issuance);
  const deliveries = new DeliveryService(store, clock, secrets, issuance, mailer, config.publicUrl);
  const orders = new OrderService(store, clock, mailer, deliveries);
  const verification = new VerificationService(store, clock);

  await server.register(platformRoutes, { store, database, config });
  await server.register(terminalRoutes, {
    prefix: '/api/v1/terminal',
    terminals,
    typeNames: async (tenantId: string, type: string) =>
      (await store.repos.catalogue.find(tenantId, type as CertificateType))?.name ?? { ja: type, en: type },
  });
  if (config.terminalSimulator) await server.register(simulatorRoutes, { prefix: '/simulator', store, secrets, clock });
  if (config.devMailbox) await server.register(devMailboxRoutes, { store, prefix: '/dev/mailbox' });
  await server.register(
    async (scope) => {
      installTenantScope(scope, { store, sessions, cookies });
      await scope.register(loginRoutes, { auth });
      await scope.register(settingsRoutes, { auth });
      await scope.register(orderRoutes, { auth, orders, deliveries });
      await scope.register(deliveryRoutes, { deliveries });
      await scope.register(verificationRoutes, { verification });
    },
    { prefix: '/:tenant' },
  );

  server.addHook('onClose', async () => {
    await mailWorker.stop();
  });

  return { server, mailWorker, context, auth, orders, issuance, verification };
}
