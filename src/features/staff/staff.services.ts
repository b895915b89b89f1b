import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import type { OwnAccountService } from './own-account.service.js';
import type { StaffAccountsService } from './staff-accounts.service.js';
import type { StaffLoginService } from './staff-login.service.js';
import type { StaffSessionService } from './staff-session.service.js';
import type { StaffHttp } from './staff.http.js';

export interface StaffServices {
  http: StaffHttp;
  accounts: StaffAccountsService;
  login: StaffLoginService;
  sessions: StaffSessionService;
  ownAccount: OwnAccountService;
}

/** Violations of the staff forms: each code's message is under `staffValidation.`. */
export const staffForm = { message: (code: string) => `staffValidation.${code}` };

/** What every console section's routes receive (#12): the staff guards, and the composition root to pick from. */
export interface ConsoleOptions {
  staff: StaffServices;
  services: Services;
}
export type ConsoleSection = FastifyPluginAsync<ConsoleOptions>;
