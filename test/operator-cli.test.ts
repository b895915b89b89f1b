import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createDevelopmentSigner } from '../src/features/certificates/pdf/certificate.signing.js';
import { ManualClock } from '../src/platform/clock.js';
import { freshDatabase, testDialect } from './helpers/database.js';
import { type Harness, TestBrowser, textOf } from './helpers/harness.js';
import { LDAP_BASE, TestLdapServer, describeLdap } from './helpers/ldap.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'src/cli.ts');
// By absolute address, so the command runs from any folder, as an operator's would.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SECRET_KEY = 'operator-cli-test-secret-key-0123456789abcdef';
const examples = path.join(root, 'docs/operations');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let databaseUrl: string;
let handle: DatabaseHandle;
let drop: () => Promise<void>;
let app: App;

/** The real `shomei` command in its own process, standing in `work` (relative paths resolve from there). */
function shomei(
  args: string[],
  env: Record<string, string> = {},
  base: 'service' | 'none' = 'service',
): Promise<Outcome> {
  const { DATABASE_URL: _url, SECRET_KEY: _key, PUBLIC_URL: _public, INIT_CWD: _cwd, ...inherited } = process.env;
  const serviceEnv = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    SECRET_KEY,
    PUBLIC_URL: 'http://shomei.test',
    SEED_DEMO: 'false',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, cli, ...args],
      { cwd: work, env: { ...inherited, ...(base === 'service' ? serviceEnv : {}), ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function noStackTrace(outcome: Outcome): void {
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

function write(name: string, content: string): string {
  fs.writeFileSync(path.join(work, name), content);
  return name;
}

function browser(): TestBrowser {
  return new TestBrowser({ app } as Harness, { lang: 'en' });
}

async function loginStatus(userId: string, password: string): Promise<number> {
  const visitor = browser();
  await visitor.get('/nu/login');
  return (await visitor.post('/nu/login', { userId, password, secondPassword: '' }, { follow: false })).status;
}

function terminalCall(authorization: string) {
  return app.server.inject({
    method: 'GET',
    url: '/api/v1/terminal/reservations/000000000000',
    headers: { authorization, 'x-store-id': 'store-1', 'x-machine-id': 'machine-1', 'x-transaction-id': 'tx-1' },
  });
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-operator-'));
  if (testDialect === 'sqlite') {
    databaseUrl = `sqlite:${path.join(work, 'shomei.sqlite')}`;
    handle = openDatabase(databaseUrl);
    await migrateToLatest(handle.db);
    drop = () => handle.close();
  } else {
    const database = await freshDatabase();
    ({ url: databaseUrl, handle, drop } = database);
  }
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, PUBLIC_URL: 'http://shomei.test' }),
    database: handle,
    clock: new ManualClock(Date.UTC(2026, 10, 29, 1, 0, 0)),
    secretKey: SECRET_KEY,
  });
}, 60_000);

