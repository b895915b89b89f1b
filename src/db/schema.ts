import type { AccountTable } from '../features/auth/account.table.js';
import type { AuthKeyTable } from '../features/auth/auth-key.table.js';
import type { TrustedBrowserTable } from '../features/auth/trusted-browser.table.js';
import type { AuditLogTable } from '../features/audit/audit.table.js';
import type { RosterTable } from '../features/directory/roster.table.js';
import type { MailOutboxTable } from '../features/mail/outbox.table.js';
import type { TenantTable } from '../features/tenants/tenant.table.js';
import type { FlowTable } from '../flows/flow.table.js';
import type { SessionTable } from '../platform/session.table.js';

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
}
