import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, Translate } from '../i18n.js';

/**
 * What the shared layout needs of a university: the tenants feature's model has these and more.
 * Declared here so the platform depends on no feature.
 */
export interface PageTenant {
  slug: string;
  name: Record<Lang, string>;
  policy: { twoFactorMandatory: boolean };
  /** The university's colour (`#rrggbb`) and logo (#12 §4); the layout links them by version. */
  branding?: { colour?: string | undefined; logo?: { sha256: string; width: number; height: number } | undefined };
  content: Record<
    Lang,
    {
      inquiry: {
        title: string;
        phones: Array<{ number: string; hours: string }>;
        /** The call centre answers in Japanese only (the manual's "(Only available in Japanese)"). */
        phonesJapaneseOnly: boolean;
        chat?: { url: string; hours: string } | undefined;
      };
    }
  >;
}

/** What the menu needs of the logged-in student. */
export interface PageAccount {
  userId: string;
  twoFactorEnabled: boolean;
}

export interface PageContextValue {
  t: Translate;
  lang: Lang;
  tenant: PageTenant | undefined;
  csrfToken: string;
  /** Present on logged-in pages: the menu shows. */
  account: PageAccount | undefined;
  /** Base path of the tenant's pages, e.g. `/demo`. */
  base: string;
}

export const PageContext = createContext<PageContextValue | undefined>(undefined);

export function usePage(): PageContextValue {
  const value = useContext(PageContext);
  if (!value) throw new Error('usePage() outside a rendered page');
  return value;
}
