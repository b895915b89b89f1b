import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { randomToken } from './crypto.js';

/**
 * The server key behind every keyed hash and signed cookie. Production must set SECRET_KEY
 * (the same on every instance); development keeps a generated one beside the SQLite file (or in
 * ./data/ with PostgreSQL) so sessions survive a restart.
 */
export function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  const dbPath = config.databaseUrl.startsWith('sqlite:')
    ? config.databaseUrl.slice('sqlite:'.length)
    : './data/shomei';
  if (dbPath === ':memory:' || dbPath === '') return randomToken(48);
  const file = path.join(path.dirname(path.resolve(dbPath)), 'secret.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const key = randomToken(48);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
