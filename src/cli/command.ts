import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import type { Services } from '../services.js';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliContext {
  config: Config;
  services: Services;
  tenantBySlug(slug: string): Promise<Tenant>;
  /** A path the operator typed, taken from where they stand (npm scripts run in the package folder). */
  resolvePath(file: string): string;
}

/**
 * One operator command. `usage` and `summary` make the help text, so a command cannot be added
 * without being listed; `run` answers the exit code, or `usage` when its options are incomplete.
 */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: CliOptions;
  run(context: CliContext, values: CliValues): Promise<number | 'usage'>;
}

/** A refusal the operator can act on: printed without a stack trace, exit 2. */
export class CliError extends Error {}

export function resolveOperatorPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

export function text(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
