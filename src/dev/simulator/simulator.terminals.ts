import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { SecretHasher } from '../../platform/crypto.js';
import { SIMULATOR_TERMINAL_PREFIX } from '../../features/orders/terminal.model.js';
import type { TerminalService } from '../../features/orders/terminal.service.js';
import type { Tenant } from '../../features/tenants/tenant.model.js';

export interface SimulatorTerminal {
  id: string;
  kind: 'convenience' | 'campus';
  tenant: Tenant | undefined;
}

/** The simulator's own terminals: a store gateway and one campus printer per university. */
export function simulatorTerminalId(tenant?: Tenant): string {
  return tenant ? `${SIMULATOR_TERMINAL_PREFIX}campus-${tenant.slug}` : `${SIMULATOR_TERMINAL_PREFIX}store`;
}

/** Derived from SECRET_KEY, so nothing secret is stored for them. */
export function simulatorSecret(secrets: SecretHasher, terminalId: string): string {
  return Buffer.from(secrets.hash('simulator-terminal', terminalId), 'hex').toString('base64url');
}

/**
 * Makes sure the simulator's terminals exist with their derived secrets: ordinary terminal
 * records, made by the terminal service like any other. Called on first use (a 401 from the
 * API), not at start: a start must not need the database, and universities created since, or a
 * changed SECRET_KEY, are then covered too.
 */
export async function ensureSimulatorTerminals(
  uow: UnitOfWork,
  terminals: TerminalService,
  secrets: SecretHasher,
): Promise<void> {
  for (const tenant of [undefined, ...(await uow.repos.tenants.list())]) {
    const id = simulatorTerminalId(tenant);
    await terminals.register(
      {
        id,
        tenantId: tenant?.id ?? null,
        kind: tenant ? 'campus' : 'convenience',
        name: tenant
          ? `Simulator: ${tenant.name.en} on-campus printer`
          : 'Simulator: convenience-store multi-copy machine',
      },
      simulatorSecret(secrets, id),
    );
  }
}
