import type { AccountSettingsService } from './account-settings.service.js';
import type { EmailKeyService } from './email-key.service.js';
import type { EmailRegistrationService } from './email-registration.service.js';
import type { LoginService } from './login.service.js';
import type { SecondPasswordService } from './second-password.service.js';
import type { SessionService } from './session.service.js';
import type { AuthHttp } from './auth.http.js';

export interface AuthServices {
  http: AuthHttp;
  login: LoginService;
  sessions: SessionService;
  keys: EmailKeyService;
  registration: EmailRegistrationService;
  secondPassword: SecondPasswordService;
  settings: AccountSettingsService;
}
