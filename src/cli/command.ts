import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import type { Invalid } from '../platform/violation.js';
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
  /** How many plain arguments (a file) the command takes after its options; none unless given. */
  positionals?: number;
}

/**
 * What a command needs of the database: by default it is migrated and the services are built;
 * `raw` opens it as it is (`migrate --check` must not migrate first); `none` opens nothing (backup
 * and restore handle the file themselves, restore while nothing holds it open).
 */
export type CliCommand =
  | (CommandBase & {
      database?: 'migrated';
      run(context: CliContext, values: CliValues, positionals: string[]): Promise<number | 'usage'>;
    })
  | (CommandBase & {
      database: 'raw';
      run(context: RawCliContext, values: CliValues, positionals: string[]): Promise<number | 'usage'>;
    })
  | (CommandBase & {
      database: 'none';
      run(context: BareCliContext, values: CliValues, positionals: string[]): Promise<number | 'usage'>;
    });

/** A refusal the operator can act on: printed without a stack trace, exit 2. */
export class CliError extends Error {}

export function resolveOperatorPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

export function text(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** An operator's JSON file, or a CliError naming the file, the line and what is wrong there. */
export async function readJsonFile(file: string): Promise<unknown> {
  let source: string;
  try {
    source = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new CliError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    const message = (error as Error).message;
    // V8 quotes the text around the mistake, which could be a password in a directory file.
    const reason = message.replace(/\s+in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
    const position =
      /at position (\d+)/.exec(message)?.[1] ?? (/end of JSON/.test(message) ? String(source.length) : undefined);
    if (position === undefined) throw new CliError(`${file}: not valid JSON: ${reason}`);
    const before = source.slice(0, Number(position)).split('\n');
    throw new CliError(`${file}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: not valid JSON: ${reason}`);
  }
}

/** Each broken rule of a settings file on its own line, named by its place in the file. */
export function invalidFile(file: string, invalid: Invalid): CliError {
  const lines = invalid.violations.map((violation) => `  ${violation.path || '(the whole file)'}: ${violation.code}`);
  return new CliError(`${file}: nothing was changed:\n${lines.join('\n')}`);
}
