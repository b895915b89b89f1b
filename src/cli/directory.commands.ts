import { AppError } from '../platform/errors.js';
import { type CliCommand, text } from './command.js';

export const directoryCommands: CliCommand[] = [
  {
    name: 'directory test',
    usage: '--tenant S --user ID',
    summary: "log in as ID through the university's directory (password from SHOMEI_PASSWORD); nothing is recorded",
    options: { tenant: { type: 'string' }, user: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const password = process.env.SHOMEI_PASSWORD;
      const slug = text(values, 'tenant');
      const user = text(values, 'user');
      if (!slug || !user || !password) return 'usage';
      const tenant = await tenantBySlug(slug);
      const where = tenant.directory.kind === 'ldap' ? `LDAP ${tenant.directory.urls.join(', ')}` : 'the local roster';
      try {
        const result = await services.directory.verify(tenant, user, password);
        if (!result.ok) {
          console.error(`${where}: refused ${user} (unknown, wrong password, disabled, or outside the filter)`);
          return 1;
        }
        console.log(`${where}: accepted ${user} as user ID ${result.userId}`);
        return 0;
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'directory_unavailable') throw error;
        const cause = error.options.cause instanceof Error ? error.options.cause.message : String(error.options.cause);
        console.error(`${where}: not answering (${cause})`);
        return 1;
      }
    },
  },
];
