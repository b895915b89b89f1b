import type { StaffAccountsService } from './staff-accounts.service.js';
import type { StaffLoginService } from './staff-login.service.js';
import type { StaffSessionService } from './staff-session.service.js';
import type { StaffHttp } from './staff.http.js';

export interface StaffServices {
  http: StaffHttp;
  accounts: StaffAccountsService;
  login: StaffLoginService;
  sessions: StaffSessionService;
}

/** Violations of the staff forms: each code's message is under `staffValidation.`. */
export const staffForm = { message: (code: string) => `staffValidation.${code}` };
