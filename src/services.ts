import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { UnitOfWork } from './db/unit-of-work.js';
import { AccountSettingsService } from './features/auth/account-settings.service.js';
import { EmailKeyService } from './features/auth/email-key.service.js';
import { EmailRegistrationService } from './features/auth/email-registration.service.js';
import { LoginService } from './features/auth/login.service.js';
import { SecondPasswordService } from './features/auth/second-password.service.js';
import { SessionService } from './features/auth/session.service.js';
import { AuditLogService } from './features/audit/audit-log.service.js';
import { StatisticsService } from './features/statistics/statistics.service.js';
import { CatalogueService } from './features/catalogue/catalogue.service.js';
import { IssuanceService } from './features/certificates/issuance.service.js';
import { longTermSignatures } from './features/certificates/long-term-signatures.js';
import { SigningKeyService } from './features/certificates/signing/signing-key.service.js';
import { CertificateRenderer } from './features/certificates/pdf/certificate.renderer.js';
import type { CertificateSigner } from './features/certificates/pdf/certificate.signing.js';
import { UntrustedPdfReader } from './features/certificates/pdf/untrusted-pdf.js';
import { VerificationService } from './features/certificates/verification.service.js';
import { CredentialService } from './features/credentials/vc.service.js';
import { DirectoryRegistry, LocalRosterDirectory } from './features/directory/directory.js';
import { LdapDirectory } from './features/directory/ldap.directory.js';
import { MailWorker } from './features/mail/mail.worker.js';
import { Mailer } from './features/mail/mailer.js';
import { DeliveryService } from './features/orders/delivery.service.js';
import { OrderStaffService } from './features/orders/order-staff.service.js';
import { OrderingService } from './features/orders/ordering.service.js';
import { SettlementService } from './features/orders/settlement.service.js';
import { TerminalIdempotencyService } from './features/orders/terminal-idempotency.service.js';
import { TerminalService } from './features/orders/terminal.service.js';
import { RecordsImportService } from './features/records/records-import.service.js';
import { SettingsService } from './features/settings/settings.service.js';
import { RecordsImportJobService } from './features/records/records-import-job.service.js';
import { TenantReadinessService } from './features/tenants/tenant-readiness.service.js';
import { ReadinessService } from './features/operations/readiness.service.js';
import { TenantService } from './features/tenants/tenant.service.js';
import { OwnAccountService } from './features/staff/own-account.service.js';
import { StaffAccountsService } from './features/staff/staff-accounts.service.js';
import { StaffLoginService } from './features/staff/staff-login.service.js';
import { StaffSessionService } from './features/staff/staff-session.service.js';
import { SupportService } from './features/support/support.service.js';
import { FlowService } from './flows/flow.service.js';
import type { Infrastructure } from './infrastructure.js';
import { observeAtScrape } from './observe-at-scrape.js';
import type { Clock } from './platform/clock.js';
import { Keyring, SecretBox, SecretHasher } from './platform/crypto.js';
import { type Metrics, noMetrics } from './platform/metrics.js';
import { PasswordHasher } from './platform/password-hasher.js';
import { RateLimits } from './platform/rate-limit.js';

/** Everything the services are built from; the HTTP app, the CLI and the tests each make one. */
export interface ServiceDeps {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  /** SECRET_KEY alone, or the keyring (with SECRET_KEY_PREVIOUS) checked by resolveKeyring. */
  secretKey: string | Keyring;
  /** Omitted: logs nothing (tests, the CLI). */
  logger?: Logger;
  /** Tests pass a short interval; production polls every few seconds besides the after-commit kick. */
  mailPollIntervalMs?: number;
  /** How many hashes may wait; the CLI, with no page to keep fast, waits for all. */
  hashQueueLimit?: number;
  /** Omitted: nothing is counted (the CLI, and an app with metrics off). */
  metrics?: Metrics;
}

export type Services = ReturnType<typeof createServices>;

/**
 * The one composition root (after Outline's server/context and Immich's CLI-as-a-service): every
 * service is built here, once, from one typed object, and each is handed only the parts it uses.
 */
