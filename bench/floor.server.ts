/**
 * The floor of `bench:pages` and `bench:login`: the least work a page or a login must do with the
 * libraries Shomei uses, so the ratios can be read against what is possible at all (#11).
 * Per page: a first visit's CSRF secret in a signed cookie and its token (@fastify/cookie,
 * @fastify/csrf-protection), Shomei's security headers, the page's bytes from memory with the
 * token put in; the home page also reads its session and account and the student's record
 * (better-sqlite3, prepared statements, on an index led by the university). Per login: the form,
 * its CSRF check, the account, two argon2id verifications through Shomei's PasswordHasher, a
 * session row and its cookie. Nothing else: no university lookup, language, request ids, logging,
 * metrics, audit, rate limits or input checks — each of those is Shomei's cost above the floor.
 * Started by the benchmarks (startFromMemory) with a JSON file { path: body } of Shomei's pages —
 * a GET route for each — and a SQLite file; its students are the benchmark's, with their passwords.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Database from 'better-sqlite3';
import Fastify, { type FastifyReply } from 'fastify';
import { PasswordHasher } from '../src/platform/password-hasher.js';
import { securityHeaders } from '../src/platform/http/security-headers.js';
import { SECOND_PASSWORD, UNIVERSITY_PASSWORD, studentId } from './students.js';

const STUDENTS = 50;
const [pagesFile, databaseFile] = process.argv.slice(2);
const pages = JSON.parse(fs.readFileSync(pagesFile ?? '', 'utf8')) as Record<string, string>;
const TENANT = 1;
const hasher = new PasswordHasher({ concurrency: os.availableParallelism(), queueLimit: 64 });
const headers = { ...securityHeaders({ strictTransportSecurity: true }), 'cache-control': 'no-store' };

const db = new Database(databaseFile ?? '');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  create table account (tenant integer, id integer, user_id text, password text, second_password text,
    primary key (tenant, id), unique (tenant, user_id));
  create table student (tenant integer, account integer, name text, faculty text, primary key (tenant, account));
  create table session (tenant integer, token_hash text, account integer, expires_at integer,
    primary key (tenant, token_hash));
`);
const [password, secondPassword] = await Promise.all([hasher.hash(UNIVERSITY_PASSWORD), hasher.hash(SECOND_PASSWORD)]);
db.transaction(() => {
  const account = db.prepare('insert into account values (?, ?, ?, ?, ?)');
  const student = db.prepare('insert into student values (?, ?, ?, ?)');
  for (let i = 0; i < STUDENTS; i++) {
    account.run(TENANT, i, studentId(i), password, secondPassword);
    student.run(TENANT, i, `Student ${i}`, 'Letters');
  }
})();
const findAccount = db.prepare<[number, string], { id: number; password: string; second_password: string }>(
  'select id, password, second_password from account where tenant = ? and user_id = ?',
);
const insertSession = db.prepare('insert into session values (?, ?, ?, ?)');
const findSession = db.prepare<[number, string, number], { id: number; user_id: string }>(
  'select a.id, a.user_id from session s join account a on a.tenant = s.tenant and a.id = s.account ' +
    'where s.tenant = ? and s.token_hash = ? and s.expires_at > ?',
);
const findStudent = db.prepare('select name, faculty from student where tenant = ? and account = ?');
const sessionKey = crypto.randomBytes(32);
const tokenHash = (token: string) => crypto.createHmac('sha256', sessionKey).update(token).digest('base64url');

/** A page's bytes cut where its CSRF token goes. */
function cut(html: string): [Buffer, Buffer] {
  const found = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!found) throw new Error('a floor page needs a form with a CSRF token');
  const at = found.index + 'name="_csrf" value="'.length;
  return [Buffer.from(html.slice(0, at)), Buffer.from(html.slice(at + (found[1] ?? '').length))];
}
const page = (reply: FastifyReply, [before, after]: [Buffer, Buffer]) =>
  reply
    .headers(headers)
    .type('text/html; charset=utf-8')
    .send(Buffer.concat([before, Buffer.from(reply.generateCsrf()), after]));

const app = Fastify({ logger: false });
await app.register(formbody);
await app.register(cookie, { secret: crypto.randomBytes(32).toString('base64url') });
await app.register(csrf, {
  sessionPlugin: '@fastify/cookie',
  cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/' },
});
app.addHook('preHandler', (request, reply, done) =>
  request.method === 'POST' ? app.csrfProtection(request, reply, done) : done(),
);

for (const [path, html] of Object.entries(pages)) {
  const bytes = cut(html);
  if (path.endsWith('/home'))
    app.get(path, (request, reply) => {
      const account = findSession.get(TENANT, tokenHash(request.cookies.session ?? ''), Date.now());
      if (!account) return reply.code(303).header('location', '/bench/login').send();
      findStudent.get(TENANT, account.id);
      return page(reply, bytes);
    });
  else app.get(path, (_request, reply) => page(reply, bytes));
}
app.post('/bench/login', async (request, reply) => {
  const form = request.body as Record<string, string | undefined>;
  const account = findAccount.get(TENANT, form.userId ?? '');
  const verified =
    account !== undefined &&
    (await hasher.verify(account.password, form.password ?? '')) &&
    (await hasher.verify(account.second_password, form.secondPassword ?? ''));
  if (!verified) return reply.code(401).send();
  const token = crypto.randomBytes(32).toString('base64url');
  insertSession.run(TENANT, tokenHash(token), account.id, Date.now() + 3_600_000);
  return reply
    .code(303)
    .headers(headers)
    .setCookie('session', token, { httpOnly: true, sameSite: 'lax', path: '/' })
    .header('location', '/bench/home')
    .send();
});
app.get('/readyz', (_request, reply) => reply.send('ok'));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
