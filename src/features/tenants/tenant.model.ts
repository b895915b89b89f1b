import { z } from 'zod';
import type { Lang } from '../../platform/i18n.js';

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
});
export type TenantPolicy = z.infer<typeof tenantPolicySchema>;

const localizedContentSchema = z.object({
  /** Lines of the "Notes" block on the login screen. */
  loginNotes: z.array(z.string()).default([]),
  /** The operating manual (§3.1), paragraphs separated by blank lines. */
  manual: z.string().default(''),
  inquiry: z
    .object({
      title: z.string().default(''),
      phones: z.array(z.object({ number: z.string(), hours: z.string() })).default([]),
      chat: z.object({ url: z.string().url(), hours: z.string() }).optional(),
    })
    .default({ title: '', phones: [] }),
  /** The landing page (L-20): certificates issued here and destinations. */
  certificates: z.array(z.string()).default([]),
  destinations: z.array(z.string()).default([]),
});
export type LocalizedContent = z.infer<typeof localizedContentSchema>;

export const tenantContentSchema = z.object({
  ja: localizedContentSchema.default(localizedContentSchema.parse({})),
  en: localizedContentSchema.default(localizedContentSchema.parse({})),
});
export type TenantContent = z.infer<typeof tenantContentSchema>;

export const directoryConfigSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('local') })]);
export type DirectoryConfig = z.infer<typeof directoryConfigSchema>;

export interface Tenant {
  id: string;
  slug: string;
  name: Record<Lang, string>;
  policy: TenantPolicy;
  content: TenantContent;
  directory: DirectoryConfig;
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
]);
export const slugPattern = /^[a-z0-9][a-z0-9-]{1,31}$/;