export function createServices(deps: ServiceDeps) {
  const { config, database, clock } = deps;
  const logger = deps.logger ?? pino({ enabled: false });
  const metrics = deps.metrics ?? noMetrics;
  const uow = new UnitOfWork(database.db, clock);
  const keyring = typeof deps.secretKey === 'string' ? new Keyring(deps.secretKey) : deps.secretKey;
  const secrets = new SecretHasher(keyring);
  const hasher = new PasswordHasher({
    concurrency: config.hashConcurrency,
    queueLimit: deps.hashQueueLimit ?? config.hashQueueLimit,
    onRefused: () => metrics.hashRefused(),
  });
  const directory = new DirectoryRegistry({
    local: new LocalRosterDirectory(uow.repos.roster, hasher),
    ldap: new LdapDirectory(logger),
  });
  const box = new SecretBox(keyring);
  const mailWorker = new MailWorker(uow.repos.outbox, box, clock, logger, {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    pollIntervalMs: deps.mailPollIntervalMs ?? 2_000,
    smtpTimeoutMs: config.smtpTimeoutMs,
    concurrency: config.mailConcurrency,
    metrics,
  });
  const infrastructure: Infrastructure = {
    config,
    uow,
    clock,
    secrets,
    box,
    hasher,
    limits: new RateLimits(database, secrets),
    directory,
    mailer: new Mailer(mailWorker, box),
    logger,
    metrics,
  };
  observeAtScrape(metrics, { uow, hasher, database, clock });
  const flows = new FlowService({ clock, secrets });

  const sessions = new SessionService(infrastructure);
  const keys = new EmailKeyService({ ...infrastructure, flows, sessions });
  const auth = {
    sessions,
    keys,
    login: new LoginService({ ...infrastructure, flows, keys, sessions }),
    registration: new EmailRegistrationService({ ...infrastructure, flows }),
    secondPassword: new SecondPasswordService({ ...infrastructure, flows }),
    settings: new AccountSettingsService({ ...infrastructure, flows }),
  };

  let renderer: CertificateRenderer | undefined;
  const signingKeys = new SigningKeyService(infrastructure);
  const certificateRenderer = () =>
    (renderer ??= new CertificateRenderer({
      longTerm: longTermSignatures(infrastructure),
      fallbackFontFile: infrastructure.config.certificateFallbackFont,
    }));
  // The status lists are signed with the key issuance opens; issuance, built next, embeds each credential.
  const credentials = new CredentialService({
    ...infrastructure,
    signers: { signerFor: (t): Promise<CertificateSigner> => issuance.signerFor(t) },
  });
  const issuance = new IssuanceService({ ...infrastructure, signingKeys, renderer: certificateRenderer, credentials });
  const deliveries = new DeliveryService({ ...infrastructure, issuer: issuance });

  const tenants = new TenantService(infrastructure);
  const verification = new VerificationService({
    ...infrastructure,
    pdfs: new UntrustedPdfReader(config.verifyParse),
  });

  const staffSessions = new StaffSessionService(infrastructure);
  const staff = {
    sessions: staffSessions,
    accounts: new StaffAccountsService({ ...infrastructure, flows, sessions: staffSessions }),
    login: new StaffLoginService({ ...infrastructure, flows, sessions: staffSessions }),
    ownAccount: new OwnAccountService({ ...infrastructure, flows, sessions: staffSessions }),
  };

  const records = new RecordsImportService({
    ...infrastructure,
    undrawable: (texts) => certificateRenderer().undrawableIn(texts),
  });

  return {
    ...infrastructure,
    keyring,
    mailWorker,
    flows,
    auth,
    staff,
    tenants,
    catalogue: new CatalogueService(infrastructure),
    tenantSettings: new SettingsService(infrastructure),
    tenantReadiness: new TenantReadinessService({ ...infrastructure, signers: signingKeys, tenants }),
    records,
    recordsImports: new RecordsImportJobService({ ...infrastructure, flows, records }),
    ordering: new OrderingService({ ...infrastructure, flows, issuer: issuance }),
    orderStaff: new OrderStaffService({ ...infrastructure, deliveries, issuer: issuance, revoker: verification }),
    deliveries,
    terminals: new TerminalService({ ...infrastructure, issuer: issuance, deliveries }),
    terminalRetries: new TerminalIdempotencyService(infrastructure),
    settlement: new SettlementService(infrastructure),
    issuance,
    credentials,
    signingKeys,
    verification,
    readiness: new ReadinessService({ ...infrastructure, database, signingKeys }),
    support: new SupportService({
      ...infrastructure,
      registration: auth.registration,
      secondPassword: auth.secondPassword,
    }),
    audit: new AuditLogService(infrastructure),
    statistics: new StatisticsService(infrastructure),
  };
}
