/**
 * #12 A-4 roster import benchmark: a 20,000-row students file and a courses file of 20,000 rows,
 * generated in memory, timed in alternating rounds so that whatever else the machine does falls
 * on every measure alike:
 *   (a) csv-parse alone over both files (the baseline: the least any import can cost);
 *   (b) the dry run through RecordsImportService (what the console's and the CLI's import run),
 *       with the certificate fonts' check of every character, against an empty university;
 *   (c) the apply, all or nothing, into a fresh SQLite file (and a fresh PostgreSQL database when
 *       BENCH_DATABASE_URL or TEST_DATABASE_URL is set);
 *   (d) the apply of the same files with one bad row: refused, nothing written.
 * Prints rows/s, the ratios (b)/(a), (c)/(a) of the medians, and the peak RSS.
 * Run: npm run bench:import   (BENCH_ROWS=20000, BENCH_ROUNDS=3)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { UnitOfWork } from '../src/db/unit-of-work.js';
import { CertificateRenderer } from '../src/features/certificates/pdf/certificate.renderer.js';
import { courseColumns, studentColumns } from '../src/features/records/records-csv.model.js';
import { RecordsImportService } from '../src/features/records/records-import.service.js';
import { operatorActor } from '../src/platform/actor.js';
import { systemClock } from '../src/platform/clock.js';
import { tenant } from '../test/factories/tenant.js';
import { freshDatabase } from '../test/helpers/database.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POSTGRES = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (POSTGRES) process.env.TEST_DATABASE_URL = POSTGRES;

const family = ['山田', '鈴木', '佐藤', '髙橋', '渡邊', '伊藤', '中村', '小林', '吉田', '齋藤'];
const familyKana = [
  'ヤマダ',
  'スズキ',
  'サトウ',
  'タカハシ',
  'ワタナベ',
  'イトウ',
  'ナカムラ',
  'コバヤシ',
  'ヨシダ',
  'サイトウ',
];
const familyRoman = [
  'YAMADA',
  'SUZUKI',
  'SATO',
  'TAKAHASHI',
  'WATANABE',
  'ITO',
  'NAKAMURA',
  'KOBAYASHI',
  'YOSHIDA',
  'SAITO',
];
const given = ['太郎', '花子', '健', '美咲', '翔太', '陽菜', '蓮', '結衣', '大輝', '葵', '悠真'];
const givenKana = [
  'タロウ',
  'ハナコ',
  'ケン',
  'ミサキ',
  'ショウタ',
  'ヒナ',
  'レン',
  'ユイ',
  'ダイキ',
  'アオイ',
  'ユウマ',
];
const givenRoman = ['Taro', 'Hanako', 'Ken', 'Misaki', 'Shota', 'Hina', 'Ren', 'Yui', 'Daiki', 'Aoi', 'Yuma'];
const faculties = [
  ['文学部', 'Faculty of Letters', '日本文学科', 'Department of Japanese Literature'],
  ['経済学部', 'Faculty of Economics', '経済学科', 'Department of Economics'],
  ['理工学部', 'Faculty of Science and Engineering', '情報工学科', '"Department of Computer Science, and Engineering"'],
  ['法学部', 'Faculty of Law', '法律学科', 'Department of Law'],
] as const;
const courseNames = [
  ['日本語学概論', 'Introduction to Japanese Linguistics'],
  ['源氏物語研究', 'Studies in The Tale of Genji'],
  ['ミクロ経済学I', 'Microeconomics I'],
  ['計量経済学', 'Econometrics'],
  ['線形代数学', 'Linear Algebra'],
  ['憲法', 'Constitutional Law'],
] as const;

function studentNumber(i: number): string {
  return `S${String(i).padStart(6, '0')}`;
}

/** A roster as a university exports it: names and faculties vary, so do the characters to check. */
function studentsCsv(rows: number, badRow = -1): string {
  const lines = [[...studentColumns, 'gpa'].join(',')];
  for (let i = 0; i < rows; i++) {
    const f = i % family.length;
    const g = (i * 7) % given.length;
    const [facultyJa, facultyEn, departmentJa, departmentEn] = faculties[i % faculties.length]!;
    const year = 1 + (i % 4);
    lines.push(
      [
        studentNumber(i),
        `u${String(i).padStart(6, '0')}`,
        `${family[f]} ${given[g]}`,
        `${familyKana[f]} ${givenKana[g]}`,
        `${familyRoman[f]} ${givenRoman[g]}`,
        `200${i % 6}-0${1 + (i % 9)}-1${i % 10}`,
        facultyJa,
        facultyEn,
        departmentJa,
        departmentEn,
        i === badRow ? 9 : year,
        4,
        'enrolled',
        `202${6 - year}-04-01`,
        `203${(10 - year) % 10}-03-31`,
        year * 30,
        '3.12',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Four courses each for the first quarter of the students: as many rows as the roster. */
function coursesCsv(rows: number): string {
  const lines = [courseColumns.join(',')];
  for (let i = 0; i < rows; i++) {
    const [courseJa, courseEn] = courseNames[i % courseNames.length]!;
    const spring = i % 2 === 0;
    lines.push(
      [
        studentNumber(Math.floor(i / 4)),
        2024 + (i % 2),
        spring ? '前期' : '後期',
        spring ? 'Spring' : 'Fall',
        courseJa,
        courseEn,
        2,
        'SABC'[i % 4],
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const students = Buffer.from(studentsCsv(ROWS));
const courses = Buffer.from(coursesCsv(ROWS));
const bad = Buffer.from(studentsCsv(ROWS, Math.floor(ROWS * 0.6)));
const totalRows = 2 * ROWS;

const renderer = new CertificateRenderer();
const undrawable = (texts: readonly string[]) => renderer.undrawableIn(texts);
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-import-bench-'));
let files = 0;

interface Target {
  uow: UnitOfWork;
  tenantId: string;
  close(): Promise<void>;
}

/** A migrated database with one university and no students; not timed. */
async function freshTarget(kind: 'sqlite' | 'postgres'): Promise<Target> {
  let handle: ReturnType<typeof openDatabase>;
  let close: () => Promise<void>;
  if (kind === 'sqlite') {
    const file = path.join(directory, `import-${files++}.sqlite`);
    handle = openDatabase(`sqlite:${file}`);
    await migrateToLatest(handle.db);
    close = async () => {
      await handle.close();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    };
  } else {
    const database = await freshDatabase();
    handle = database.handle;
    close = () => database.drop();
  }
  const uow = new UnitOfWork(handle.db, systemClock);
  const university = tenant(`bench${files}`);
  await uow.repos.tenants.insert(university, Date.now());
  return { uow, tenantId: university.id, close };
}

async function timed(task: () => unknown): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

function parseOnly(): void {
  parse(students, { columns: true, skip_empty_lines: true });
  parse(courses, { columns: true, skip_empty_lines: true });
}

async function importInto(kind: 'sqlite' | 'postgres', dryRun: boolean, studentsFile: Buffer): Promise<number> {
  const target = await freshTarget(kind);
  try {
    const service = new RecordsImportService({ uow: target.uow, undrawable });
    let report: Awaited<ReturnType<RecordsImportService['import']>> | undefined;
    const ms = await timed(async () => {
      report = await service.import(operatorActor(target.tenantId), { students: studentsFile, courses }, { dryRun });
    });
    const wanted = studentsFile === bad ? 1 : 0;
    if (report!.errors.length !== wanted) {
      throw new Error(`expected ${wanted} problem(s), got ${JSON.stringify(report!.errors.slice(0, 3))}`);
    }
    const count = await target.uow.repos.records.count(target.tenantId);
    const expected = !dryRun && wanted === 0 ? ROWS : 0;
    if (count !== expected) throw new Error(`expected ${expected} students written, found ${count}`);
    return ms;
  } finally {
    await target.close();
  }
}

const measures: Array<[string, () => Promise<number>]> = [
  ['(a) csv-parse alone', () => timed(parseOnly)],
  ['(b) dry run (service)', () => importInto('sqlite', true, students)],
  ['(c) apply, SQLite file', () => importInto('sqlite', false, students)],
  ['(d) one bad row, SQLite', () => importInto('sqlite', false, bad)],
];
if (POSTGRES) {
  measures.push(['(c) apply, PostgreSQL', () => importInto('postgres', false, students)]);
  measures.push(['(d) one bad row, PostgreSQL', () => importInto('postgres', false, bad)]);
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  console.log(
    `#12 import benchmark: ${ROWS} students (${mb(students.length)}) + ${ROWS} course rows (${mb(courses.length)}), ` +
      `${ROUNDS} rounds, ${os.availableParallelism()} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  console.log(`RSS with the files in memory and the fonts parsed: ${mb(process.memoryUsage().rss)}`);
  // One untimed pass warms the JIT and the fonts' lookups.
  for (const [, run] of measures) await run();
  const times = new Map<string, number[]>(measures.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so neither end of a round always meets the same background load.
    const order = round % 2 === 0 ? measures : [...measures].reverse();
    for (const [name, run] of order) times.get(name)!.push(await run());
  }
  const baseline = median(times.get(measures[0]![0])!);
  console.log(
    `\n${'measure'.padEnd(30)} ${'median ms'.padStart(10)} ${'rows/s'.padStart(10)} ${'÷ (a)'.padStart(8)}   all rounds (ms)`,
  );
  for (const [name] of measures) {
    const all = times.get(name)!;
    const m = median(all);
    console.log(
      `${name.padEnd(30)} ${m.toFixed(0).padStart(10)} ${Math.round((totalRows / m) * 1000)
        .toString()
        .padStart(10)} ` + `${(m / baseline).toFixed(1).padStart(8)}   ${all.map((t) => t.toFixed(0)).join(' ')}`,
    );
  }
  console.log(
    `\npeak RSS: ${mb(process.resourceUsage().maxRSS * 1024)}; load average now ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  fs.rmSync(directory, { recursive: true, force: true });
}

await main();
