import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EmailAddressRule } from '../features/auth/email-address.rules.js';
import type { LoginNotice } from '../features/auth/pages/login.page.js';
import type { KeyDialog } from '../features/auth/pages/email-key.page.js';
import type { LinkStatus } from '../flows/flow.service.js';
import type { SecondPasswordRule } from '../features/auth/second-password.rules.js';
import type { MailEvent } from '../features/mail/mail.templates.js';
import { certificateTypes } from '../features/certificates/certificate.model.js';
import type { UnavailableReason } from '../features/catalogue/eligibility.js';
import { destinations, orderStates } from '../features/orders/order.state.js';
import { terminalErrorStatus } from '../features/orders/terminal.service.js';
import { errorStatus } from './errors.js';
import { type Lang, isLang, langFromAcceptLanguage, languages, translator } from './i18n.js';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Tree = { [key: string]: string | Tree };

/** Every locale file of the language, as i18n.ts merges them (feature files under their names). */
function loadLocale(lang: Lang): Tree {
  const dir = path.join(srcDir, 'locales', lang);
  const tree: Tree = {};
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const content = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Tree;
    if (file === 'translation.json') Object.assign(tree, content);
    else tree[file.replace(/\.json$/, '')] = content;
  }
  return tree;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const stripPlural = (key: string) => key.replace(PLURAL_SUFFIX, '');

const locales = Object.fromEntries(languages.map((lang) => [lang, flatten(loadLocale(lang))])) as Record<
  Lang,
  Map<string, string>
>;
const baseKeys = Object.fromEntries(
  languages.map((lang) => [lang, new Set([...locales[lang].keys()].map(stripPlural))]),
) as Record<Lang, Set<string>>;

