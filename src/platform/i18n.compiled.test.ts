import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { type TranslateParams, languages, resources, translator } from './i18n.js';

/** i18next configured as the service used it before #11: the oracle the compiled translator must match. */
const reference = i18next.createInstance();
void reference.init({
  resources: { ja: { translation: resources.ja }, en: { translation: resources.en } },
  lng: 'ja',
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

type Tree = { readonly [key: string]: string | Tree };

function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [prefix + key] : keysOf(value, `${prefix}${key}.`),
  );
}

/** Every key, and every key without its plural or context suffix (the forms the code asks for). */
function lookups(): string[] {
  const all = new Set<string>();
  for (const lang of languages)
    for (const key of keysOf(resources[lang] as Tree)) {
      all.add(key);
      all.add(key.replace(/_(zero|one|two|few|many|other)$/, ''));
      all.add(key.replace(/_[a-z]+(_[a-z]+)?$/, ''));
      all.add(key.replace(/_[a-z]+_[a-z]+$/, ''));
    }
  return [...all, 'no.such.key'];
}

const placeholderValues = Object.fromEntries(
  ['userId', 'minutes', 'expiry', 'total', 'url', 'recipient', 'address', 'tenantName', 'date', 'seconds'].map(
    (name, i) => [name, i % 3 === 0 ? `<${name}&>` : i],
  ),
);

const paramSets: Array<TranslateParams | undefined> = [
  undefined,
  {},
  placeholderValues,
  { ...placeholderValues, count: 0 },
  { ...placeholderValues, count: 1 },
  { ...placeholderValues, count: 2 },
  { count: 1, context: 'on' },
  { count: 5, context: 'off', userId: 'u1' },
  { context: 'convenience_reserved', reservationNumber: '123', expiry: undefined, total: null },
  { context: 'postal_shipped', count: 1, tracking: 'T-1' },
  { context: '' },
];

describe('#11 compiled translations say what i18next said', () => {
  it.each(languages)('#11 every key with every kind of params gives i18next text in %s', (lang) => {
    const t = translator(lang);
    const fixed = reference.getFixedT(lang);
    const differences: string[] = [];
    for (const key of lookups())
      for (const params of paramSets) {
        const expected = fixed(key, params as Record<string, unknown>) as unknown;
        const actual = t(key, params);
        if (typeof expected === 'string' && actual !== expected)
          differences.push(`${key} ${JSON.stringify(params)}: ${actual} ≠ ${expected}`);
      }
    expect(differences).toEqual([]);
  });

  it("#11 a key naming a group of texts gives the key back, not i18next's warning", () => {
    expect(translator('en')('common')).toBe('common');
  });
});
