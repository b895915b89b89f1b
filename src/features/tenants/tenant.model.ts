import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { Lang } from '../../platform/i18n.js';
import { type TenantBranding, tenantBrandingSchema } from './branding.js';

/** Policy settings a university may change; the defaults are SPEC.md's. */
export const tenantPolicySchema = z.object({
  keyLength: z.number().int().min(6).max(10).default(6),
  keyLifetimeMinutes: z.number().int().min(1).max(60).default(10),
  keyMaxAttempts: z.number().int().min(1).max(20).default(5),
  keyReissueCooldownSeconds: z.number().int().min(0).max(3600).default(60),
  trustedBrowserDays: z.number().int().min(0).max(365).default(30),
  twoFactorMandatory: z.boolean().default(false),
  twoFactorDefaultOn: z.boolean().default(true),
  linkLifetimeMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  defaultLang: z.enum(['ja', 'en']).default('ja'),
  /** Where certificates may go (C-1, C-9); the Select Printing Destination screen offers these. */
  destinations: z
    .array(z.enum(['campus', 'convenience', 'postal', 'digital']))
    .default(['campus', 'convenience', 'postal']),
  reservationDays: z.number().int().min(1).max(60).default(7),
  /** Postage per postal order, in yen. */
  postageYen: z.number().int().min(0).max(10_000).default(140),
  digitalLinkDays: z.number().int().min(1).max(365).default(90),
  /**
   * Postal and digital orders get a payment number payable at a convenience store (#12, A-8),
   * valid this many days: as long as a reservation by default, so one week covers both.
   */
  convenienceOrderPayment: z.boolean().default(true),
  paymentNumberDays: z.number().int().min(1).max(60).default(7),
  /** Recipients known to refuse digitally delivered certificates, checked before an order (C-9). */
  digitalRefusingDomains: z.array(z.string().toLowerCase()).default([]),
  /** Dates on Japanese certificates: the era (令和8年) or the western calendar. */
  calendar: z.enum(['japanese', 'western']).default('japanese'),
  /** Whether failed courses appear on transcripts. */
  transcriptIncludesFailed: z.boolean().default(false),
});
export type TenantPolicy = z.infer<typeof tenantPolicySchema>;

/**
 * A university's text, as Markdown source (#12 §4): shown through platform/markdown.ts, which
 * renders only a small safe subset.
 */
export const MARKDOWN_TEXT_MAX = 10_000;
/** The longest name, in each language, of a university or a certificate type (the forms and their checks). */
export const NAME_MAX_LENGTH = { ja: 100, en: 200 } as const;
const markdownText = z.string().max(MARKDOWN_TEXT_MAX, `at most ${MARKDOWN_TEXT_MAX} characters`);

