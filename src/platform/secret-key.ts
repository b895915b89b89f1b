import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { Keyring, randomToken } from './crypto.js';
import { ServerKeyRepository } from './server-key.repository.js';

/** The keys cannot be used with this database: the service does not start, the CLI writes nothing. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/**
 * The server keys behind every keyed hash, sealed value and signed cookie, checked against the
 * database before anything is sealed with them (#13). Production must set SECRET_KEY (the same
 * on every instance, and for the CLI); development keeps a generated one beside the SQLite file
 * (or in ./data/ with PostgreSQL) so sessions survive a restart — but never makes one for a
 * database that already knows its key.
 *
 * The first start records the key's fingerprint. Later starts must bring that key, or — the
 * rotation — a new SECRET_KEY with that key as SECRET_KEY_PREVIOUS, which moves the record on.
 */
export async function resolveKeyring(
  config: Config,
  db: Kysely<Database>,
  options: { now: number; log?: Pick<Logger, 'info' | 'warn'> },
): Promise<Keyring> {
  const keys = new ServerKeyRepository(db);
  const stored = await keys.fingerprint();
  const keyring = new Keyring(await currentSecretKey(config, stored !== undefined), config.secretKeyPrevious);
  const current = keyring.current.fingerprint();
  if (stored === undefined) {
    await keys.record(current, options.now);
    const recorded = await keys.fingerprint();
    if (recorded !== current) throw mismatch();
    options.log?.info({ key: keyring.current.id }, 'recorded the SECRET_KEY fingerprint in the database');
    return keyring;
  }
  if (stored === current) return keyring;
  if (keyring.previous && stored === keyring.previous.fingerprint()) {
    await keys.replace(stored, current, options.now);
    options.log?.warn(
      { key: keyring.current.id, previousKey: keyring.previous.id },
      'SECRET_KEY rotated: the database now expects the new key; keep SECRET_KEY_PREVIOUS until `shomei secrets reseal` reports nothing left',
    );
    return keyring;
  }
  throw mismatch();
}

function mismatch(): SecretKeyError {
  return new SecretKeyError(
    'SECRET_KEY does not match the key this database was set up with. Use the same SECRET_KEY as the ' +
      'service (its environment file), or, to rotate, set the new key as SECRET_KEY and the old one as ' +
      'SECRET_KEY_PREVIOUS (docs/operations/keys.md). Nothing was changed.',
  );
}

async function currentSecretKey(config: Config, databaseHasKey: boolean): Promise<string> {
  if (config.secretKey) return config.secretKey;
  const dbPath = config.databaseUrl.startsWith('sqlite:')
    ? config.databaseUrl.slice('sqlite:'.length)
    : './data/shomei';
  if (dbPath === ':memory:' || dbPath === '') return randomToken(48);
  const file = path.join(path.dirname(path.resolve(dbPath)), 'secret.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  if (databaseHasKey || config.env === 'production')
    throw new SecretKeyError(
      'SECRET_KEY is not set, and this database was set up with one. Run with the service’s environment ' +
        '(the same SECRET_KEY and DATABASE_URL). Nothing was changed.',
    );
  const key = randomToken(48);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.promises.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process (the service beside a CLI command) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8').trim();
  }
}
