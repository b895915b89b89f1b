import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { SecretHasher } from '../../platform/crypto.js';
import { terminalSecretHash } from '../../features/orders/terminal.model.js';
import type { Tenant } from '../../features/tenants/tenant.model.js';

export interface SimulatorTerminal {
  id: string;
  kind: 'convenience' | 'campus';
  tenant: Tenant | undefined;
}

/** The simulator's own terminals: a store gateway and one campus printer per university. */
export function simulatorTerminalId(tenant?: Tenant): string {
  return tenant ? `sim-campus-${tenant.slug}` : 'sim-store';
}

/** Derived from SECRET_KEY, so nothing secret is stored for them. */
export function simulatorSecret(secrets: SecretHasher, terminalId: string): string {
  return Buffer.from(secrets.hash('simulator-terminal', terminalId), 'hex').toString('base64url');
}

/**
 * Makes sure the simulator's terminals exist with their derived secrets. Called on first use (a
 * 401 from the API), not at start: a start must not need the database, and universities created
 * since, or a changed SECRET_KEY, are then covered too.
 */
export async function ensureSimulatorTerminals(uow: UnitOfWork, secrets: SecretHasher, now: number): Promise<void> {
  const tenants = await uow.repos.tenants.list();
  const terminals = [undefined, ...tenants].map((tenant) => ({ id: simulatorTerminalId(tenant), tenant }));
  for (const { id, tenant } of terminals) {
    await uow.repos.terminals.upsert(
      {
        id,
        tenantId: tenant?.id ?? null,
        kind: tenant ? 'campus' : 'convenience',
        name: tenant
          ? `Simulator: ${tenant.name.en} on-campus printer`
          : 'Simulator: convenience-store multi-copy machine',
        secretHash: terminalSecretHash(simulatorSecret(secrets, id)),
      },
      now,
    );
  }
}
