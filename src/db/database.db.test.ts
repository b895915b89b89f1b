import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-db-mode-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('SQLite file modes (#8 §3)', () => {
  it('#8 the database file, its WAL and shared-memory files are created 0600 whatever the umask', async () => {
    const file = path.join(dir, 'data', 'shomei.sqlite');
    const umask = process.umask(0o022);
    try {
      const handle = openDatabase(`sqlite:${file}`);
      await migrateToLatest(handle.db);
      for (const name of [file, `${file}-wal`, `${file}-shm`]) expect(mode(name), name).toBe(0o600);
      await handle.close();
    } finally {
      process.umask(umask);
    }
  });

  it('#8 a database file left readable by others is narrowed to 0600 when opened', async () => {
    const file = path.join(dir, 'old.sqlite');
    const first = openDatabase(`sqlite:${file}`);
    await migrateToLatest(first.db);
    await first.close();
    fs.chmodSync(file, 0o644);
    const again = openDatabase(`sqlite:${file}`);
    expect(mode(file)).toBe(0o600);
    await again.close();
  });
});
