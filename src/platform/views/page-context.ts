import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Account } from '../../features/auth/account.repository.js';
import type { Tenant } from '../../features/tenants/tenant.model.js';
import type { Lang, Translate } from '../i18n.js';

export interface PageContextValue {
  t: Translate;
  lang: Lang;
  tenant: Tenant | undefined;
  csrfToken: string;
  /** Present on logged-in pages: the menu shows. */
  account: Account | undefined;
  /** Base path of the tenant's pages, e.g. `/demo`. */
  base: string;
}

export const PageContext = createContext<PageContextValue | undefined>(undefined);

export function usePage(): PageContextValue {
  const value = useContext(PageContext);
  if (!value) throw new Error('usePage() outside a rendered page');
  return value;
}
