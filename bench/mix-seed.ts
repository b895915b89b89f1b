/**
 * #14 mixed-load benchmark: the data. Universities, students set up for §2.3 logins, records
 * with courses (transcripts have something to print), store terminals, and a stock of store
 * reservations so terminal requests never wait for the order pages to make them.
 */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { UnitOfWork } from '../src/db/unit-of-work.js';
import { seedDemoCatalogue } from '../src/dev/demo/demo-catalogue.js';
import { createDevelopmentSigner } from '../src/features/certificates/pdf/certificate.signing.js';
import type { Order } from '../src/features/orders/order.model.js';
import { TerminalService } from '../src/features/orders/terminal.service.js';
import type { StudentCourseInput, StudentRecordInput } from '../src/features/records/record.model.js';
import { type Tenant } from '../src/features/tenants/tenant.model.js';
import { TenantService } from '../src/features/tenants/tenant.service.js';
import { operatorActor } from '../src/platform/actor.js';
import { systemClock } from '../src/platform/clock.js';
import { SecretBox, SecretHasher, newId, randomToken } from '../src/platform/crypto.js';
import { PasswordHasher } from '../src/platform/password-hasher.js';

export const UNIVERSITY_PASSWORD = 'Campus-pass-mix';
export const SECOND_PASSWORD = 'Mix2026Second';
/** Two certificates per order: the model's job-hunting pair (enrollment + transcript). */
export const ORDER_FORM = { 'copies-enrollment-ja': '1', 'copies-transcript-ja': '1' };
export const ORDER_FEE_YEN = 600;

export interface BenchStudent {
  userId: string;
  email: string;
}

export interface BenchTenant {
  tenant: Tenant;
  /** Whether every login of this university takes the mailed key (two-factor mandatory). */
  keyStep: boolean;
  students: BenchStudent[];
}

export interface Seeded {
  tenants: BenchTenant[];
  /** Store gateways' Authorization headers. */
  terminals: string[];
  /** Reservation numbers of reserved store orders, ready to be looked up and paid. */
  reserved: string[];
}

const courses: StudentCourseInput[] = [
  {
    academicYear: 2023,
    term: { ja: '前期', en: 'Spring' },
    name: { ja: '日本文学概論', en: 'Introduction to Japanese Literature' },
    credits: 2,
    grade: 'S',
  },
  {
    academicYear: 2024,
    term: { ja: '通年', en: 'Full year' },
    name: { ja: '中世文学演習', en: 'Seminar in Medieval Japanese Literature' },
    credits: 4,
    grade: 'B',
  },
];

function record(userId: string, studentNumber: string): StudentRecordInput {
  return {
    studentNumber,
    userId,
    name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ', roman: 'YAMADA Taro' },
    birthDate: '2004-06-14',
    faculty: { ja: '文学部', en: 'Faculty of Letters' },
    department: { ja: '日本文学科', en: 'Department of Japanese Literature' },
    year: 4,
    programYears: 4,
    status: 'enrolled',
    admissionDate: '2023-04-01',
    expectedGraduationDate: '2027-03-31',
    creditsEarned: 6,
    gpaHundredths: 325,
  };
}

