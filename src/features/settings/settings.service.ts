import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import type { ZodType, core } from 'zod';
import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Invalid, Violation } from '../../platform/violation.js';
import { type CatalogueItem, type CertificateType, catalogueItemSchema } from '../catalogue/catalogue.model.js';
import {
  type LogoContentType,
  MIN_CONTRAST,
  colourPattern,
  contrastText,
  contrastWithWhite,
} from '../tenants/branding.js';
import type { TenantLogo } from '../tenants/tenant-logo.repository.js';
import { NAME_MAX_LENGTH, type Tenant, tenantContentSchema, tenantPolicySchema } from '../tenants/tenant.model.js';

/** The four parts of the settings (#12 §4); each save is audited as `tenant.settings_changed` with its part. */
export type SettingsPart = 'catalogue' | 'policy' | 'texts' | 'branding';

/** The policy an administrator edits in the console; the rest stays the operator's. */
export const editablePolicy = [
  'keyLength',
  'keyLifetimeMinutes',
  'keyMaxAttempts',
  'keyReissueCooldownSeconds',
  'trustedBrowserDays',
  'twoFactorMandatory',
  'linkLifetimeMinutes',
  'defaultLang',
] as const;
export type EditablePolicy = Pick<Tenant['policy'], (typeof editablePolicy)[number]>;

/** The texts an administrator edits, each in both languages, as Markdown (#12 §4). */
export const markdownTexts = ['loginNotes', 'manual', 'landing', 'payment'] as const;
export type MarkdownTextName = (typeof markdownTexts)[number];

export const LOGO_MAX_BYTES = 200 * 1024;
export const LOGO_MAX_SIDE = 2000;

/** A zod issue as a violation a form can say in words: the rule broken and its bound, at its field. */
function violation(issue: core.$ZodIssue): Violation {
  const path = issue.path.map(String).join('.');
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number') return { code: 'tooSmall', path, params: { min: Number(issue.minimum) } };
      return { code: 'required', path };
    case 'too_big':
      if (issue.origin === 'number') return { code: 'tooBig', path, params: { max: Number(issue.maximum) } };
      return { code: 'tooLong', path, params: { max: Number(issue.maximum) } };
    case 'invalid_type':
      return { code: issue.expected === 'number' ? 'notNumber' : 'required', path };
    case 'invalid_format':
      return { code: issue.format === 'url' || path.endsWith('url') ? 'url' : 'format', path };
    // The schemas' own checks (a day every year has) are about the value's form.
    case 'custom':
      return { code: 'format', path };
    default:
      return { code: 'invalid', path };
  }
}

function check<T>(schema: ZodType<T>, input: unknown): { status: 'valid'; value: T } | Invalid {
  const result = schema.safeParse(input);
  if (result.success) return { status: 'valid', value: result.data };
  return { status: 'invalid', violations: result.error.issues.map(violation) };
}

/** PNG or JPEG by its first bytes, whatever the file's name or stated type says. */
function sniffImage(bytes: Buffer): LogoContentType | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/**
 * The university's settings as its administrators keep them in the console (#12 §4, A-3): the
 * catalogue, the policy, the texts and the branding. Each save is checked whole, written in one
 * transaction with the staff member as actor, and audited; the tenant repository's write drops
 * the cached university, so the next page shows the change.
 */
