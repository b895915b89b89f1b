import i18next, { type TFunction } from 'i18next';
import enCertificates from '../locales/en/certificates.json' with { type: 'json' };
import enOrders from '../locales/en/orders.json' with { type: 'json' };
import en from '../locales/en/translation.json' with { type: 'json' };
import jaCertificates from '../locales/ja/certificates.json' with { type: 'json' };
import jaOrders from '../locales/ja/orders.json' with { type: 'json' };
import ja from '../locales/ja/translation.json' with { type: 'json' };

export const languages = ['ja', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'ja';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** Every locale file of a language; a feature's own file sits under its name (orders.*, certificates.*). */
export const resources = {
  ja: { ...ja, orders: jaOrders, certificates: jaCertificates },
  en: { ...en, orders: enOrders, certificates: enCertificates },
} as const;

const i18n = i18next.createInstance();
void i18n.init({
  resources: { ja: { translation: resources.ja }, en: { translation: resources.en } },
  lng: defaultLang,
  fallbackLng: false,
  initAsync: false,
  // Preact escapes every string it renders; escaping here too would show &amp; on screen.
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

export type Translate = TFunction;

const translators = { ja: i18n.getFixedT('ja'), en: i18n.getFixedT('en') } satisfies Record<Lang, Translate>;

export function translator(lang: Lang): Translate {
  return translators[lang];
}

/** The first supported language in an Accept-Language header, by the q-values the browser sent. */
export function langFromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return undefined;
}