export async function seed(
  databaseUrl: string,
  secretKey: string,
  options: { studentsPerTenant: number; reservations: number; terminals: number },
): Promise<Seeded> {
  const database = openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
    const uow = new UnitOfWork(database.db, systemClock);
    const hasher = new PasswordHasher({ concurrency: 2, queueLimit: 100 });
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, PUBLIC_URL: 'https://bench.test' });
    const tenantService = new TenantService({ uow, clock: systemClock, hasher, config });
    // argon2 hashes carry their own salt; one hash for everyone keeps seeding fast and changes no login's cost.
    const universityHash = await hasher.hash(UNIVERSITY_PASSWORD);
    const secondHash = await hasher.hash(SECOND_PASSWORD);
    const box = new SecretBox(secretKey);
    const now = systemClock.now();

    const tenants: BenchTenant[] = [];
    const studentNumbers: Array<{ tenantId: string; accountId: string; studentNumber: string }> = [];
    for (const [index, keyStep] of [true, false].entries()) {
      const slug = `mix${index + 1}`;
      const tenant = await tenantService.create({
        slug,
        name: { ja: `負荷${index + 1}大学`, en: `Mix University ${index + 1}` },
        policy: { twoFactorMandatory: keyStep, twoFactorDefaultOn: keyStep, destinations: ['campus', 'convenience'] },
      });
      const students: BenchStudent[] = [];
      await uow.run(operatorActor(tenant.id), async (tx) => {
        await seedDemoCatalogue(tx, tenant.id);
        // Made here, not on the first certificate: two instances would race to make it.
        const signer = createDevelopmentSigner(`${tenant.name.en} (bench)`, tenant.name.en, now);
        await tx.signingKeys.insert(
          tenant.id,
          {
            p12Base64: signer.p12Base64,
            passphraseSealed: box.seal(signer.passphrase),
            certificatePem: signer.certificatePem,
          },
          now,
        );
        for (let i = 0; i < options.studentsPerTenant; i++) {
          const userId = `s${String(i).padStart(5, '0')}`;
          const email = `${slug}-${userId}@mail.bench.test`;
          const studentNumber = `${index + 1}${String(i).padStart(7, '0')}`;
          await tx.roster.upsert(tenant.id, userId, universityHash, now);
          const account = await tx.accounts.findOrCreate(
            tenant.id,
            newId(),
            userId,
            { twoFactorEnabled: keyStep, lang: 'ja' },
            now,
          );
          await tx.accounts.setVerifiedEmail(tenant.id, account.id, email, now);
          await tx.accounts.setSecondPassword(tenant.id, account.id, secondHash, now);
          await tx.records.upsert(tenant.id, record(userId, studentNumber), now);
          await tx.records.replaceCourses(tenant.id, studentNumber, courses);
          students.push({ userId, email });
          studentNumbers.push({ tenantId: tenant.id, accountId: account.id, studentNumber });
        }
      });
      tenants.push({ tenant, keyStep, students });
    }

    const secrets = new SecretHasher(secretKey);
    const terminals: string[] = [];
    for (let i = 0; i < options.terminals; i++) {
      const id = `bench-store-${i + 1}`;
      const secret = randomToken();
      await uow.repos.terminals.upsert(
        {
          id,
          tenantId: null,
          kind: 'convenience',
          name: `Bench store gateway ${i + 1}`,
          secretHash: secrets.hash(TerminalService.secretPurpose, secret),
        },
        now,
      );
      terminals.push(`Bearer ${id}.${secret}`);
    }

    const reserved: string[] = [];
    const batch = 500;
    for (let start = 0; start < options.reservations; start += batch) {
      const first = studentNumbers[0];
      if (!first) break;
      await uow.run(operatorActor(first.tenantId), async (tx) => {
        for (let i = start; i < Math.min(options.reservations, start + batch); i++) {
          const owner = studentNumbers[i % studentNumbers.length]!;
          const reservationNumber = `9${String(i).padStart(11, '0')}`;
          const order: Order = {
            tenantId: owner.tenantId,
            id: newId(),
            accountId: owner.accountId,
            studentNumber: owner.studentNumber,
            destination: 'convenience',
            state: 'reserved',
            lang: 'ja',
            feeYen: ORDER_FEE_YEN,
            postageYen: 0,
            reservationNumber,
            reservationExpiresAt: now + 7 * 86_400_000,
            terminalId: null,
            storeId: null,
            machineId: null,
            paymentTransactionId: null,
            printFailures: 0,
            shippingAddress: null,
            trackingNumber: null,
            recipient: null,
            createdAt: now,
            updatedAt: now,
            paidAt: null,
            printedAt: null,
            shippedAt: null,
            cancelledAt: null,
            voidedAt: null,
            releasedAt: null,
            paymentNumber: null,
            paymentExpiresAt: null,
            paymentReceipt: null,
            refundNote: null,
            items: [
              { seq: 1, type: 'enrollment', lang: 'ja', copies: 1, unitFeeYen: 300 },
              { seq: 2, type: 'transcript', lang: 'ja', copies: 1, unitFeeYen: 300 },
            ],
          };
          await tx.orders.insert(order);
          reserved.push(reservationNumber);
        }
      });
    }
    return { tenants, terminals, reserved };
  } finally {
    await database.close();
  }
}
