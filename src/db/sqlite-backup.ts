import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SchemaNewerThanCodeError, knownMigrations } from './migrate.js';

/** A backup or restore that cannot go ahead; the message says what to do. */
export class BackupError extends Error {}

export interface BackupSummary {
  file: string;
  bytes: number;
  migrations: number;
}

/**
 * SQLite's online backup API, from a connection of our own while the service keeps writing.
 * Each step reads under one read transaction; a write by the service between steps makes SQLite
 * start the copy again, so after the first small step everything is copied in one step, which no
 * write can interrupt (WAL: the service's writers do not wait for it). The copy is written beside
 * the target and renamed only once it checks whole, so a target file is never half a backup.
 */
export async function backupSqlite(source: string, target: string): Promise<BackupSummary> {
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  if (fs.existsSync(target)) throw new BackupError(`${target} exists; back up to a new file.`);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, { progress: () => 2 ** 30 });
  } finally {
    db.close();
  }
  try {
    fs.chmodSync(partial, 0o600);
    selfContained(partial);
    const migrations = checkBackupFile(partial).length;
    fs.renameSync(partial, target);
    return { file: target, bytes: fs.statSync(target).size, migrations };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

export interface RestoreSummary {
  /** Where the database that was replaced was moved (undefined when there was none). */
  replacedKeptAt: string | undefined;
  /** Serial counters raised to the replaced database's values (see below). */
  countersCarried: number;
}

/**
 * Puts a backup in place of the service's database file. The service must be stopped: a
 * connection of ours asks SQLite to leave WAL mode, which it grants only to the last connection
 * on the file, so any process that has it open makes the restore refuse. The file being replaced
 * is kept beside it, and its serial counters are carried over when they are ahead of the backup's
 * (the certificates issued after the backup keep numbers nobody else gets).
 */
export async function restoreSqlite(backup: string, target: string, now: Date): Promise<RestoreSummary> {
  if (!fs.existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  checkBackupFile(backup);
  const replacing = fs.existsSync(target);
  if (replacing) takeOver(target);
  const staged = `${target}.restoring`;
  fs.rmSync(staged, { force: true });
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const source = new SQLite(backup, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staged);
  } finally {
    source.close();
  }
  fs.chmodSync(staged, 0o600);
  const countersCarried = replacing ? carryCounters(target, staged) : 0;
  let replacedKeptAt: string | undefined;
  if (replacing) {
    takeOver(target);
    replacedKeptAt = `${target}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target, replacedKeptAt);
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  fs.renameSync(staged, target);
  return { replacedKeptAt, countersCarried };
}

/**
 * The copy keeps the source's WAL mode, and a WAL file opened anywhere grows -wal and -shm files
 * beside it; in rollback mode the backup is one file, whole, to move and store as it is.
 */
function selfContained(file: string): void {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** A whole SQLite file with a Shomei schema this code knows; answers its migrations. */
function checkBackupFile(file: string): string[] {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${file} is not a SQLite database: ${(error as Error).message}`);
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`${file} is damaged (SQLite quick_check: ${String(check)}).`);
    const hasMigrations = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    if (!hasMigrations) throw new BackupError(`${file} is not a Shomei database (it has no migration table).`);
    const applied = (db.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name);
    const unknown = applied.filter((name) => !knownMigrations.includes(name));
    if (unknown.length > 0) throw new SchemaNewerThanCodeError(unknown);
    return applied;
  } catch (error) {
    if (error instanceof BackupError || error instanceof SchemaNewerThanCodeError) throw error;
    throw new BackupError(`${file} cannot be read as a Shomei database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/** Leaves WAL mode on the file, which SQLite allows only when no other connection has it open. */
function takeOver(file: string): void {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new BackupError(
        `${file} is in use (a running Shomei, or another program, has it open). Stop the service, then restore.`,
      );
    throw error;
  } finally {
    db.close();
  }
}

interface CounterRow {
  tenant_id: string;
  name: string;
  value: number;
}

function carryCounters(current: string, staged: string): number {
  const counters = readCounters(current);
  const db = new SQLite(staged);
  try {
    const raise = db.prepare(
      `insert into tenant_counters (tenant_id, name, value) select @tenant_id, @name, @value
         where exists (select 1 from tenants where id = @tenant_id)
       on conflict (tenant_id, name) do update set value = excluded.value where value < excluded.value`,
    );
    return db.transaction(() => counters.reduce((n, counter) => n + raise.run(counter).changes, 0))();
  } finally {
    db.close();
  }
}

function readCounters(file: string): CounterRow[] {
  try {
    const db = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('select tenant_id, name, value from tenant_counters').all() as CounterRow[];
    } finally {
      db.close();
    }
  } catch {
    // The replaced file is unreadable (often why one restores): the serials' random tag still keeps them apart.
    return [];
  }
}
