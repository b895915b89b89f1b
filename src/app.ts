import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AuthServices } from './features/auth/auth.services.js';
import { AuthHttp } from './features/auth/auth.http.js';
import { emailKeyRoutes } from './features/auth/email-key.routes.js';
import { emailRegistrationRoutes } from './features/auth/email-registration.routes.js';
import { forgotSecondPasswordRoutes } from './features/auth/forgot-second-password.routes.js';
import { loginRoutes } from './features/auth/login.routes.js';
import { secondPasswordSetupRoutes } from './features/auth/second-password-setup.routes.js';
import { installSessionResolution } from './features/auth/session.plugin.js';
import { settingsRoutes } from './features/auth/settings.routes.js';
import type { CertificateType } from './features/certificates/certificate.model.js';
import { verificationRoutes } from './features/certificates/verification.routes.js';
import { credentialContextRoutes } from './features/credentials/context.routes.js';
import { credentialRoutes } from './features/credentials/credential.routes.js';
import { signingCertificateRoutes } from './features/certificates/signing/signing-certificates.routes.js';
import { deliveryRoutes } from './features/orders/delivery.routes.js';
import { orderRoutes } from './features/orders/order.routes.js';
import { simulatorRoutes } from './dev/simulator/simulator.routes.js';
import { terminalRoutes } from './features/orders/terminal.routes.js';
import { devMailboxRoutes } from './dev/dev-mailbox/dev-mailbox.routes.js';
import { readinessRoutes } from './features/operations/readiness.routes.js';
import { platformRoutes } from './features/tenants/platform.routes.js';
import { installTenantScope } from './features/tenants/tenant.plugin.js';
import { supportConsoleRoutes } from './features/support/support-console.routes.js';
import { orderConsoleRoutes } from './features/orders/order-console.routes.js';
import { auditConsoleRoutes } from './features/audit-console/audit-console.routes.js';
import { statisticsConsoleRoutes } from './features/statistics/statistics-console.routes.js';
import { ownAccountRoutes } from './features/staff/own-account.routes.js';
import { staffConsoleRoutes } from './features/staff/staff-console.routes.js';
import { brandingRoutes } from './features/settings/branding.routes.js';
import { settingsConsoleRoutes } from './features/settings/settings-console.routes.js';
import { importConsoleRoutes } from './features/records/import-console.routes.js';
import { terminalConsoleRoutes } from './features/orders/terminal-console.routes.js';
import { signingKeyConsoleRoutes } from './features/certificates/signing/signing-key-console.routes.js';
import { staffEnrolmentRoutes } from './features/staff/staff-enrolment.routes.js';
import { staffLoginRoutes } from './features/staff/staff-login.routes.js';
import { type ConsoleRoute, StaffHttp } from './features/staff/staff.http.js';
import type { ConsoleSection, StaffServices } from './features/staff/staff.services.js';
import { CookiePolicy } from './platform/cookies.js';
import { frameworkErrors, installErrorHandling } from './platform/error-pages.js';
import { defaultLang, isLang, langFromAcceptLanguage, translator } from './platform/i18n.js';
import { buildMetricsServer, installRequestMetrics, metricsRoute } from './platform/http/metrics.http.js';
import { installRequestIds, requestIdGenerator } from './platform/http/request-id.js';
import { installCapacityGuard } from './platform/http/capacity.js';
import { installCsrfTokenReuse } from './platform/http/csrf-token.js';
import { installSecurityHeaders, securityHeaders } from './platform/http/security-headers.js';
import { FormStates } from './platform/http/form-state.js';
import { installWellFormedInput } from './platform/http/well-formed.js';
import { PrometheusMetrics } from './platform/metrics.js';
import { publicDir } from './platform/paths.js';
import './platform/request-context.js';
import { type ServiceDeps, type Services, createServices } from './services.js';

export interface App {
  server: FastifyInstance;
  services: Services;
  /** The METRICS_PORT listener (not yet listening), when metrics have a port of their own. */
  metricsServer: FastifyInstance | undefined;
  /** Every route of the staff console with the access its guards give (#12 A-1: the guard test walks them). */
  consoleRoutes: readonly ConsoleRoute[];
}

