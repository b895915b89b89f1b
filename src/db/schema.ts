import type { AccountTable } from '../features/auth/account.table.js';
import type { AuthKeyTable } from '../features/auth/auth-key.table.js';
import type { LoginUnlockTable } from '../features/auth/login-unlock.table.js';
import type { TrustedBrowserTable } from '../features/auth/trusted-browser.table.js';
import type { AuditLogTable } from '../features/audit/audit.table.js';
import type { RosterTable } from '../features/directory/roster.table.js';
import type { CatalogueItemTable } from '../features/catalogue/catalogue.table.js';
import type { MailOutboxTable } from '../features/mail/outbox.table.js';
import type { StudentCourseTable, StudentRecordTable } from '../features/records/student-record.table.js';
import type { TenantLogoTable, TenantTable } from '../features/tenants/tenant.table.js';
import type { FlowTable } from '../flows/flow.table.js';
import type { SessionTable } from '../platform/session.table.js';
import type { ServerKeyTable } from '../platform/server-key.table.js';
import type { FormStateTable } from '../platform/form-state.table.js';
import type {
  StaffMemberTable,
  StaffPasskeyTable,
  StaffRecoveryCodeTable,
  StaffSessionTable,
} from '../features/staff/staff.table.js';

import type { StatusListTable, VerifiableCredentialTable } from '../features/credentials/credential.table.js';
import type {
  CertificateSerialTable,
  IssuedCertificateTable,
} from '../features/certificates/issued-certificate.table.js';
import type { SigningKeyTable } from '../features/certificates/signing-key.table.js';
import type {
  DigitalDeliveryTable,
  OrderItemTable,
  OrderTable,
  TenantCounterTable,
  TerminalIdempotencyTable,
  TerminalLedgerTable,
  TerminalTable,
} from '../features/orders/order.table.js';

export interface Database {
  tenants: TenantTable;
  roster: RosterTable;
  accounts: AccountTable;
  flows: FlowTable;
  auth_keys: AuthKeyTable;
  sessions: SessionTable;
  trusted_browsers: TrustedBrowserTable;
  mail_outbox: MailOutboxTable;
  audit_log: AuditLogTable;
  student_records: StudentRecordTable;
  student_courses: StudentCourseTable;
  catalogue_items: CatalogueItemTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  issued_certificates: IssuedCertificateTable;
  certificate_serials: CertificateSerialTable;
  tenant_counters: TenantCounterTable;
  signing_keys: SigningKeyTable;
  terminals: TerminalTable;
  terminal_ledger: TerminalLedgerTable;
  terminal_idempotency: TerminalIdempotencyTable;
  digital_deliveries: DigitalDeliveryTable;
  server_keys: ServerKeyTable;
  form_states: FormStateTable;
  verifiable_credentials: VerifiableCredentialTable;
  status_lists: StatusListTable;
  staff_members: StaffMemberTable;
  staff_recovery_codes: StaffRecoveryCodeTable;
  staff_passkeys: StaffPasskeyTable;
  staff_sessions: StaffSessionTable;
  login_unlocks: LoginUnlockTable;
  tenant_logos: TenantLogoTable;
}
