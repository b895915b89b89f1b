/**
 * A stand-in for a busy service (#13 backup test), run as its own process: it writes to a SQLite
 * file, each step one transaction of an account, its order and the order's certificate, and prints
 * "committed <order id>" once the step has committed. It stops at its count or when killed.
 * Usage: node --import tsx test/helpers/sqlite-writer.ts <file> <tenant id> <count>
 */
import { openDatabase } from '../../src/db/database.js';
import type { CertificateStatement } from '../../src/features/certificates/issued-certificate.model.js';
import { UnitOfWork } from '../../src/db/unit-of-work.js';
import { operatorActor } from '../../src/platform/actor.js';
import { systemClock } from '../../src/platform/clock.js';
import { newId, verificationCode } from '../../src/platform/crypto.js';
import { order } from '../factories/order.js';

const [file, tenantId, count] = process.argv.slice(2);
if (!file || !tenantId || !count) throw new Error('usage: sqlite-writer.ts <file> <tenant id> <count>');
const database = openDatabase(`sqlite:${file}`);
const uow = new UnitOfWork(database.db, systemClock);

for (let i = 0; i < Number(count); i++) {
  const placed = await uow.run(operatorActor(tenantId), async (tx) => {
    const account = await tx.accounts.findOrCreate(
      tenantId,
      newId(),
      `load${i}`,
      { twoFactorEnabled: false, lang: 'ja' },
      tx.now,
    );
    const made = order(tenantId, { accountId: account.id, studentNumber: `L${i}` });
    await tx.orders.insert(made);
    const pdf = Buffer.from(`certificate ${i} `.repeat(2000));
    await tx.certificates.insert(tenantId, {
      serial: `LOAD-2026-${String(i).padStart(6, '0')}`,
      orderId: made.id,
      itemSeq: 1,
      type: 'enrollment',
      lang: 'ja',
      studentNumber: made.studentNumber,
      verificationCode: verificationCode(),
      pdfSha256: newId(),
      pdf,
      // What a statement says does not matter to a backup.
      statement: {} as CertificateStatement,
      issuedAt: tx.now,
      revokedAt: null,
      revokedReason: null,
      revokedCategory: null,
    });
    return made;
  });
  process.stdout.write(`committed ${placed.id}\n`);
}
await database.close();