afterAll(async () => {
  await app?.server.close();
  await drop?.();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('#13 operator CLI', () => {
  it('#13 --help without any database environment: exit 0, every command listed, nothing created on disk', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-help-'));
    try {
      const { code, stdout } = await new Promise<Outcome>((resolve) =>
        execFile(
          process.execPath,
          ['--import', tsx, cli, '--help'],
          { cwd: empty, env: { PATH: process.env.PATH ?? '' } },
          (error, out, err) => resolve({ code: error ? 1 : 0, stdout: out, stderr: err }),
        ),
      );
      expect(code).toBe(0);
      for (const command of [
        'tenant check',
        'tenant set',
        'catalogue set',
        'directory test',
        'terminal rotate',
        'roster disable',
        'staff invite',
        'tenant configure',
        'terminal deactivate',
        'import roster',
        'import records',
      ])
        expect(stdout).toContain(command);
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);

  it('#13 a new university starts closed: not listed, its pages say it is not open, no login; a duplicate slug is a clear message', async () => {
    const created = await shomei([
      'tenant',
      'create',
      '--slug',
      'nu',
      '--name-ja',
      '新大学',
      '--name-en',
      'New University',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('closed until it is set up');
    expect(created.stdout).toContain('catalogue');

    const again = await shomei([
      'tenant',
      'create',
      '--slug',
      'nu',
      '--name-ja',
      '新大学',
      '--name-en',
      'New University',
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a university with slug nu exists already');
    noStackTrace(again);

    expect(textOf((await browser().get('/')).body)).not.toContain('New University');
    const page = await browser().get('/nu/login');
    expect(page.status).toBe(503);
    expect(textOf(page.body)).toContain('New University');
    expect(textOf(page.body)).toContain('not open yet');
    const login = await app.server.inject({
      method: 'POST',
      url: '/nu/login',
      payload: { userId: 'x', password: 'y' },
    });
    expect(login.statusCode).toBe(503);
  }, 300_000);

  it('#13 bad settings files are refused whole, naming the line or the field; good ones are stored', async () => {
    const [syntax, content, directory, policy, catalogue, shownEmpty] = await Promise.all([
      shomei([
        'catalogue',
        'set',
        '--tenant',
        'nu',
        '--file',
        write('syntax.json', '[\n  { "type": "enrollment",\n  }\n]\n'),
      ]),
      shomei([
        'tenant',
        'set',
        '--tenant',
        'nu',
        '--content',
        write('content.json', '{ "ja": { "presidentNmae": "X" } }'),
      ]),
      shomei([
        'tenant',
        'set',
        '--tenant',
        'nu',
        '--directory',
        write('directory.json', '{ "kind": "ldap", "urls": ["http://ldap.example"], "bindDnTemplate": "uid={user}" }'),
      ]),
      shomei(['tenant', 'set', '--tenant', 'nu', '--policy', write('policy.json', '{ "keyLength": 3 }')]),
      shomei([
        'catalogue',
        'set',
        '--tenant',
        'nu',
        '--file',
        write(
          'catalogue.json',
          JSON.stringify([
            JSON.parse(fs.readFileSync(path.join(examples, 'catalogue.example.json'), 'utf8'))[0],
            { type: 'transcript', feeYen: '300' },
          ]),
        ),
      ]),
      shomei(['catalogue', 'show', '--tenant', 'nu']),
    ]);
    for (const refused of [syntax, content, directory, policy, catalogue]) {
      expect(refused.code).toBe(2);
      noStackTrace(refused);
    }
    expect(syntax.stderr).toContain('syntax.json:3:3: not valid JSON');
    expect(content.stderr).toContain('ja.presidentNmae: unknown field');
    expect(directory.stderr).toContain('urls[0]: must be ldap://host:port or ldaps://host:port');
    expect(policy.stderr).toMatch(/keyLength: .*6/);
    expect(catalogue.stderr).toMatch(/\[1\]\.feeYen: .*number/);
    expect(catalogue.stderr).toMatch(/\[1\]\.name: /);
    expect(JSON.parse(shownEmpty.stdout)).toEqual([]);

    // The runbook's own example files (docs/operations/) are what an operator starts from.
    const [setCatalogue, setContent, setPolicy] = await Promise.all([
      shomei(['catalogue', 'set', '--tenant', 'nu', '--file', path.join(examples, 'catalogue.example.json')]),
      shomei(['tenant', 'set', '--tenant', 'nu', '--content', path.join(examples, 'content.example.json')]),
      shomei(['tenant', 'set', '--tenant', 'nu', '--policy', path.join(examples, 'policy.example.json')]),
    ]);
    expect([setCatalogue.code, setContent.code, setPolicy.code]).toEqual([0, 0, 0]);
    const [shown, catalogueShown] = await Promise.all([
      shomei(['tenant', 'show', '--tenant', 'nu']),
      shomei(['catalogue', 'show', '--tenant', 'nu']),
    ]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      slug: 'nu',
      enabled: false,
      content: { ja: { presidentName: '見本 太郎' } },
      policy: { reservationDays: 7, keyLength: 6 },
    });
    expect(JSON.parse(catalogueShown.stdout).map((item: { type: string }) => item.type)).toEqual([
      'enrollment',
      'transcript',
      'expected_graduation',
      'course_application',
    ]);
  }, 300_000);

  it('#13 tenant check lists what is missing and enable refuses until signer and directory are set; then it opens; roster disable blocks login', async () => {
    const missing = await shomei(['tenant', 'check', '--tenant', 'nu']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('signer');
    expect(missing.stdout).toContain('directory');
    expect(missing.stdout).not.toContain('catalogue');
    const refused = await shomei(['tenant', 'enable', '--tenant', 'nu']);
    expect(refused.code).toBe(1);
    expect((await browser().get('/nu/login')).status).toBe(503);

    const signer = createDevelopmentSigner('New University', 'New University', Date.now());
    fs.writeFileSync(path.join(work, 'nu.p12'), Buffer.from(signer.p12Base64, 'base64'));
    const [imported, short] = await Promise.all([
      shomei(['signer', 'import', '--tenant', 'nu', '--p12', 'nu.p12'], { SHOMEI_P12_PASSPHRASE: signer.passphrase }),
      shomei(['roster', 'set', '--tenant', 'nu', '--user', 's0001'], { SHOMEI_PASSWORD: 'Short1' }),
    ]);
    expect(imported.code).toBe(0);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 8 characters');
    noStackTrace(short);
    expect(
      (await shomei(['roster', 'set', '--tenant', 'nu', '--user', 's0001'], { SHOMEI_PASSWORD: 'Nu-Univ-pass1' })).code,
    ).toBe(0);

    const ready = await shomei(['tenant', 'check', '--tenant', 'nu']);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toContain('nothing is missing');
    expect((await shomei(['tenant', 'enable', '--tenant', 'nu'])).code).toBe(0);
    const list = await shomei(['tenant', 'list']);
    expect(list.stdout).toMatch(/^nu\topen\tNew University/m);

    expect(textOf((await browser().get('/')).body)).toContain('New University');
    expect(await loginStatus('s0001', 'Nu-Univ-pass1')).toBe(303);
    const disabled = await shomei(['roster', 'disable', '--tenant', 'nu', '--user', 's0001']);
    expect(disabled.code).toBe(0);
    expect(await loginStatus('s0001', 'Nu-Univ-pass1')).not.toBe(303);
  }, 300_000);

  it('#13 terminal create prints a secret the API accepts; rotate refuses the old one; disable refuses every call', async () => {
    const created = await shomei([
      'terminal',
      'create',
      '--tenant',
      'nu',
      '--kind',
      'campus',
      '--name',
      'Library printer',
    ]);
    expect(created.code).toBe(0);
    const first = /Bearer (\S+)/.exec(created.stdout)?.[1] ?? '';
    const id = first.split('.')[0] ?? '';
    expect((await terminalCall(`Bearer ${first}`)).statusCode).toBe(404);

    const rotated = await shomei(['terminal', 'rotate', '--tenant', 'nu', '--id', id]);
    expect(rotated.code).toBe(0);
    const second = /Bearer (\S+)/.exec(rotated.stdout)?.[1] ?? '';
    expect(second).not.toBe(first);
    expect((await terminalCall(`Bearer ${first}`)).statusCode).toBe(401);
    expect((await terminalCall(`Bearer ${second}`)).statusCode).toBe(404);

    const [disabled, wrongTenant] = await Promise.all([
      shomei(['terminal', 'disable', '--tenant', 'nu', '--id', id]),
      shomei(['terminal', 'rotate', '--id', id]),
    ]);
    expect(disabled.code).toBe(0);
    expect(wrongTenant.code).toBe(2);
    expect((await terminalCall(`Bearer ${second}`)).statusCode).toBe(401);
  }, 300_000);
});

describe('#12 A-1 staff enrolment links from the CLI', () => {
  const linkIn = (stdout: string) =>
    /http:\/\/shomei\.test(\/sx\/staff\/enrol\?token=[A-Za-z0-9_-]{43})\n/.exec(stdout)?.[1];

  it('#12 A-4 import roster: every bad row named by file, line and reason, exit 1, nothing written; progress as plain lines off a terminal; then exit 0', async () => {
    const tenant = await app.services.tenants.create({
      slug: 'imp',
      name: { ja: '取込大学', en: 'Import University' },
      publicUrl: 'http://shomei.test',
      enabled: false,
    });
    const header =
      'student_number,user_id,name_kanji,name_kana,name_roman,birth_date,faculty_ja,faculty_en,department_ja,department_en,year,program_years,status,admission_date,expected_graduation_date,credits_earned,gpa';
    const row = (n: number) =>
      `S${n},u${n},山田 太郎,ヤマダ タロウ,YAMADA Taro,2004-06-14,文学部,Faculty of Letters,日本文学科,Department of Letters,4,4,enrolled,2023-04-01,2027-03-31,98,3.12`;
    write('bad.csv', [header, row(1), row(2).replace('2004-06-14', '2004-13-01')].join('\n'));
    const refused = await shomei(['import', 'roster', '--tenant', 'imp', 'bad.csv']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('checking 0%');
    expect(refused.stderr).toContain('bad.csv:3: birth_date: birth_date is not a valid date YYYY-MM-DD: 2004-13-01');
    expect(refused.stderr).toContain('1 problem(s): nothing imported');
    noStackTrace(refused);
    expect(await app.services.uow.repos.records.count(tenant.id)).toBe(0);
    write('good.csv', [header, row(1), row(2)].join('\n'));
    const done = await shomei(['import', 'roster', '--tenant', 'imp', 'good.csv']);
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('writing 2 rows');
    expect(done.stdout).toContain('imported 2 students (2 new, 0 updated)');
    expect(await app.services.uow.repos.records.count(tenant.id)).toBe(2);
  }, 90_000);

  it('#12 A-1 tenant create --admin-email and staff invite print a one-time enrolment link the console opens; bad input is a clear message', async () => {
    const created = await shomei([
      'tenant',
      'create',
      '--slug',
      'sx',
      '--name-ja',
      '職員大学',
      '--name-en',
      'Staff University',
      '--admin-email',
      'Admin@SX.example.ac.jp',
    ]);
    expect(created.code).toBe(0);
    const first = linkIn(created.stdout);
    expect(first).toBeDefined();
    // The university is still closed; its first administrator's link works all the same.
    const page = await browser().get(first!);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain('admin@sx.example.ac.jp');

    const again = await shomei([
      'staff',
      'invite',
      '--tenant',
      'sx',
      '--email',
      'admin@sx.example.ac.jp',
      '--role',
      'administrator',
    ]);
    expect(again.code).toBe(0);
    expect((await browser().get(linkIn(again.stdout)!)).status).toBe(200);

    const bad = await shomei([
      'staff',
      'invite',
      '--tenant',
      'sx',
      '--email',
      'x@sx.example.ac.jp',
      '--role',
      'janitor',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role: staff.roleInvalid');
    noStackTrace(bad);
    const badAddress = await shomei([
      'tenant',
      'create',
      '--slug',
      'sy',
      '--name-ja',
      'a',
      '--name-en',
      'b',
      '--admin-email',
      'nope',
    ]);
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toContain('--admin-email: nope is not a mail address');
  }, 90_000);
});

describeLdap('#13 directory test against the LDAP test server', () => {
  let ldap: TestLdapServer;
  beforeAll(async () => {
    ldap = new TestLdapServer();
    await ldap.start();
  }, 60_000);
  afterAll(async () => {
    await ldap?.destroy();
  });

  it('#13 directory test binds as the user: found or refused, the password never printed', async () => {
    const config = {
      kind: 'ldap',
      urls: [ldap.url],
      bindDnTemplate: `uid={user},ou=students,${LDAP_BASE}`,
      filter: '(employeeType=student)',
    };
    const set = await shomei([
      'tenant',
      'set',
      '--tenant',
      'nu',
      '--directory',
      write('ldap.json', JSON.stringify(config)),
    ]);
    expect(set.code).toBe(0);
    const [found, wrong] = await Promise.all([
      shomei(['directory', 'test', '--tenant', 'nu', '--user', 'taro'], { SHOMEI_PASSWORD: 'Taro-Univ-pass1' }),
      shomei(['directory', 'test', '--tenant', 'nu', '--user', 'taro'], { SHOMEI_PASSWORD: 'not-the-password' }),
    ]);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('accepted taro as user ID taro');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('refused taro');
    for (const outcome of [found, wrong]) {
      expect(`${outcome.stdout}${outcome.stderr}`).not.toContain('Taro-Univ-pass1');
      expect(`${outcome.stdout}${outcome.stderr}`).not.toContain('not-the-password');
    }
  }, 300_000);
});
