import { settlementCsv } from '../features/orders/settlement.model.js';
import { japanDayStart } from '../features/orders/settlement.service.js';
import type { TerminalKind } from '../features/orders/terminal.model.js';
import { todayInJapan } from '../platform/clock.js';
import type { Tenant } from '../features/tenants/tenant.model.js';
import { type CliCommand, type CliContext, CliError, type CliValues, text } from './command.js';

/** A campus printer belongs to a university (--tenant); a store gateway serves them all (no --tenant). */
async function named(context: CliContext, values: CliValues) {
  const id = text(values, 'id');
  if (!id) return undefined;
  const slug = text(values, 'tenant');
  const tenant: Tenant | undefined = slug ? await context.tenantBySlug(slug) : undefined;
  const terminal = await context.services.terminals.find(id, tenant?.id ?? null);
  if (!terminal)
    throw new CliError(
      `no terminal ${id} ${tenant ? `at ${tenant.slug}` : 'among the store gateways (campus printers need --tenant)'}`,
    );
  return terminal;
}

function printSecret(id: string, secret: string): void {
  console.log(`terminal ${id}`);
  console.log(`secret (shown only now): ${secret}`);
  console.log(`the terminal sends: Authorization: Bearer ${id}.${secret}`);
}

export const terminalCommands: CliCommand[] = [
  {
    name: 'terminal create',
    usage: '(--tenant S --kind campus | --kind convenience) --name TEXT',
    summary: 'a campus printer or a convenience-store gateway for the terminal API; prints its secret once',
    options: { tenant: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } },
    async run({ services, tenantBySlug }, values) {
      const kind = text(values, 'kind');
      const name = text(values, 'name');
      const slug = text(values, 'tenant');
      if (!name || (kind !== 'campus' && kind !== 'convenience')) return 'usage';
      if ((kind === 'campus') !== Boolean(slug))
        throw new CliError(
          'a campus printer needs --tenant; a convenience-store gateway serves every university and takes none',
        );
      const tenantId = slug ? (await tenantBySlug(slug)).id : null;
      const { terminal, secret } = await services.terminals.create({ tenantId, kind: kind as TerminalKind, name });
      printSecret(terminal.id, secret);
      return 0;
    },
  },
  {
    name: 'terminal rotate',
    usage: '--id T [--tenant S]',
    summary: 'a new secret for the terminal, printed once; the old one is refused from now on',
    options: { tenant: { type: 'string' }, id: { type: 'string' } },
    async run(context, values) {
      const terminal = await named(context, values);
      if (!terminal) return 'usage';
      const secret = await context.services.terminals.rotate(terminal);
      if (!secret) throw new CliError(`terminal ${terminal.id} is disabled; create a new one`);
      printSecret(terminal.id, secret);
      return 0;
    },
  },
  ...(['deactivate', 'disable'] as const).map((verb): CliCommand => ({
    name: `terminal ${verb}`,
    usage: '--id T [--tenant S]',
    summary: verb === 'deactivate' ? "the terminal's calls are refused from now on" : 'the same as terminal deactivate',
    options: { tenant: { type: 'string' }, id: { type: 'string' } },
    async run(context, values) {
      const terminal = await named(context, values);
      if (!terminal) return 'usage';
      console.log(
        (await context.services.terminals.disable(terminal))
          ? `terminal ${terminal.id} deactivated`
          : `terminal ${terminal.id} was already deactivated`,
      );
      return 0;
    },
  })),
  {
    name: 'terminal settlement',
    usage: '[--date YYYY-MM-DD] [--network T] [--tenant S] [--format csv|json]',
    summary: "a day's payments and voids per network and university (default: yesterday in Japan), as CSV or JSON",
    options: {
      date: { type: 'string' },
      network: { type: 'string' },
      tenant: { type: 'string' },
      format: { type: 'string' },
    },
    async run({ services, tenantBySlug }, values) {
      const date = text(values, 'date') ?? todayInJapan(services.clock.now() - 86_400_000);
      const format = text(values, 'format') ?? 'csv';
      if (japanDayStart(date) === undefined || (format !== 'csv' && format !== 'json')) return 'usage';
      const slug = text(values, 'tenant');
      const network = text(values, 'network');
      const report = await services.settlement.report(date, {
        ...(network && { terminalId: network }),
        ...(slug && { tenantId: (await tenantBySlug(slug)).id }),
      });
      process.stdout.write(format === 'csv' ? settlementCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
      return 0;
    },
  },
];
