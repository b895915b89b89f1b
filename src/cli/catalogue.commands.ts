import { type CliCommand, invalidFile, readJsonFile, text } from './command.js';

export const catalogueCommands: CliCommand[] = [
  {
    name: 'catalogue set',
    usage: '--tenant S --file FILE',
    summary: 'replace the certificate types offered with a JSON array (all or nothing; types left out are withdrawn)',
    options: { tenant: { type: 'string' }, file: { type: 'string' } },
    async run({ services, tenantBySlug, resolvePath }, values) {
      const slug = text(values, 'tenant');
      const given = text(values, 'file');
      if (!slug || !given) return 'usage';
      const file = resolvePath(given);
      const input = await readJsonFile(file);
      const tenant = await tenantBySlug(slug);
      const outcome = await services.catalogue.replace(tenant, input);
      if (outcome.status === 'invalid') throw invalidFile(file, outcome);
      const offered = outcome.items.filter((item) => item.active).map((item) => item.type);
      console.log(`catalogue set for ${tenant.slug}: ${offered.join(', ')}`);
      return 0;
    },
  },
  {
    name: 'catalogue show',
    usage: '--tenant S',
    summary: 'the catalogue as JSON, in the form `catalogue set` reads',
    options: { tenant: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      if (!slug) return 'usage';
      console.log(JSON.stringify(await services.catalogue.list(await tenantBySlug(slug)), null, 2));
      return 0;
    },
  },
];