export class SettingsService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'>) {}

  /** Every type the university has, withdrawn ones too. */
  catalogue(tenant: Tenant): Promise<CatalogueItem[]> {
    return this.deps.uow.repos.catalogue.list(tenant.id);
  }

  catalogueItem(tenant: Tenant, type: CertificateType): Promise<CatalogueItem | undefined> {
    return this.deps.uow.repos.catalogue.find(tenant.id, type);
  }

  /** A draft type checked as a save would, for the preview of the students' order form. */
  checkCatalogueItem(input: unknown): { status: 'valid'; value: CatalogueItem } | Invalid {
    return check(catalogueItemSchema, input) as { status: 'valid'; value: CatalogueItem } | Invalid;
  }

  /** Adds a type or changes one; `adding` refuses a type the university has already. */
  async saveCatalogueItem(
    tenant: Tenant,
    input: unknown,
    actor: Actor,
    options: { adding: boolean },
  ): Promise<{ status: 'saved'; item: CatalogueItem } | Invalid> {
    const checked = this.checkCatalogueItem(input);
    if (checked.status === 'invalid') return checked;
    const item = checked.value;
    const taken = await this.deps.uow.run(actor, async (tx) => {
      const existing = await tx.catalogue.find(tenant.id, item.type);
      if (options.adding && existing) return true;
      await tx.catalogue.upsert(tenant.id, { ...item, active: existing?.active ?? true });
      await this.audit(tx, 'catalogue', { type: item.type, change: options.adding ? 'added' : 'edited' });
      return false;
    });
    if (taken) return { status: 'invalid', violations: [{ code: 'typeTaken', path: 'type' }] };
    return { status: 'saved', item };
  }

  /** Offers a type again or withdraws it; orders placed for it keep its name. */
  async setCatalogueItemActive(tenant: Tenant, type: CertificateType, active: boolean, actor: Actor): Promise<void> {
    await this.deps.uow.run(actor, async (tx) => {
      if (!(await tx.catalogue.setActive(tenant.id, type, active))) throw new AppError('not_found');
      await this.audit(tx, 'catalogue', { type, change: active ? 'enabled' : 'disabled' });
    });
  }

  /** A-3 policy: the bounds are the tenant schema's; what the form leaves out stays as it was. */
  async savePolicy(
    tenant: Tenant,
    input: Record<string, unknown>,
    actor: Actor,
  ): Promise<{ status: 'saved' } | Invalid> {
    return this.saveTenant(tenant, actor, 'policy', (current) => {
      const picked = Object.fromEntries(editablePolicy.map((key) => [key, input[key]]));
      const checked = check(tenantPolicySchema, { ...current.policy, ...picked });
      return checked.status === 'valid' ? { status: 'valid', changes: { policy: checked.value } } : checked;
    });
  }

  /** The texts in both languages, and the inquiry block; the certificates' issuer lines stay as they were. */
  checkTexts(current: Tenant, input: { ja: Record<string, unknown>; en: Record<string, unknown> }) {
    return check(tenantContentSchema, {
      ja: { ...current.content.ja, ...input.ja },
      en: { ...current.content.en, ...input.en },
    });
  }

  async saveTexts(
    tenant: Tenant,
    input: { ja: Record<string, unknown>; en: Record<string, unknown> },
    actor: Actor,
  ): Promise<{ status: 'saved' } | Invalid> {
    return this.saveTenant(tenant, actor, 'texts', (current) => {
      const checked = this.checkTexts(current, input);
      return checked.status === 'valid' ? { status: 'valid', changes: { content: checked.value } } : checked;
    });
  }

  /** The university's name and primary colour; the colour must keep white text readable (WCAG AA). */
  async saveBranding(
    tenant: Tenant,
    input: { nameJa: string; nameEn: string; colour: string },
    actor: Actor,
  ): Promise<{ status: 'saved' } | Invalid> {
    const violations: Violation[] = [];
    const name = { ja: input.nameJa.trim(), en: input.nameEn.trim() };
    if (!name.ja) violations.push({ code: 'required', path: 'nameJa' });
    if (!name.en) violations.push({ code: 'required', path: 'nameEn' });
    if (name.ja.length > NAME_MAX_LENGTH.ja)
      violations.push({ code: 'tooLong', path: 'nameJa', params: { max: NAME_MAX_LENGTH.ja } });
    if (name.en.length > NAME_MAX_LENGTH.en)
      violations.push({ code: 'tooLong', path: 'nameEn', params: { max: NAME_MAX_LENGTH.en } });
    const colour = input.colour.trim().toLowerCase();
    if (colour && !colourPattern.test(colour)) violations.push({ code: 'colourFormat', path: 'colour' });
    else if (colour && contrastWithWhite(colour) < MIN_CONTRAST)
      violations.push({
        code: 'contrast',
        path: 'colour',
        params: { ratio: contrastText(contrastWithWhite(colour)), min: MIN_CONTRAST.toFixed(1) },
      });
    if (violations.length > 0) return { status: 'invalid', violations };
    return this.saveTenant(tenant, actor, 'branding', (current) => {
      const { colour: _old, ...rest } = current.branding;
      return { status: 'valid', changes: { name, branding: { ...rest, ...(colour && { colour }) } } };
    });
  }

  /**
   * A logo: PNG or JPEG only (SVG can carry script), told by its bytes and decoded to its size —
   * a file that does not decode is refused, whatever its name says.
   */
  async saveLogo(tenant: Tenant, bytes: Buffer | undefined, actor: Actor): Promise<{ status: 'saved' } | Invalid> {
    const refuse = (code: string, params?: Record<string, string | number>): Invalid => ({
      status: 'invalid',
      violations: [{ code, path: 'logo', ...(params && { params }) }],
    });
    if (!bytes || bytes.length === 0) return refuse('logoMissing');
    if (bytes.length > LOGO_MAX_BYTES) return refuse('logoTooLarge', { max: LOGO_MAX_BYTES / 1024 });
    const contentType = sniffImage(bytes);
    if (!contentType) return refuse('logoType');
    let size: { width?: number; height?: number; type?: string };
    try {
      size = imageSize(bytes);
    } catch {
      return refuse('logoUnreadable');
    }
    const expected = contentType === 'image/png' ? 'png' : 'jpg';
    if (size.type !== expected || !size.width || !size.height) return refuse('logoUnreadable');
    if (size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE)
      return refuse('logoDimensions', { max: LOGO_MAX_SIDE });
    const logo: TenantLogo = { sha256: createHash('sha256').update(bytes).digest('hex'), contentType, bytes };
    return this.saveTenant(tenant, actor, 'branding', async (current, tx) => {
      await tx.tenantLogos.put(tenant.id, logo, tx.now);
      return {
        status: 'valid',
        changes: {
          branding: {
            ...current.branding,
            logo: { sha256: logo.sha256, contentType, width: size.width!, height: size.height! },
          },
        },
      };
    });
  }

  async removeLogo(tenant: Tenant, actor: Actor): Promise<void> {
    await this.saveTenant(tenant, actor, 'branding', async (current, tx) => {
      await tx.tenantLogos.remove(tenant.id);
      const { logo: _removed, ...branding } = current.branding;
      return { status: 'valid', changes: { branding } };
    });
  }

  /** The logo the university's pages show, when it has one. */
  logo(tenant: Tenant): Promise<TenantLogo | undefined> {
    return this.deps.uow.repos.tenantLogos.find(tenant.id);
  }

  /**
   * Reads the university again inside the transaction (the request's copy may be a cached one a
   * few seconds old), so a save changes only its own part of what another save just wrote.
   */
  private async saveTenant(
    tenant: Tenant,
    actor: Actor,
    part: SettingsPart,
    change: (
      current: Tenant,
      tx: Work,
    ) =>
      | { status: 'valid'; changes: Parameters<Work['tenants']['updateSettings']>[1] }
      | Invalid
      | Promise<{ status: 'valid'; changes: Parameters<Work['tenants']['updateSettings']>[1] } | Invalid>,
  ): Promise<{ status: 'saved' } | Invalid> {
    return this.deps.uow.run(actor, async (tx) => {
      const current = await tx.tenants.findById(tenant.id);
      if (!current) throw new AppError('not_found');
      const outcome = await change(current, tx);
      if (outcome.status === 'invalid') return outcome;
      await tx.tenants.updateSettings(tenant.id, outcome.changes);
      await this.audit(tx, part);
      return { status: 'saved' as const };
    });
  }

  private audit(tx: Work, part: SettingsPart, detail?: Record<string, unknown>): Promise<void> {
    return tx.audit('tenant.settings_changed', { subject: part, ...(detail && { detail }) });
  }
}