function missingIn(lang: Lang, keys: Iterable<string>): string[] {
  return [...keys].filter((key) => !baseKeys[lang].has(key)).sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Static keys in the code: t('…') calls and `message: '…'` locale keys of form errors. */
function keysUsedInCode(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (key: string, file: string) => found.set(key, [...(found.get(key) ?? []), path.relative(srcDir, file)]);
  for (const file of sourceFiles(srcDir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*(['"])([^'"`$]+)\1/g)) add(match[2] as string, file);
    for (const match of text.matchAll(/\bmessage:\s*(['"])((?:validation|errors)\.[^'"`$]+)\1/g)) {
      add(match[2] as string, file);
    }
  }
  return found;
}

// Records typed by the unions: tsc fails here when a value is added to a union and not to the test.
const secondPasswordRules = Object.keys({
  required: 1,
  tooShort: 1,
  tooLong: 1,
  needsUpper: 1,
  needsLower: 1,
  needsDigit: 1,
  onlyHalfWidthAlphanumeric: 1,
  sameAsUserId: 1,
  tooCommon: 1,
} satisfies Record<SecondPasswordRule, 1>);
const emailRules = Object.keys({
  required: 1,
  singleByte: 1,
  noSpaces: 1,
  invalid: 1,
  tooLong: 1,
  mismatch: 1,
} satisfies Record<EmailAddressRule, 1>);
const mailEvents = Object.keys({
  emailRegistration: 1,
  emailChange: 1,
  emailChangedNotice: 1,
  authKey: 1,
  secondPasswordReset: 1,
  secondPasswordChangedNotice: 1,
  twoFactorChangedNotice: 1,
  orderStatus: 1,
  digitalDelivery: 1,
  staffInvitation: 1,
} satisfies Record<MailEvent, 1>) as MailEvent[];
/** The order states a student is mailed about, per destination (order.service.ts mailStudent). */
const orderMailContexts = [
  'convenience_reserved',
  'campus_reserved',
  'postal_submitted',
  'postal_paid',
  'postal_printed',
  'postal_shipped',
  'digital_submitted',
  'digital_delivered',
  // A paid reservation that will not print (#9): voided at the machine, or released for refund.
  'convenience_voided',
  'campus_voided',
  'convenience_released',
  'campus_released',
];
const unavailableReasons = Object.keys({
  status: 1,
  finalYearOnly: 1,
  notYet: 1,
  destination: 1,
  language: 1,
  inactive: 1,
} satisfies Record<UnavailableReason, 1>);
const linkStatuses = Object.keys({ expired: 1, used: 1, unknown: 1 } satisfies Record<
  Exclude<LinkStatus<unknown>['status'], 'valid'>,
  1
>);
const loginNotices = Object.keys({
  loggedOut: 1,
  loginRequired: 1,
  sessionEnded: 1,
  flowEnded: 1,
  mailAddressSet: 1,
  secondPasswordSet: 1,
} satisfies Record<LoginNotice, 1>);
const keyDialogs = Object.keys({ invalidated: 1, reissued: 1, cooldown: 1, expired: 1 } satisfies Record<
  KeyDialog['kind'],
  1
>);

/** Keys the code builds from template strings, by enumerating every value they can take. */
const dynamicKeys: string[] = [
  ...Object.keys(errorStatus).flatMap((code) => [`errors.${code}.title`, `errors.${code}.body`]),
  ...secondPasswordRules.map((rule) => `validation.secondPassword.${rule}`),
  ...emailRules.map((rule) => `validation.email.${rule}`),
  // Two mails take an i18next context: twoFactorChangedNotice (on/off) and orderStatus (destination_state).
  ...mailEvents.flatMap((event) =>
    event === 'twoFactorChangedNotice'
      ? [`mail.${event}.subject`, `mail.${event}.body_on`, `mail.${event}.body_off`]
      : event === 'orderStatus'
        ? orderMailContexts.flatMap((context) => [`mail.${event}.subject_${context}`, `mail.${event}.body_${context}`])
        : [`mail.${event}.subject`, `mail.${event}.body`],
  ),
  ...destinations.flatMap((d) => [
    `orders.destinations.${d}.name`,
    `orders.destinations.${d}.hint`,
    `orders.destinations.${d}.note`,
    `orders.review.payment.${d}`,
  ]),
  ...[...orderStates, 'expired'].map((state) => `orders.states.${state}`),
  ...unavailableReasons.map((reason) => `orders.unavailable.${reason}`),
  ...['placed', 'cancelled', 'notCancellable'].map((notice) => `orders.detail.notice.${notice}`),
  ...['campus', 'convenience'].map((d) => `orders.detail.howTo.${d}`),
  ...['voided', 'released'].map((state) => `orders.detail.next.${state}`),
  ...Object.keys(terminalErrorStatus).map((code) => `orders.simulator.errors.${code}`),
  ...certificateTypes.map((type) => `certificates.types.${type}`),
  ...['genuine', 'revoked', 'altered', 'unknown', 'unchecked'].flatMap((v) => [
    `certificates.verify.verdict.${v}.title`,
    `certificates.verify.verdict.${v}.body`,
  ]),
  ...['signature', 'revision', 'bytes'].map((kind) => `certificates.verify.added.${kind}`),
  ...['city', 'street', 'recipient'].map((field) => `orders.address.${field}Required`),
  ...languages.map((lang) => `orders.form.language.${lang}`),
  ...linkStatuses.flatMap((status) => [`link.${status}.title`, `link.${status}.body`]),
  ...loginNotices.map((notice) => `login.notice.${notice}`),
  ...keyDialogs.flatMap((kind) => [`key.dialog.${kind}.title`, `key.dialog.${kind}.body`]),
  ...languages.map((lang) => `common.languageName.${lang}`),
];

describe('locale completeness (L-12: Japanese and English, no missing strings)', () => {
  it('L-12 every Japanese key exists in English and every English key in Japanese', () => {
    expect({ missingInEn: missingIn('en', baseKeys.ja), missingInJa: missingIn('ja', baseKeys.en) }).toEqual({
      missingInEn: [],
      missingInJa: [],
    });
  });

  it('L-12 every string is non-empty in both languages', () => {
    for (const lang of languages) {
      const empty = [...locales[lang]].filter(([, value]) => value.trim() === '').map(([key]) => key);
      expect(empty, lang).toEqual([]);
    }
  });

  it('L-12 the same placeholders appear in both languages', () => {
    const placeholders = (lang: Lang) => {
      const byKey = new Map<string, Set<string>>();
      for (const [key, value] of locales[lang]) {
        const set = byKey.get(stripPlural(key)) ?? new Set<string>();
        for (const match of value.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) set.add(match[1] as string);
        byKey.set(stripPlural(key), set);
      }
      return byKey;
    };
    const ja = placeholders('ja');
    const en = placeholders('en');
    const differing = [...ja.keys()]
      .filter((key) => en.has(key))
      .filter((key) => [...(ja.get(key) ?? [])].sort().join() !== [...(en.get(key) ?? [])].sort().join());
    expect(differing).toEqual([]);
  });

  it('L-12 plural keys have the forms each language needs (English one + other, Japanese other)', () => {
    const plurals = new Set(
      languages.flatMap((lang) => [...locales[lang].keys()].filter((k) => PLURAL_SUFFIX.test(k)).map(stripPlural)),
    );
    for (const key of plurals) {
      expect(locales.en.has(`${key}_one`), `${key}_one in en`).toBe(true);
      expect(locales.en.has(`${key}_other`), `${key}_other in en`).toBe(true);
      expect(locales.ja.has(`${key}_other`), `${key}_other in ja`).toBe(true);
    }
  });

  it('L-12 every static key used in the code exists in both locales', () => {
    const used = keysUsedInCode();
    // The scan must find the code's keys; an empty scan would prove nothing.
    expect(used.size).toBeGreaterThan(100);
    expect(used.has('login.userId')).toBe(true);
    expect(used.has('validation.login.invalid')).toBe(true);
    const missing = [...used]
      .flatMap(([key, files]) =>
        languages.filter((lang) => !baseKeys[lang].has(key)).map((lang) => `${lang}: ${key} (${files.join(', ')})`),
      )
      .sort();
    expect(missing).toEqual([]);
  });

  it('L-12 every key the code builds from a template exists in both locales', () => {
    const missing = languages.flatMap((lang) => missingIn(lang, dynamicKeys).map((key) => `${lang}: ${key}`));
    expect(missing).toEqual([]);
  });

  it.each(languages)('L-12 every used key resolves to text through the translator in %s', (lang) => {
    const t = translator(lang);
    const unresolved = [...new Set([...keysUsedInCode().keys(), ...dynamicKeys])].filter((key) => {
      const [base, context] = key.match(/^(.*)_(on|off)$/)?.slice(1) ?? [key, undefined];
      const value = t(base as string, { count: 2, context, minutes: 1, seconds: 1 });
      return value === base || value === '';
    });
    expect(unresolved).toEqual([]);
  });

  it('L-12 L-8 the plural message follows the count in English and stays whole in Japanese', () => {
    const en = translator('en');
    expect(en('validation.key.wrong', { count: 1 })).toContain('1 attempt left');
    expect(en('validation.key.wrong', { count: 3 })).toContain('3 attempts left');
    const ja = translator('ja');
    expect(ja('validation.key.wrong', { count: 1 })).toContain('1');
    expect(ja('validation.key.wrong', { count: 1 })).not.toBe('validation.key.wrong');
  });

  it('L-12 the translator does not escape: the views escape once', () => {
    expect(translator('en')('key.expiry', { expiry: '<b>&' })).toContain('<b>&');
  });
});

describe('langFromAcceptLanguage (L-12: the first visit follows Accept-Language)', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['ja', 'ja'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7', 'ja'],
    ['EN-gb', 'en'],
    ['fr-FR, en;q=0.5, ja;q=0.8', 'ja'],
    ['fr, de', undefined],
    ['*', undefined],
    ['zh-Hant-TW;q=0.9, en-US;q=0.8', 'en'],
    ['en;q=0, ja;q=0.1', 'ja'],
    ['en;q=0', undefined],
    ['ja;q=0.5,en;q=0.5', 'ja'],
    ['en;q=0.5,ja;q=0.5', 'en'],
    ['en;q=0.4, ja', 'ja'],
    ['en;q=abc, ja', 'ja'],
    ['en;q=1.0', 'en'],
    // RFC 9110 §12.4.2: weight = OWS ";" OWS "q=" qvalue — spaces around ";" are allowed.
    ['en ;q=0.5', 'en'],
    ['fr, en ; q=0.5', 'en'],
    [' ja-JP ; q=0.7 , en ; q=0.9 ', 'en'],
    ['jam, ja;q=0.1', 'ja'],
    ['english', undefined],
  ] as const)('L-12 %j → %s', (header, expected) => {
    expect(langFromAcceptLanguage(header)).toBe(expected);
  });

  it('L-12 isLang accepts only the two languages', () => {
    expect(isLang('ja')).toBe(true);
    expect(isLang('en')).toBe(true);
    for (const other of ['JA', 'fr', '', undefined, null, 1, 'toString']) expect(isLang(other)).toBe(false);
  });
});
