import type { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import { type SecretBox, newId } from '../../platform/crypto.js';
import type { PasswordHasher } from '../../platform/password-hasher.js';
import { demoStaff } from './staff.data.js';

/**
 * The demo universities' administrator and registrar (#12 A-1), enrolled already. Added to a demo
 * made before staff existed too; a member already there is left as it is. The TOTP secret is
 * sealed with the server key, so this runs once the services (and the key) are up.
 */
export async function seedDemoStaff(uow: UnitOfWork, hasher: PasswordHasher, box: SecretBox): Promise<number> {
  let added = 0;
  for (const member of demoStaff) {
    const tenant = await uow.repos.tenants.findBySlug(member.tenant);
    if (!tenant || (await uow.repos.staff.findByEmail(tenant.id, member.email))) continue;
    const passwordHash = await hasher.hash(member.password);
    try {
      await uow.run(operatorActor(tenant.id), async (tx) => {
        const id = newId();
        const { email, staffNumber, name, role } = member;
        await tx.staff.insert({ tenantId: tenant.id, id, email, staffNumber, name, role }, tx.now);
        await tx.staff.setPassword(tenant.id, id, name, passwordHash, tx.now);
        await tx.staff.activate(tenant.id, id, { sealed: box.seal(member.totpSecret), counter: 0 }, tx.now);
      });
      added += 1;
    } catch (error) {
      // Another instance starting on the same database added them first.
      if (!(await uow.repos.staff.findByEmail(tenant.id, member.email))) throw error;
    }
  }
  return added;
}
