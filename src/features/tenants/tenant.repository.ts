import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import {
  type Tenant,
  type TenantLoad,
  type TenantSettingsPart,
  settingsProblems,
  tenantSettingsSchemas,
} from './tenant.model.js';
import { TenantCache } from './tenant.cache.js';
import type { TenantTable } from './tenant.table.js';

/**
 * Every request reads its university; validating the same JSON again each time was a visible
 * share of a request's work. The cache is keyed by the stored text itself, so an edit made by
 * any instance is seen at once — there is nothing to invalidate.
 */
const parsed = new Map<string, TenantLoad>();
const PARSED_CACHE_SIZE = 1000;

/**
 * The last good reading of each university, for the pages shown while the database is away:
 * the outage page still names the university and gives its inquiry block (#13).
 */
const lastKnown = new Map<string, Tenant>();

function remember(tenant: Tenant): void {
  lastKnown.delete(tenant.slug);
  if (lastKnown.size >= PARSED_CACHE_SIZE) lastKnown.delete(lastKnown.keys().next().value as string);
  lastKnown.set(tenant.slug, tenant);
}

function parseJson(part: TenantSettingsPart, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${part}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function load(row: TenantTable): TenantLoad {
  const name = { ja: row.name_ja, en: row.name_en };
  const problems: string[] = [];
  const settings: Partial<Record<TenantSettingsPart, unknown>> = {};
  for (const part of ['policy', 'content', 'directory', 'branding'] as const) {
    try {
      const value = parseJson(part, row[part]);
      const result = tenantSettingsSchemas[part].safeParse(value);
      if (result.success) settings[part] = result.data;
      else problems.push(...settingsProblems(part, value));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) return { ok: false, id: row.id, slug: row.slug, name, reason: problems.join('; ') };
  return {
    ok: true,
    tenant: {
      id: row.id,
      slug: row.slug,
      name,
      policy: settings.policy as Tenant['policy'],
      content: settings.content as Tenant['content'],
      directory: settings.directory as Tenant['directory'],
      branding: settings.branding as Tenant['branding'],
      ...(row.public_url && { publicUrl: row.public_url }),
      enabled: Number(row.enabled) === 1,
    },
  };
}

function toTenantLoad(row: TenantTable): TenantLoad {
  const key = JSON.stringify([
    row.id,
    row.slug,
    row.name_ja,
    row.name_en,
    row.policy,
    row.content,
    row.directory,
    row.branding,
    row.public_url,
    row.enabled,
  ]);
  let loaded = parsed.get(key);
  if (!loaded) {
    loaded = load(row);
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, loaded);
  }
  if (loaded.ok) remember(loaded.tenant);
  return loaded;
}

/** A university whose settings do not parse is refused, never half-read. */
function usable(loaded: TenantLoad): Tenant {
  if (loaded.ok) return loaded.tenant;
  throw new AppError('tenant_unavailable', {
    detail: `university ${loaded.slug}: stored settings are invalid: ${loaded.reason}`,
  });
}

export class TenantRepository {
  private readonly db: Kysely<Database>;

  /** `cache` is the database's (the unit of work's), so that this repository's writes clear it for all. */
  constructor(
    db: Kysely<Database>,
    private readonly cache = new TenantCache(),
  ) {
    this.db = db.withPlugin(cache.invalidateOnWrite);
  }

  /** Throws `tenant_unavailable` for a university whose stored settings are invalid. */
  async findById(id: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && usable(toTenantLoad(row));
  }

  /** Throws `tenant_unavailable` for a university whose stored settings are invalid. */
  async findBySlug(slug: string): Promise<Tenant | undefined> {
    const loaded = await this.loadBySlug(slug);
    return loaded && usable(loaded);
  }

  /**
   * The university as stored, a broken one included: every page's first read, so served from the
   * cache, which checks that what it keeps is this slug's.
   */
  async loadBySlug(slug: string): Promise<TenantLoad | undefined> {
    return this.cache.get(
      `slug:${slug}`,
      async () => {
        const row = await this.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
        return row && toTenantLoad(row);
      },
      (loaded) => (loaded.ok ? loaded.tenant.slug : loaded.slug) === slug,
    );
  }

  /** The universities that can serve pages; one with invalid settings is left out, not fatal. */
  async list(): Promise<Tenant[]> {
    return (await this.loadAll()).flatMap((loaded) => (loaded.ok ? [loaded.tenant] : []));
  }

  /** Every university, the broken ones as such: for start-up and readiness to report. */
  async loadAll(): Promise<TenantLoad[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('slug').execute();
    return rows.map(toTenantLoad);
  }

  /** The last good reading of a university in this process, if any (while the database is away). */
  lastKnown(slug: string): Tenant | undefined {
    return lastKnown.get(slug);
  }

  async insert(tenant: Tenant, now: number): Promise<void> {
    await this.db
      .insertInto('tenants')
      .values({
        id: tenant.id,
        slug: tenant.slug,
        name_ja: tenant.name.ja,
        name_en: tenant.name.en,
        policy: JSON.stringify(tenant.policy),
        content: JSON.stringify(tenant.content),
        directory: JSON.stringify(tenant.directory),
        branding: JSON.stringify(tenant.branding),
        public_url: tenant.publicUrl ?? null,
        enabled: tenant.enabled ? 1 : 0,
        created_at: now,
      })
      .execute();
  }

  /** Universities made before their address was stored get the service's (#8). */
  async fillMissingPublicUrl(publicUrl: string): Promise<void> {
    await this.db.updateTable('tenants').set({ public_url: publicUrl }).where('public_url', 'is', null).execute();
  }

  /** The settings an operator or administrator edits (#13, #12): each is validated by the service before it gets here. */
  async updateSettings(
    tenantId: string,
    settings: Partial<Pick<Tenant, 'name' | 'policy' | 'content' | 'directory' | 'branding' | 'enabled'>>,
  ): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({
        ...(settings.name && { name_ja: settings.name.ja, name_en: settings.name.en }),
        ...(settings.branding && { branding: JSON.stringify(settings.branding) }),
        ...(settings.policy && { policy: JSON.stringify(settings.policy) }),
        ...(settings.content && { content: JSON.stringify(settings.content) }),
        ...(settings.directory && { directory: JSON.stringify(settings.directory) }),
        ...(settings.enabled !== undefined && { enabled: settings.enabled ? 1 : 0 }),
      })
      .where('id', '=', tenantId)
      .execute();
  }

  async updatePolicy(tenantId: string, policy: Tenant['policy']): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({ policy: JSON.stringify(policy) })
      .where('id', '=', tenantId)
      .execute();
  }
}
