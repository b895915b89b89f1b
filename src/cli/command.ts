import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import type { Services } from '../services.js';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What every command gets, whatever it asks of the database. */
export interface BareCliContext {
  config: Config;
  /** A path the operator typed, taken from where they stand (npm scripts run in the package folder). */
  resolvePath(file: string): string;
}

/** The database opened as it is: not migrated, no services built. */
export interface RawCliContext extends BareCliContext {
  database: DatabaseHandle;
}

export interface CliContext extends RawCliContext {
  services: Services;
  tenantBySlug(slug: string): Promise<Tenant>;
}

/**
 * One operator command. `usage` and `summary` make the help text, so a command cannot be added
 * without being listed; `run` answers the exit code, or `usage` when its options are incomplete.
 */
interface CommandBase {
  name: string;
  usage: string;
  summary: string;
  options: CliOptions;
}

/**
 * What a command needs of the database: by default it is migrated and the services are built;
 * `raw` opens it as it is (`migrate --check` must not migrate first); `none` opens nothing (backup
 * and restore handle the file themselves, restore while nothing holds it open).
 */
export type CliCommand =
  | (CommandBase & { database?: 'migrated'; run(context: CliContext, values: CliValues): Promise<number | 'usage'> })
  | (CommandBase & { database: 'raw'; run(context: RawCliContext, values: CliValues): Promise<number | 'usage'> })
  | (CommandBase & { database: 'none'; run(context: BareCliContext, values: CliValues): Promise<number | 'usage'> });

/** A refusal the operator can act on: printed without a stack trace, exit 2. */
export class CliError extends Error {}

export function resolveOperatorPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

export function text(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
