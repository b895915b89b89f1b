import type { Tenant } from '../features/tenants/tenant.model.js';
import type { Missing } from '../features/tenants/tenant-readiness.service.js';
import { type CliCommand, CliError, invalidFile, readJsonFile, text } from './command.js';
import { invitationViolations } from '../features/staff/staff.rules.js';
import { printEnrolmentLink } from './staff.commands.js';

const settingFiles = ['directory', 'content', 'policy'] as const;

/** What `tenant show` prints: everything but the directory's service password. */
function shown(tenant: Tenant): unknown {
  const directory =
    tenant.directory.kind === 'ldap' && tenant.directory.search
      ? { ...tenant.directory, search: { ...tenant.directory.search, serviceBindPassword: '(set, not shown)' } }
      : tenant.directory;
  return {
    slug: tenant.slug,
    name: tenant.name,
    enabled: tenant.enabled,
    publicUrl: tenant.publicUrl ?? null,
    policy: tenant.policy,
    content: tenant.content,
    directory,
  };
}

function printMissing(missing: Missing[]): void {
  for (const item of missing) console.log(`  missing: ${item.what}  → ${item.fix}`);
}

export const tenantCommands: CliCommand[] = [
  {
    name: 'tenant create',
    usage: '--slug S --name-ja N --name-en N [--mandatory-2fa] [--public-url URL] [--admin-email ADDRESS]',
    summary:
      "create a university, closed until `tenant enable`; its links start at --public-url (default PUBLIC_URL); --admin-email prints its first administrator's enrolment link",
    options: {
      'admin-email': { type: 'string' },
      slug: { type: 'string' },
      'name-ja': { type: 'string' },
      'name-en': { type: 'string' },
      'mandatory-2fa': { type: 'boolean' },
      'public-url': { type: 'string' },
    },
    async run({ services }, values) {
      const slug = text(values, 'slug');
      const nameJa = text(values, 'name-ja');
      const nameEn = text(values, 'name-en');
      if (!slug || !nameJa || !nameEn) return 'usage';
      // Its links are built from this address from now on; the CLI's own default is no address (#8).
      const adminEmail = text(values, 'admin-email');
      if (
        adminEmail &&
        invitationViolations({ email: adminEmail, name: '', staffNumber: '', role: 'administrator' }).length > 0
      )
        throw new CliError(`--admin-email: ${adminEmail} is not a mail address`);
      const publicUrl = text(values, 'public-url') ?? process.env.PUBLIC_URL;
      if (!publicUrl) throw new CliError('give --public-url (the address the service is served at) or PUBLIC_URL');
      const tenant = await services.tenants.create({
        slug,
        publicUrl,
        name: { ja: nameJa, en: nameEn },
        policy: { twoFactorMandatory: values['mandatory-2fa'] === true },
        enabled: false,
      });
      console.log(`created ${tenant.slug} (${tenant.id}), closed until it is set up:`);
      printMissing(await services.tenantReadiness.missing(tenant));
      console.log(`then: shomei tenant enable --tenant ${tenant.slug}`);
      if (adminEmail)
        await printEnrolmentLink(services, tenant, {
          email: adminEmail,
          role: 'administrator',
          name: '',
          staffNumber: '',
        });
      else
        console.log(
          `its first administrator: shomei staff invite --tenant ${tenant.slug} --email … --role administrator`,
        );
      return 0;
    },
  },
  {
    name: 'tenant list',
    usage: '',
    summary: 'every university: slug, open or closed, name, address',
    options: {},
    async run({ services }) {
      for (const tenant of await services.tenants.list())
        console.log(
          [tenant.slug, tenant.enabled ? 'open' : 'closed', tenant.name.en, tenant.publicUrl ?? '(no address)'].join(
            '\t',
          ),
        );
      return 0;
    },
  },
  {
    name: 'tenant show',
    usage: '--tenant S',
    summary: "a university's settings as JSON (the directory's service password is not shown)",
    options: { tenant: { type: 'string' } },
    async run({ tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      console.log(JSON.stringify(shown(await tenantBySlug(slug)), null, 2));
      return 0;
    },
  },
  ...(['configure', 'set'] as const).map((verb): CliCommand => ({
    name: `tenant ${verb}`,
    usage: '--tenant S (--directory FILE | --content FILE | --policy FILE)',
    summary:
      verb === 'configure'
        ? 'replace the directory (LDAP), contents or policy with a JSON file, checked before anything is stored'
        : 'the same as tenant configure',
    options: {
      tenant: { type: 'string' },
      directory: { type: 'string' },
      content: { type: 'string' },
      policy: { type: 'string' },
    },
    async run({ services, tenantBySlug, resolvePath }, values) {
      const slug = text(values, 'tenant');
      const given = settingFiles.filter((setting) => text(values, setting));
      const setting = given[0];
      if (!slug || !setting || given.length > 1) return 'usage';
      const file = resolvePath(text(values, setting) ?? '');
      const input = await readJsonFile(file);
      const tenant = await tenantBySlug(slug);
      const outcome =
        setting === 'directory'
          ? await services.tenants.setDirectory(tenant, input)
          : setting === 'content'
            ? await services.tenants.setContent(tenant, input)
            : await services.tenants.setPolicy(tenant, input);
      if (outcome.status === 'invalid') throw invalidFile(file, outcome);
      console.log(`${setting} set for ${tenant.slug}`);
      return 0;
    },
  })),
  {
    name: 'tenant check',
    usage: '--tenant S',
    summary: 'what a university still lacks before it may open (exit 1 while anything does)',
    options: { tenant: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      const tenant = await tenantBySlug(slug);
      const missing = await services.tenantReadiness.missing(tenant);
      console.log(`${tenant.slug} is ${tenant.enabled ? 'open' : 'closed'}`);
      if (missing.length === 0) {
        console.log('nothing is missing');
        return 0;
      }
      printMissing(missing);
      return 1;
    },
  },
  {
    name: 'tenant enable',
    usage: '--tenant S',
    summary: 'open a university to students; refused while `tenant check` lists anything',
    options: { tenant: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      const outcome = await services.tenantReadiness.enable(await tenantBySlug(slug));
      if (outcome.status === 'incomplete') {
        console.error(`${slug} stays closed:`);
        printMissing(outcome.missing);
        return 1;
      }
      console.log(`${slug} is open`);
      return 0;
    },
  },
  {
    name: 'tenant disable',
    usage: '--tenant S',
    summary: 'close a university: not listed, no logins, its pages say it is not open',
    options: { tenant: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      await services.tenants.setEnabled(await tenantBySlug(slug), false);
      console.log(`${slug} is closed`);
      return 0;
    },
  },
];

export const rosterCommands: CliCommand[] = [
  {
    name: 'roster set',
    usage: '--tenant S --user ID',
    summary: 'set a local-roster password (read from SHOMEI_PASSWORD); re-enables a disabled user',
    options: { tenant: { type: 'string' }, user: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const password = process.env.SHOMEI_PASSWORD;
      const slug = text(values, 'tenant');
      const user = text(values, 'user');
      if (!slug || !user || !password) return 'usage';
      const outcome = await services.tenants.setRosterPassword(await tenantBySlug(slug), user, password);
      if (outcome.status === 'invalid')
        throw new CliError(`SHOMEI_PASSWORD must be at least ${outcome.violations[0]?.params?.min} characters`);
      console.log(`password set for ${user}`);
      return 0;
    },
  },
  {
    name: 'roster disable',
    usage: '--tenant S --user ID',
    summary: 'a local-roster user can no longer log in; their open sessions end',
    options: { tenant: { type: 'string' }, user: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      const user = text(values, 'user');
      if (!slug || !user) return 'usage';
      if (!(await services.tenants.disableRosterUser(await tenantBySlug(slug), user))) {
        console.error(`no enabled user ${user} in the roster of ${slug}`);
        return 1;
      }
      console.log(`${user} disabled`);
      return 0;
    },
  },
];
