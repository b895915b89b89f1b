import { operatorActor } from '../platform/actor.js';
import type { Services } from '../services.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import { type CliCommand, CliError, text } from './command.js';

/** Invites a staff member and prints the one-time enrolment link; nothing is mailed. */
export async function printEnrolmentLink(
  services: Services,
  tenant: Tenant,
  input: { email: string; name: string; staffNumber: string; role: string },
): Promise<void> {
  const outcome = await services.staff.accounts.invite(tenant, input, operatorActor(tenant.id), { mail: false });
  if (outcome.status === 'invalid')
    throw new CliError(
      outcome.violations
        .map((violation) => `--${violation.path === 'staffNumber' ? 'staff-id' : violation.path}: ${violation.code}`)
        .join('\n'),
    );
  console.log(`${outcome.member.role} ${outcome.member.email} invited to ${tenant.slug}`);
  console.log(`one-time enrolment link (valid 3 days; hand it over yourself): ${outcome.url}`);
}

export const staffCommands: CliCommand[] = [
  {
    name: 'staff invite',
    usage: '--tenant S --email ADDRESS --role registrar|administrator [--name TEXT] [--staff-id ID]',
    summary: "invite a university's staff member (the first administrator, say); prints the one-time enrolment link",
    options: {
      tenant: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'staff-id': { type: 'string' },
    },
    async run({ services, tenantBySlug }, values) {
      const slug = text(values, 'tenant');
      const email = text(values, 'email');
      const role = text(values, 'role');
      if (!slug || !email || !role) return 'usage';
      await printEnrolmentLink(services, await tenantBySlug(slug), {
        email,
        role,
        name: text(values, 'name') ?? '',
        staffNumber: text(values, 'staff-id') ?? '',
      });
      return 0;
    },
  },
];
