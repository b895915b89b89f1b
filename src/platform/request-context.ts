import type { Account } from '../features/auth/account.repository.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import type { Lang, Translate } from './i18n.js';

export interface CurrentSession {
  idHash: string;
  account: Account;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant;
    lang: Lang;
    t: Translate;
    currentSession: CurrentSession | undefined;
  }
}