/** Builds the service: external plugins, platform, then features — in that order. */
export async function buildApp(deps: ServiceDeps): Promise<App> {
  const { config } = deps;
  const metrics =
    config.metricsPort !== undefined || config.metricsToken !== undefined
      ? new PrometheusMetrics((name, error) => deps.logger?.warn({ err: error, metric: name }, 'metric not read'))
      : undefined;
  const services = createServices({ ...deps, ...(metrics && { metrics }) });
  const { uow, secrets, clock } = services;
  const cookies = new CookiePolicy(config.secureCookies);

  const options: FastifyServerOptions = {
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    requestIdHeader: false,
    genReqId: requestIdGenerator(config.trustProxy.length > 0),
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    frameworkErrors,
    // JSON bodies are taken as sent: a string "900" is not an amount (docs/terminal-api.openapi.yaml).
    ajv: { customOptions: { coerceTypes: false } },
  };
  const server = Fastify(options);
  const security = securityHeaders({ strictTransportSecurity: config.secureCookies });
  installCapacityGuard(server, services.hasher, cookies.lang, security);
  installRequestIds(server);
  if (metrics) installRequestMetrics(server, metrics);
  const forms = new FormStates({ repo: uow.repos.formStates, box: services.box, secrets, clock, cookies });
  const auth: AuthServices = { http: new AuthHttp(cookies, secrets, forms), ...services.auth };
  const staff: StaffServices = {
    http: new StaffHttp(cookies, secrets, forms, services.staff.sessions),
    ...services.staff,
  };
  installSecurityHeaders(server, security);

  await server.register(formbody, { bodyLimit: 64 * 1024 });
  // Fields in the body before the CSRF check reads its token there; the one file a form takes
  // (the verification page's PDF) arrives as a Buffer, within these limits.
  await server.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5 },
  });
  // Signed with SECRET_KEY, still accepted under SECRET_KEY_PREVIOUS during a rotation (#13).
  await server.register(cookie, { secret: secrets.hashAll('cookie-signing', 'v1') });
  const csrfCookieOptions = { ...cookies.options(), signed: true };
  await server.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookies.csrf,
    cookieOpts: csrfCookieOptions,
  });
  installCsrfTokenReuse(server, cookies.csrf, csrfCookieOptions);
  await server.register(fastifyStatic, {
    root: publicDir,
    prefix: '/static/',
    maxAge: config.env === 'production' ? '1d' : 0,
  });

  server.decorateRequest('tenant', undefined as never);
  server.decorateRequest('lang', defaultLang);
  server.decorateRequest('t', undefined as never);
  server.decorateRequest('currentSession', undefined);
  server.decorateRequest('staffSession', undefined);
  installWellFormedInput(server);

  // Language for every page, before anything can fail: ?lang= (the pull-down), then the
  // remembered choice, then the browser's Accept-Language (L-12).
  server.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    const chosen = query?.lang;
    let lang = isLang(chosen) ? chosen : undefined;
    if (lang) reply.setCookie(cookies.lang, lang, cookies.options(365 * 86_400));
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

  await server.register(platformRoutes, { uow, config });
  await server.register(readinessRoutes, { readiness: services.readiness });
  await server.register(credentialContextRoutes, { config });
  // A separate port keeps /metrics off the students' port altogether; a token alone puts it here.
  const metricsServer =
    metrics && config.metricsPort !== undefined ? buildMetricsServer(metrics, config.metricsToken) : undefined;
  if (metrics && !metricsServer) metricsRoute(server, metrics, config.metricsToken);
  await server.register(terminalRoutes, {
    prefix: '/api/v1/terminal',
    terminals: services.terminals,
    retries: services.terminalRetries,
    settlement: services.settlement,
    metrics: services.metrics,
    typeNames: async (tenantId: string, type: string) =>
      (await uow.repos.catalogue.find(tenantId, type as CertificateType))?.name ?? { ja: type, en: type },
  });
  if (config.terminalSimulator)
    await server.register(simulatorRoutes, {
      prefix: '/simulator',
      uow,
      secrets,
      terminals: services.terminals,
    });
  if (config.devMailbox) await server.register(devMailboxRoutes, { uow, box: services.box, prefix: '/dev/mailbox' });
  await server.register(
    async (scope) => {
      installTenantScope(scope, { uow, cookies });
      installSessionResolution(scope, { sessions: services.auth.sessions, cookies });
      for (const journey of [
        loginRoutes,
        emailRegistrationRoutes,
        secondPasswordSetupRoutes,
        emailKeyRoutes,
        forgotSecondPasswordRoutes,
      ])
        await scope.register(journey, { auth });
      await scope.register(settingsRoutes, { auth });
      await scope.register(orderRoutes, { auth, orders: services.ordering, deliveries: services.deliveries });
      await scope.register(deliveryRoutes, { deliveries: services.deliveries, forms });
      await scope.register(verificationRoutes, { verification: services.verification, forms });
      await scope.register(credentialRoutes, {
        credentials: services.credentials,
        auth,
        orders: services.ordering,
        deliveries: services.deliveries,
        forms,
      });
      await scope.register(signingCertificateRoutes, { signingKeys: services.signingKeys });
    },
    { prefix: '/:tenant' },
  );
  // Logo and colour (#12 §4): shown on the console too, so served while the university is still closed.
  await server.register(
    async (scope) => {
      installTenantScope(scope, { uow, cookies, whileClosed: true });
      await scope.register(brandingRoutes, { settings: services.tenantSettings });
    },
    { prefix: '/:tenant/branding' },
  );
  // The staff console (#12): its own sessions and cookies, open while the university is still closed.
  await server.register(
    async (scope) => {
      installTenantScope(scope, { uow, cookies, whileClosed: true });
      staff.http.install(scope);
      // Each console section takes the staff guards and picks the services it needs.
      const sections: ConsoleSection[] = [
        staffLoginRoutes,
        staffEnrolmentRoutes,
        staffConsoleRoutes,
        supportConsoleRoutes,
        settingsConsoleRoutes,
        orderConsoleRoutes,
        importConsoleRoutes,
        terminalConsoleRoutes,
        signingKeyConsoleRoutes,
        auditConsoleRoutes,
        statisticsConsoleRoutes,
        ownAccountRoutes,
      ];
      for (const routes of sections) await scope.register(routes, { staff, services });
    },
    { prefix: '/:tenant/staff' },
  );

  server.addHook('onClose', async () => {
    // An import being written finishes (or rolls back) before the database closes.
    await services.recordsImports.idle();
    await services.mailWorker.stop();
    await services.verification.close();
    await metricsServer?.close();
  });

  return { server, services, metricsServer, consoleRoutes: staff.http.routes };
}
