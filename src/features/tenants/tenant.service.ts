import type { Infrastructure } from '../../infrastructure.js';
import { operatorActor } from '../../platform/actor.js';
import { newId } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { PASSWORD_MIN_LENGTH } from '../../platform/password-hasher.js';
import { type Invalid, parseSettings } from '../../platform/violation.js';
import {
  type DirectoryConfig,
  type Tenant,
  directoryConfigSchema,
  reservedSlugs,
  slugPattern,
  tenantContentSchema,
  tenantPolicySchema,
  validTenantSettings,
} from './tenant.model.js';

export interface NewTenant {
  slug: string;
  name: { ja: string; en: string };
  policy?: Partial<Tenant['policy']>;
  content?: unknown;
  directory?: DirectoryConfig;
  branding?: unknown;
  /** Where its pages are served; the service's PUBLIC_URL when not given. */
  publicUrl?: string;
  /**
   * False for a university the operator is setting up (`shomei tenant create`), opened by
   * `shomei tenant enable` once it is ready (#13). The demo and tests make open ones.
   */
  enabled?: boolean;
}

/** A validated university with the specification's defaults filled in. */
export function newTenant(input: NewTenant): Tenant {
  if (!slugPattern.test(input.slug) || reservedSlugs.has(input.slug)) {
    throw new AppError('tenant_slug_invalid', {
      detail: `slug "${input.slug}" must be 2–32 of a–z, 0–9, "-" and not one of ${[...reservedSlugs].join(', ')}`,
    });
  }
  return {
    id: newId(),
    slug: input.slug,
    name: input.name,
    policy: validTenantSettings('policy', input.policy ?? {}),
    content: validTenantSettings('content', input.content ?? {}),
    directory: validTenantSettings('directory', input.directory ?? { kind: 'local' }),
    branding: validTenantSettings('branding', input.branding ?? {}),
    ...(input.publicUrl && { publicUrl: input.publicUrl.replace(/\/+$/, '') }),
    enabled: input.enabled ?? true,
  };
}

export type SettingsOutcome = { status: 'set'; tenant: Tenant } | Invalid;

/**
 * The operator's side: making universities, their settings and a local roster. Every write to a
 * university goes through here and the tenant repository, so whatever caches universities has
 * one place to learn of changes.
 */
export class TenantService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'hasher' | 'config'>) {}

  async create(input: NewTenant): Promise<Tenant> {
    const tenant = newTenant({ ...input, publicUrl: input.publicUrl ?? this.deps.config.publicUrl });
    const taken = () =>
      new AppError('tenant_slug_taken', { detail: `a university with slug ${tenant.slug} exists already` });
    if (await this.deps.uow.repos.tenants.findBySlug(tenant.slug)) throw taken();
    try {
      await this.deps.uow.repos.tenants.insert(tenant, this.deps.clock.now());
    } catch (error) {
      // Created by someone else since the look-up: the unique key said so, in its dialect's words.
      if (await this.deps.uow.repos.tenants.findBySlug(tenant.slug)) throw taken();
      throw error;
    }
    return tenant;
  }

  list(): Promise<Tenant[]> {
    return this.deps.uow.repos.tenants.list();
  }

  /** L-2: the local roster, or the university's LDAP / Active Directory. */
  setDirectory(tenant: Tenant, input: unknown): Promise<SettingsOutcome> {
    return this.update(tenant, 'directory', parseSettings(directoryConfigSchema, input));
  }

  /** Login notes, manual, inquiry block, the president's name and the address printed on certificates. */
  setContent(tenant: Tenant, input: unknown): Promise<SettingsOutcome> {
    return this.update(tenant, 'content', parseSettings(tenantContentSchema, input));
  }

  /** The whole policy: fields the file leaves out take SPEC.md's defaults. */
  setPolicy(tenant: Tenant, input: unknown): Promise<SettingsOutcome> {
    return this.update(tenant, 'policy', parseSettings(tenantPolicySchema, input));
  }

  private async update<K extends 'directory' | 'content' | 'policy'>(
    tenant: Tenant,
    field: K,
    parsed: { status: 'valid'; value: Tenant[K] } | Invalid,
  ): Promise<SettingsOutcome> {
    if (parsed.status === 'invalid') return parsed;
    await this.deps.uow.run(operatorActor(tenant.id), async (tx) => {
      await tx.tenants.updateSettings(tenant.id, { [field]: parsed.value });
      await tx.audit('tenant.settings_changed', { subject: field });
    });
    return { status: 'set', tenant: { ...tenant, [field]: parsed.value } };
  }

  /** Opens or closes the university; the readiness check decides whether it may open. */
  async setEnabled(tenant: Tenant, enabled: boolean): Promise<void> {
    await this.deps.uow.run(operatorActor(tenant.id), async (tx) => {
      await tx.tenants.updateSettings(tenant.id, { enabled });
      await tx.audit(enabled ? 'tenant.enabled' : 'tenant.disabled');
    });
  }

  async setRosterPassword(tenant: Tenant, userId: string, password: string): Promise<{ status: 'set' } | Invalid> {
    if (password.length < PASSWORD_MIN_LENGTH) {
      return {
        status: 'invalid',
        violations: [{ code: 'tooShort', path: 'password', params: { min: PASSWORD_MIN_LENGTH } }],
      };
    }
    const hash = await this.deps.hasher.hash(password);
    await this.deps.uow.repos.roster.upsert(tenant.id, userId, hash, this.deps.clock.now());
    return { status: 'set' };
  }

  /**
   * The user can no longer log in (their university password stops working here), and the
   * sessions they already have end with it; false when unknown.
   */
  async disableRosterUser(tenant: Tenant, userId: string): Promise<boolean> {
    return this.deps.uow.run(operatorActor(tenant.id), async (tx) => {
      const disabled = await tx.roster.deactivate(tenant.id, userId, tx.now);
      if (!disabled) return false;
      const account = await tx.accounts.findByUserId(tenant.id, userId);
      if (account) await tx.sessions.deleteAllForAccount(tenant.id, account.id);
      await tx.audit('roster.disabled', { subject: userId, ...(account && { accountId: account.id }) });
      return true;
    });
  }
}
