import i18next, { type TFunction } from 'i18next';
import en from '../locales/en/translation.json' with { type: 'json' };
import ja from '../locales/ja/translation.json' with { type: 'json' };

export const languages = ['ja', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'ja';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export const resources = { ja, en } as const;

const i18n = i18next.createInstance();
void i18n.init({
  resources: { ja: { translation: ja }, en: { translation: en } },
  lng: defaultLang,
  fallbackLng: false,
  initAsync: false,
  // Preact escapes every string it renders; escaping here too would show &amp; on screen.
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

export type Translate = TFunction;

export function translator(lang: Lang): Translate {
  return i18n.getFixedT(lang);
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
