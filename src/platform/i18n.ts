import enAudit from '../locales/en/audit.json' with { type: 'json' };
import enCertificates from '../locales/en/certificates.json' with { type: 'json' };
import enOrders from '../locales/en/orders.json' with { type: 'json' };
import enSupport from '../locales/en/support.json' with { type: 'json' };
import en from '../locales/en/translation.json' with { type: 'json' };
import jaAudit from '../locales/ja/audit.json' with { type: 'json' };
import jaCertificates from '../locales/ja/certificates.json' with { type: 'json' };
import jaOrders from '../locales/ja/orders.json' with { type: 'json' };
import jaSupport from '../locales/ja/support.json' with { type: 'json' };
import ja from '../locales/ja/translation.json' with { type: 'json' };
import enStatistics from '../locales/en/statistics.json' with { type: 'json' };
import jaStatistics from '../locales/ja/statistics.json' with { type: 'json' };

export const languages = ['ja', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'ja';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** Every locale file of a language; a feature's own file sits under its name (orders.*, certificates.*). */
export const resources = {
  ja: {
    ...ja,
    orders: jaOrders,
    certificates: jaCertificates,
    support: jaSupport,
    audit: jaAudit,
    statistics: jaStatistics,
  },
  en: {
    ...en,
    orders: enOrders,
    certificates: enCertificates,
    support: enSupport,
    audit: enAudit,
    statistics: enStatistics,
  },
} as const;

/** What a page or a mail says: a key of the locale files and the values its text interpolates. */
export type Translate = (key: string, params?: TranslateParams) => string;
export interface TranslateParams {
  /** Picks the plural form (`key_one`, `key_other`) by the language's rules. */
  count?: number | undefined;
  /** Picks `key_<context>` when the locale has it. */
  context?: string | undefined;
  [name: string]: unknown;
}

type Tree = { readonly [key: string]: string | Tree };
/** A text cut at its `{{name}}` placeholders: even entries are literal text, odd ones names. */
type Compiled = string | readonly string[];

const PLACEHOLDER = /\{\{\s*(.+?)\s*\}\}/g;
const NESTED = /\$t\(([^)]*)\)/g;
const NESTS = /\$t\(/;

function compile(text: string): Compiled {
  const parts = text.split(PLACEHOLDER);
  return parts.length === 1 ? text : parts;
}

function flatten(tree: Tree, into: Map<string, Compiled>, prefix = ''): Map<string, Compiled> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') into.set(prefix + key, compile(value));
    else flatten(value, into, `${prefix}${key}.`);
  }
  return into;
}

/**
 * A value missing from the params leaves its placeholder, as i18next does, so a forgotten value
 * shows on screen instead of vanishing; one passed as undefined or null becomes empty.
 */
function interpolate(parts: readonly string[], params: TranslateParams | undefined): string {
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    if (params && Object.hasOwn(params, name)) {
      const value = params[name];
      out += value == null ? '' : String(value);
    } else out += `{{${name}}}`;
    out += parts[i + 1] as string;
  }
  return out;
}

/**
 * i18next resolved every call anew — splitting the key, walking the resource tree, looking for
 * plural and context forms, running its interpolation regexes — and that was a tenth of a page's
 * work. Each language is compiled once into a flat map of pre-split texts; a call is a lookup or
 * two. Lookup order and interpolation are i18next's (i18n.test.ts compares the two on every key).
 */
function compileTranslator(lang: Lang): Translate {
  const texts = flatten(resources[lang] as Tree, new Map());
  const plural = new Intl.PluralRules(lang);
  const lookup = (key: string, params: TranslateParams | undefined): Compiled | undefined => {
    const count = params?.count;
    const context = params?.context;
    const plurals = typeof count === 'number' ? [`_${plural.select(count)}`, ...(count === 0 ? ['_zero'] : [])] : [];
    const candidates: string[] = [];
    if (typeof context === 'string' && context !== '') {
      for (const suffix of plurals.toReversed()) candidates.push(`${key}_${context}${suffix}`);
      candidates.push(`${key}_${context}`);
    }
    for (const suffix of plurals.toReversed()) candidates.push(key + suffix);
    candidates.push(key);
    for (const candidate of candidates) {
      const text = texts.get(candidate);
      if (text !== undefined) return text;
    }
    return undefined;
  };
  const translate: Translate = (key, params) => {
    const text = params?.count === undefined && params?.context === undefined ? texts.get(key) : lookup(key, params);
    if (text === undefined) return key;
    const out = typeof text === 'string' ? text : interpolate(text, params);
    // i18next's nesting, after interpolation as there: `$t(orders.status.{{status}})` names the
    // status in the page's language; a key not found stays as its name.
    return NESTS.test(out) ? out.replace(NESTED, (_, nested: string) => translate(nested.trim())) : out;
  };
  return translate;
}

const translators = { ja: compileTranslator('ja'), en: compileTranslator('en') } satisfies Record<Lang, Translate>;

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
