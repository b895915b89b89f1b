import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { testDialect } from './helpers/database.js';

const run = promisify(execFile);

describe.skipIf(testDialect !== 'sqlite')('#8 the CLI on a SQLite file the service is writing (SQLite only)', () => {
  it('#8 records import while another process holds the write lock: a clear message, exit 75, nothing half-imported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-cli-busy-'));
    try {
      const file = path.join(dir, 'shomei.sqlite');
      const database = openDatabase(`sqlite:${file}`);
      await migrateToLatest(database.db);
      await database.close();
      const env = {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: `sqlite:${file}`,
        SECRET_KEY: 'cli-test-secret-key-0123456789abcdef-0123456',
        PUBLIC_URL: 'http://shomei.test',
        SEED_DEMO: 'false',
      };
      await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli.ts',
          'tenant',
          'create',
          '--slug',
          'bz',
          '--name-ja',
          '忙大学',
          '--name-en',
          'Busy University',
        ],
        { env },
      );
      const students = path.join(dir, 'students.csv');
      fs.writeFileSync(
        students,
        'student_number,user_id,name_kanji,name_kana,name_roman,birth_date,faculty_ja,faculty_en,department_ja,department_en,year,program_years,status,admission_date,expected_graduation_date,credits_earned,gpa\n' +
          '2026B001,b001,山田 太郎,ヤマダ タロウ,Taro Yamada,2005-04-02,経済学部,Faculty of Economics,経済学科,Department of Economics,1,4,enrolled,2026-04-01,2030-03-31,0,0.00\n',
      );
      // The service in the middle of a long write: an open write transaction on the file.
      const writer = new Database(file);
      writer.exec('BEGIN IMMEDIATE');
      try {
        const outcome = await run(
          process.execPath,
          ['--import', 'tsx', 'src/cli.ts', 'records', 'import', '--tenant', 'bz', '--students', students],
          { env },
        ).then(
          () => ({ code: 0, stderr: '' }),
          (error: { code: number; stderr: string }) => error,
        );
        expect(outcome.code).toBe(75);
        expect(outcome.stderr).toContain('The database is busy');
        expect(outcome.stderr).not.toMatch(/\n\s+at /);
      } finally {
        writer.exec('ROLLBACK');
        writer.close();
      }
      const check = new Database(file, { readonly: true });
      expect(check.prepare('select count(*) as n from student_records').get()).toEqual({ n: 0 });
      check.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
