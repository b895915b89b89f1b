import { type CliCommand, CliError, text } from './command.js';

export const tenantCommands: CliCommand[] = [
  {
    name: 'tenant create',
    usage: '--slug S --name-ja N --name-en N [--mandatory-2fa] [--public-url URL]',
    summary: 'create a university; its links start at --public-url (default PUBLIC_URL)',
    options: {
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
      const publicUrl = text(values, 'public-url') ?? process.env.PUBLIC_URL;
      if (!publicUrl) throw new CliError('give --public-url (the address the service is served at) or PUBLIC_URL');
      const tenant = await services.tenants.create({
        slug,
        publicUrl,
        name: { ja: nameJa, en: nameEn },
        policy: { twoFactorMandatory: values['mandatory-2fa'] === true },
      });
      console.log(`created ${tenant.slug} (${tenant.id})`);
      return 0;
    },
  },
];

export const rosterCommands: CliCommand[] = [
  {
    name: 'roster set',
    usage: '--tenant S --user ID',
    summary: 'set a local-roster password (read from SHOMEI_PASSWORD)',
    options: { tenant: { type: 'string' }, user: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const password = process.env.SHOMEI_PASSWORD;
      const slug = text(values, 'tenant');
      const user = text(values, 'user');
      if (!slug || !user || !password) return 'usage';
      await services.tenants.setRosterPassword(await tenantBySlug(slug), user, password);
      console.log(`password set for ${user}`);
      return 0;
    },
  },
];
