import type { Kysely } from 'kysely';
import { AccountRepository } from '../features/auth/account.repository.js';
import { AuthKeyRepository } from '../features/auth/auth-key.repository.js';
import { LoginUnlockRepository } from '../features/auth/login-unlock.repository.js';
import { TrustedBrowserRepository } from '../features/auth/trusted-browser.repository.js';
import { AuditRepository } from '../features/audit/audit.repository.js';
import { RosterRepository } from '../features/directory/roster.repository.js';
import { CatalogueRepository } from '../features/catalogue/catalogue.repository.js';
import { OutboxRepository } from '../features/mail/outbox.repository.js';
import { StudentRecordRepository } from '../features/records/student-record.repository.js';
import type { TenantCache } from '../features/tenants/tenant.cache.js';
import { TenantRepository } from '../features/tenants/tenant.repository.js';
import { TenantLogoRepository } from '../features/tenants/tenant-logo.repository.js';
import { FlowRepository } from '../flows/flow.repository.js';
import { SessionRepository } from '../platform/session.repository.js';
import { FormStateRepository } from '../platform/form-state.repository.js';
import { IssuedCertificateRepository } from '../features/certificates/issued-certificate.repository.js';
import { CredentialRepository } from '../features/credentials/credential.repository.js';
import { SigningKeyRepository } from '../features/certificates/signing-key.repository.js';
import { DeliveryRepository } from '../features/orders/delivery.repository.js';
import { OrderRepository } from '../features/orders/order.repository.js';
import { TerminalIdempotencyRepository } from '../features/orders/terminal-idempotency.repository.js';
import { TerminalLedgerRepository } from '../features/orders/terminal-ledger.repository.js';
import { TerminalRepository } from '../features/orders/terminal.repository.js';
import { StaffRepository } from '../features/staff/staff.repository.js';
import { StudentSearchRepository } from '../features/support/student-search.repository.js';
import { StatisticsRepository } from '../features/statistics/statistics.repository.js';
import type { Database } from './schema.js';

export interface Repositories {
  tenants: TenantRepository;
  roster: RosterRepository;
  accounts: AccountRepository;
  flows: FlowRepository;
  keys: AuthKeyRepository;
  sessions: SessionRepository;
  trustedBrowsers: TrustedBrowserRepository;
  outbox: OutboxRepository;
  auditLog: AuditRepository;
  records: StudentRecordRepository;
  catalogue: CatalogueRepository;
  orders: OrderRepository;
  certificates: IssuedCertificateRepository;
  signingKeys: SigningKeyRepository;
  terminals: TerminalRepository;
  terminalLedger: TerminalLedgerRepository;
  terminalIdempotency: TerminalIdempotencyRepository;
  deliveries: DeliveryRepository;
  formStates: FormStateRepository;
  credentials: CredentialRepository;
  staff: StaffRepository;
  loginUnlocks: LoginUnlockRepository;
  studentSearch: StudentSearchRepository;
  tenantLogos: TenantLogoRepository;
  statistics: StatisticsRepository;
}

/** What the repositories of one database keep between requests, shared by its transactions. */
export interface RepositoryCaches {
  tenants: TenantCache;
}

export function repositories(db: Kysely<Database>, caches: RepositoryCaches): Repositories {
  return {
    tenants: new TenantRepository(db, caches.tenants),
    roster: new RosterRepository(db),
    accounts: new AccountRepository(db),
    flows: new FlowRepository(db),
    keys: new AuthKeyRepository(db),
    sessions: new SessionRepository(db),
    trustedBrowsers: new TrustedBrowserRepository(db),
    outbox: new OutboxRepository(db),
    auditLog: new AuditRepository(db),
    records: new StudentRecordRepository(db),
    catalogue: new CatalogueRepository(db),
    orders: new OrderRepository(db),
    certificates: new IssuedCertificateRepository(db),
    signingKeys: new SigningKeyRepository(db),
    terminals: new TerminalRepository(db),
    terminalLedger: new TerminalLedgerRepository(db),
    terminalIdempotency: new TerminalIdempotencyRepository(db),
    deliveries: new DeliveryRepository(db),
    formStates: new FormStateRepository(db),
    credentials: new CredentialRepository(db),
    staff: new StaffRepository(db),
    loginUnlocks: new LoginUnlockRepository(db),
    studentSearch: new StudentSearchRepository(db),
    tenantLogos: new TenantLogoRepository(db),
    statistics: new StatisticsRepository(db),
  };
}
