import type { UnitOfWork } from '../../db/unit-of-work.js';
import { operatorActor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { PasswordHasher } from '../../platform/password-hasher.js';
import { newTenant } from '../../features/tenants/tenant.service.js';
import { demoStudents, minatoStudents } from './accounts.data.js';
import { demoUniversity, minatoUniversity } from './universities.data.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import { backfillDemoRecords, seedDemoRecords, seedMinatoRecords } from './demo-records.js';

/**
 * The demo university a newcomer walks every flow with, and a second one whose policy makes
 * two-factor mandatory. Made once, in one transaction, so two instances starting together on one
 * database cannot both make it; later starts leave it as the newcomer left it.
 */
export async function seedDemo(uow: UnitOfWork, clock: Clock, hasher: PasswordHasher): Promise<boolean> {
  if (await uow.repos.tenants.findBySlug('demo')) {
    await backfillDemoRecords(uow, clock.now());
    return false;
  }
  const hashes = new Map<string, string>();
  for (const secret of [
    ...demoStudents.flatMap((s) => ('secondPassword' in s ? [s.password, s.secondPassword] : [s.password])),
    ...minatoStudents.map((s) => s.password),
  ]) {
    hashes.set(secret, await hasher.hash(secret));
  }
  const hashOf = (secret: string) => hashes.get(secret) ?? '';
  const demo = newTenant(demoUniversity);
  const minato = newTenant(minatoUniversity);
  const now = clock.now();
  try {
    await uow.run(operatorActor(demo.id), async (repos) => {
      await repos.tenants.insert(demo, now);
      await repos.tenants.insert(minato, now);
      for (const student of demoStudents) {
        await repos.roster.upsert(demo.id, student.userId, hashOf(student.password), now);
        if (!('email' in student)) continue;
        const twoFactorEnabled = 'twoFactor' in student ? student.twoFactor : true;
        const account = await repos.accounts.findOrCreate(
          demo.id,
          newId(),
          student.userId,
          { twoFactorEnabled, lang: 'ja' },
          now,
        );
        await repos.accounts.setVerifiedEmail(demo.id, account.id, student.email, now);
        if ('secondPassword' in student)
          await repos.accounts.setSecondPassword(demo.id, account.id, hashOf(student.secondPassword), now);
      }
      for (const student of minatoStudents)
        await repos.roster.upsert(minato.id, student.userId, hashOf(student.password), now);
      // C-2, C-3 (#4): the catalogue, and records with transcripts for the students.
      await seedDemoCatalogue(repos, demo.id);
      await seedDemoRecords(repos, demo.id, now);
      await seedDemoCatalogue(repos, minato.id);
      await seedMinatoRecords(repos, minato.id, now);
    });
  } catch (error) {
    if (await uow.repos.tenants.findBySlug('demo')) return false;
    throw error;
  }
  return true;
}