/** Only web addresses: a javascript: or data: link would run on every page of the university. */
const webAddress = z
  .string()
  .url()
  .regex(/^https?:\/\//i, 'must start with https:// or http://');

const localizedContentSchema = z.object({
  /**
   * The "Notes" block on the login screen. Stored once as a list of lines; such a list still
   * reads, as a Markdown list.
   */
  loginNotes: z
    .union([markdownText, z.array(z.string())])
    .transform((notes) => (Array.isArray(notes) ? notes.map((line) => `- ${line}`).join('\n') : notes))
    .default(''),
  /** The operating manual (§3.1). */
  manual: markdownText.default(''),
  /** L-20: the university's own words on the landing page, above what the catalogue says. */
  landing: markdownText.default(''),
  inquiry: z
    .object({
      title: z.string().default(''),
      phones: z.array(z.object({ number: z.string(), hours: z.string() })).default([]),
      chat: z.object({ url: webAddress, hours: z.string() }).optional(),
      /** The manual's "(Only available in Japanese)": English pages then point to chat (#10). */
      phonesJapaneseOnly: z.boolean().default(true),
    })
    .default({ title: '', phones: [], phonesJapaneseOnly: true }),
  /**
   * How and by when postal and digital orders are paid (#10), until payment numbers say it:
   * shown on the review and in the order mail.
   */
  payment: markdownText.default(''),
  /** The issuer printed on certificates (C-6): the title alone (学長 / President) and the name. */
  presidentTitle: z.string().default(''),
  presidentName: z.string().default(''),
  address: z.string().default(''),
});

export const tenantContentSchema = z.object({
  ja: localizedContentSchema.default(localizedContentSchema.parse({})),
  en: localizedContentSchema.default(localizedContentSchema.parse({})),
});
export type TenantContent = z.infer<typeof tenantContentSchema>;

const ldapAttribute = z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be an LDAP attribute name');
const ldapFilter = z.string().regex(/^\(.*\)$/, 'must be an LDAP filter in parentheses, e.g. (objectClass=person)');

/** L-2: the university's LDAP / Active Directory. */
export const ldapDirectorySchema = z
  .object({
    kind: z.literal('ldap'),
    /** Tried in order: the first that answers is used (failover). */
    urls: z.array(z.string().regex(/^ldaps?:\/\/\S+$/, 'must be ldap://host:port or ldaps://host:port')).min(1),
    startTls: z.boolean().default(false),
    /** PEM CA bundle that signs the directory's certificate (ldaps:// or StartTLS). */
    caCertPem: z.string().optional(),
    /** Direct bind: `uid={user},ou=people,dc=example,dc=ac,dc=jp`, or AD's `{user}@example.ac.jp`. */
    bindDnTemplate: z.string().includes('{user}').optional(),
    /** Where a UPN-template bind looks the user up to apply the filter. */
    baseDn: z.string().optional(),
    /** Search-then-bind with a service account. */
    search: z
      .object({ baseDn: z.string().min(1), serviceBindDn: z.string().min(1), serviceBindPassword: z.string().min(1) })
      .optional(),
    /** The attribute holding the user ID (uid, sAMAccountName, userPrincipalName…). */
    userIdAttribute: ldapAttribute.default('uid'),
    /** Who may log in, e.g. (&(objectClass=person)(memberOf=cn=students,ou=groups,dc=…)). */
    filter: ldapFilter.optional(),
    connectTimeoutMs: z.number().int().min(100).max(30_000).default(2_000),
    timeoutMs: z.number().int().min(100).max(30_000).default(4_000),
  })
  .refine((config) => Boolean(config.bindDnTemplate) !== Boolean(config.search), {
    message: 'set exactly one of bindDnTemplate and search',
  })
  .refine((config) => !(config.startTls && config.urls.some((url) => url.startsWith('ldaps://'))), {
    message: 'StartTLS is for ldap:// URLs; ldaps:// is already encrypted',
  });
export type LdapDirectoryConfig = z.infer<typeof ldapDirectorySchema>;

export const directoryConfigSchema = z.union([z.object({ kind: z.literal('local') }), ldapDirectorySchema]);
export type DirectoryConfig = z.infer<typeof directoryConfigSchema>;

export interface Tenant {
  id: string;
  slug: string;
  name: Record<Lang, string>;
  policy: TenantPolicy;
  content: TenantContent;
  directory: DirectoryConfig;
  /** Colour and logo (#12 §4); empty: the service's own look. */
  branding: TenantBranding;
  /**
   * Where its pages are served (no trailing slash): every link in a document or a mail starts
   * here (#8). Absent only for a university made before it was stored, until the service starts.
   */
  publicUrl?: string;
  /**
   * Open to students (#13). A university the operator creates starts closed — not listed, no
   * logins, its pages say it is not open yet — until `shomei tenant enable` finds it set up.
   */
  enabled: boolean;
}

/**
 * A stored university as read: its settings parsed, or why they cannot be. A broken row is a
 * value, not an exception, so a cache can hold it and one university's bad settings refuse only
 * its own pages (#13).
 */
export type TenantLoad =
  { ok: true; tenant: Tenant } | { ok: false; id: string; slug: string; name: Record<Lang, string>; reason: string };

/** The settings a university's row stores as JSON, each checked against its schema. */
export const tenantSettingsSchemas = {
  policy: tenantPolicySchema,
  content: tenantContentSchema,
  directory: directoryConfigSchema,
  branding: tenantBrandingSchema,
} as const;
export type TenantSettingsPart = keyof typeof tenantSettingsSchemas;

/** What is wrong with a settings value, in one line per problem: `directory.urls.0: must be …`. */
export function settingsProblems(part: TenantSettingsPart, value: unknown): string[] {
  const result = tenantSettingsSchemas[part].safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${[part, ...issue.path].join('.')}: ${issue.message}`);
}

/**
 * A settings value checked before it is stored: a refusal the operator can read (and act on)
 * instead of a row that would break the university's pages later.
 */
export function validTenantSettings<P extends TenantSettingsPart>(
  part: P,
  value: unknown,
): z.infer<(typeof tenantSettingsSchemas)[P]> {
  const result = tenantSettingsSchemas[part].safeParse(value);
  if (!result.success)
    throw new AppError('tenant_settings_invalid', { detail: settingsProblems(part, value).join('; ') });
  return result.data as z.infer<(typeof tenantSettingsSchemas)[P]>;
}

/** The address of one of the university's pages, from its own stored public address. */
export function tenantLink(tenant: Pick<Tenant, 'slug' | 'publicUrl'>, path: string): string {
  if (!tenant.publicUrl)
    throw new AppError('tenant_address_missing', {
      detail: `${tenant.slug} has no public address yet: start the service once (it records its PUBLIC_URL)`,
    });
  return `${tenant.publicUrl}/${tenant.slug}${path}`;
}

/** Slugs are URL prefixes; these would shadow the service's own paths. */
export const reservedSlugs = new Set([
  'static',
  'healthz',
  'readyz',
  'dev',
  'api',
  'admin',
  'favicon.ico',
  'robots.txt',
  'ns',
]);
export const slugPattern = /^[a-z0-9][a-z0-9-]{1,31}$/;
