import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';

export const LDAP_BASE = 'dc=example,dc=ac,dc=jp';

export interface LdapUser {
  uid: string;
  password: string;
  /** Members of ou=students may log in; ou=staff is excluded by the tenants' filter. */
  ou: 'students' | 'staff';
  upn?: string;
}

export const ldapUsers: LdapUser[] = [
  { uid: 'taro', password: 'Taro-Univ-pass1', ou: 'students', upn: 'taro@ad.example.ac.jp' },
  { uid: 'hanako', password: 'Hanako-Univ-pass2', ou: 'students' },
  { uid: 'jiro', password: 'JiroUniv2026', ou: 'students' },
  { uid: 'professor', password: 'Prof-Univ-pass4', ou: 'staff' },
  { uid: 'o*brien(x)', password: 'Odd-Univ-pass5', ou: 'students' },
];
export const SERVICE_DN = `cn=shomei,${LDAP_BASE}`;
export const SERVICE_PASSWORD = 'service-secret';

export const slapdAvailable = fs.existsSync('/usr/sbin/slapd') && fs.existsSync('/usr/sbin/slapadd');

if (!slapdAvailable && process.env.CI === 'true') {
  throw new Error('slapd is required under CI=true (apt-get install slapd ldap-utils)');
}

/** LDAP tests may skip on a developer machine without slapd, saying so in the suite's name; never under CI. */
export function describeLdap(name: string, body: () => void): void {
  if (slapdAvailable) describe(name, body);
  else describe.skip(`${name} (skipped: no /usr/sbin/slapd, apt-get install slapd ldap-utils)`, body);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function hashPassword(password: string): string {
  return execFileSync('/usr/sbin/slappasswd', ['-s', password], { encoding: 'utf8' }).trim();
}

/**
 * A real OpenLDAP slapd on loopback, made for one test file: plain LDAP (with StartTLS) and
 * LDAPS, a test CA whose PEM the tenant config trusts, students, staff and a service account.
 */
export class TestLdapServer {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shomei-ldap-'));
  port = 0;
  tlsPort = 0;
  caPem = '';
  private process: ChildProcess | undefined;

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  get ldapsUrl(): string {
    return `ldaps://127.0.0.1:${this.tlsPort}`;
  }

  async start(): Promise<void> {
    if (!this.port) await this.create();
    this.process = spawn(
      '/usr/sbin/slapd',
      ['-d', '0', '-F', path.join(this.dir, 'slapd.d'), '-h', `${this.url}/ ${this.ldapsUrl}/`],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    while (!(await this.answers())) {
      if (Date.now() > deadline) throw new Error('slapd did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.process = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }

  private async create(): Promise<void> {
    this.port = await freePort();
    this.tlsPort = await freePort();
    const dir = this.dir;
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=Shomei Test CA',
    ]);
    fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    run([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    ]);
    run([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    ]);
    this.caPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    fs.mkdirSync(path.join(dir, 'data'));
    fs.mkdirSync(path.join(dir, 'slapd.d'));
    const config = `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcTLSCACertificateFile: ${dir}/ca.crt
olcTLSCertificateFile: ${dir}/server.crt
olcTLSCertificateKeyFile: ${dir}/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${LDAP_BASE}
olcRootDN: cn=admin,${LDAP_BASE}
olcRootPW: ${hashPassword('admin-secret')}
olcDbDirectory: ${dir}/data
olcDbMaxSize: 104857600
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by users read by * none
`;
    const people = ldapUsers
      .map(
        (user) => `dn: uid=${user.uid.replace(/([\\,+"<>;=#])/g, '\\$1')},ou=${user.ou},${LDAP_BASE}
objectClass: inetOrgPerson
uid: ${user.uid}
employeeType: ${user.ou === 'students' ? 'student' : 'staff'}
cn: ${user.uid}
sn: ${user.uid}
${user.upn ? `mail: ${user.upn}\n` : ''}userPassword: ${hashPassword(user.password)}
`,
      )
      .join('\n');
    const data = `dn: ${LDAP_BASE}
objectClass: dcObject
objectClass: organization
o: Example University
dc: example

dn: ou=students,${LDAP_BASE}
objectClass: organizationalUnit
ou: students

dn: ou=staff,${LDAP_BASE}
objectClass: organizationalUnit
ou: staff

dn: ${SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: shomei
userPassword: ${hashPassword(SERVICE_PASSWORD)}

${people}`;
    fs.writeFileSync(path.join(dir, 'config.ldif'), config);
    fs.writeFileSync(path.join(dir, 'data.ldif'), data);
    execFileSync(
      '/usr/sbin/slapadd',
      ['-q', '-n0', '-F', path.join(dir, 'slapd.d'), '-l', path.join(dir, 'config.ldif')],
      { stdio: 'pipe' },
    );
    execFileSync(
      '/usr/sbin/slapadd',
      ['-q', '-n1', '-F', path.join(dir, 'slapd.d'), '-l', path.join(dir, 'data.ldif')],
      { stdio: 'pipe' },
    );
  }
}
