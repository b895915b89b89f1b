import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * How long an instance trusts what it read of a university. Within the instance every change made
 * through the tenant repository drops the cache at once; another instance (or the `shomei` command
 * on the same database) is seen within this time.
 */
export const TENANT_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * Every page under /:tenant read its university from the database (a query, its compilation and
 * the settings' validation). This keeps what the repository returned — a university or whatever
 * it answers for a row it cannot use — for a few seconds. Only found rows are kept: a scan of
 * made-up addresses cannot fill it. One per database (the unit of work's), shared by its
 * transactions, so a write inside a transaction drops what every request sees.
 */
export class TenantCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  /** Bumped by every write: a read that began before it may have seen the old row, so is not kept. */
  private generation = 0;

  constructor(private readonly ttlMs = TENANT_CACHE_TTL_MS) {}

  /**
   * The value under `key`, loaded when absent or stale. `belongs` checks a kept value against the
   * key (the slug it was asked by), so a mix-up can never serve one university's row for another.
   */
  async get<T>(
    key: string,
    load: () => Promise<T | undefined>,
    belongs: (value: T) => boolean,
  ): Promise<T | undefined> {
    const now = performance.now();
    const entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry && entry.expiresAt > now && belongs(entry.value)) return entry.value;
    const generation = this.generation;
    const value = await load();
    if (value === undefined) {
      this.entries.delete(key);
      return undefined;
    }
    if (generation === this.generation && belongs(value)) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /**
   * A Kysely plugin for the repository's connection: any statement but a SELECT drops the cache,
   * before it runs and again once it has, so a writer added later cannot forget to.
   */
  get invalidateOnWrite(): KyselyPlugin {
    const isWrite = (node: RootOperationNode) => node.kind !== 'SelectQueryNode';
    const written = new WeakSet<object>();
    return {
      transformQuery: (args: PluginTransformQueryArgs) => {
        if (isWrite(args.node)) {
          written.add(args.queryId);
          this.clear();
        }
        return args.node;
      },
      transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
        if (written.has(args.queryId)) this.clear();
        return args.result;
      },
    };
  }
}
