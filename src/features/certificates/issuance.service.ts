import { createHash } from 'node:crypto';
import type { Infrastructure } from '../../infrastructure.js';
import { type Actor, operatorActor } from '../../platform/actor.js';
import { todayInJapan } from '../../platform/clock.js';
import { serialTag, verificationCode } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { Lang } from '../../platform/i18n.js';
import { translator } from '../../platform/i18n.js';
import type { Destination } from '../catalogue/catalogue.model.js';
import { type UnavailableReason, availability } from '../catalogue/eligibility.js';
import { type StudentCourse, type StudentRecord, formatGpa } from '../records/record.model.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import {
  type AttachedCredential,
  type CertificateData,
  type CertificateType,
  japaneseGrades,
} from './certificate.model.js';
import type { CertificateStatement, IssuedCertificate, StatementCourse } from './issued-certificate.model.js';
import type { CertificateRenderer } from './pdf/certificate.renderer.js';
import type { CertificateSigner } from './pdf/certificate.signing.js';
import { describeCharacter } from './pdf/data-checks.js';
import { formatJapaneseAcademicYear } from './pdf/dates.js';
import type { KeySigner } from './signing/key-signer.js';
import { assertSignerWorks } from './signing/signer-checks.js';
import type { SigningKeyService } from './signing/signing-key.service.js';

/** Issuance writes on behalf of whoever asked for the documents; it audits nothing itself. */
function issuanceActor(tenantId: string): Actor {
  return { ...operatorActor(tenantId), userAgent: 'shomei-issuance' };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What issuance needs of an order: whose it is and its lines (an order has these and more). */
export interface IssueRequest {
  tenantId: string;
  id: string;
  studentNumber: string;
  items: ReadonlyArray<IssueLine>;
}

export interface IssueLine {
  seq: number;
  type: string;
  lang: Lang;
}

/** An order's lines as the issuability check reads them: issuance needs the destination too. */
export interface IssuabilityRequest extends IssueRequest {
  destination: Destination;
}

/**
 * Where issuability is asked (C-11). At `order` the form's rules have judged eligibility; at
 * `lookup`, before the terminal takes money, everything is judged again; at `issue`, after
 * payment, only what would make the statement false (see `ineligible`).
 */
export type IssuabilityStage = 'order' | 'lookup' | 'issue';

/** Why an order's documents cannot be issued now. */
export type NotIssuable =
  { reason: 'ineligible'; type: string; cause: UnavailableReason } | { reason: 'undrawable'; characters: string[] };

/** Turns an order's documents into PDFs once; later calls return the same certificates. */
export interface Issuer {
  ensureIssued(order: IssueRequest): Promise<IssuedCertificate[]>;
  /** Refuses (`signer_unavailable`, `signer_not_imported`) before money is taken for documents that could not be signed. */
  assertCanIssue(tenantId: string): Promise<void>;
  /**
   * What stands in the way of issuing the order's documents now, or undefined (C-11). Throws
   * `signer_unavailable` when the university's signer cannot sign.
   */
  issuability(order: IssuabilityRequest, stage: IssuabilityStage): Promise<NotIssuable | undefined>;
  /** The same as the refusal a terminal answers with (`reservation_ineligible`, `reservation_undrawable`). */
  assertIssuable(order: IssuabilityRequest, stage: IssuabilityStage): Promise<void>;
}

/** Makes a certificate's Verifiable Credential twin (#9 §5) before its PDF is signed; undefined when it has none. */
export interface CredentialIssuer {
  credentialFor(
    tenant: Tenant,
    data: CertificateData,
    key: KeySigner,
    issuedAt: number,
  ): Promise<AttachedCredential | undefined>;
}

/**
 * Turns an order's lines into signed PDFs (C-6) and records them (serial, type, holder, hash,
 * time, order) so the verification page (C-7) can vouch for them. Each line is issued once: a
 * unique key on (order, line) makes a second, racing attempt fail and read the first.
 */
export class IssuanceService implements Issuer {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'metrics'> & {
      /** Built on first use: parsing the fonts is paid once, and only by instances that issue. */
      renderer: () => CertificateRenderer;
      credentials?: CredentialIssuer;
      signingKeys: Pick<SigningKeyService, 'current'>;
    },
  ) {}

  async ensureIssued(order: IssueRequest): Promise<IssuedCertificate[]> {
    const repos = this.deps.uow.repos;
    const existing = await repos.certificates.listForOrder(order.tenantId, order.id);
    const missing = order.items.filter((item) => !existing.some((c) => c.itemSeq === item.seq));
    if (missing.length === 0) return existing;

    const tenant = await repos.tenants.findById(order.tenantId);
    const record = tenant && (await repos.records.findByStudentNumber(tenant.id, order.studentNumber));
    if (!tenant || !record) throw new Error(`cannot issue order ${order.id}: tenant or student record missing`);
    const signer = await this.signerFor(tenant);
    const ineligible = await this.ineligible(tenant, record, undefined, missing);
    if (ineligible) throw notIssuableError(ineligible, order.id);
    for (const item of missing) {
      const certificate = await this.render(tenant, record, order, item, signer);
      try {
        await repos.certificates.insert(tenant.id, certificate);
        this.deps.metrics.certificateIssued(tenant.slug, item.type);
      } catch (error) {
        // Another request issued this line first; theirs is the certificate.
        const now = await repos.certificates.listForOrder(order.tenantId, order.id);
        if (!now.some((c) => c.itemSeq === item.seq)) throw error;
      }
    }
    return repos.certificates.listForOrder(order.tenantId, order.id);
  }

  async assertCanIssue(tenantId: string): Promise<void> {
    const tenant = await this.deps.uow.repos.tenants.findById(tenantId);
    if (tenant) await this.assertTenantCanSign(tenant);
  }

  private async assertTenantCanSign(tenant: Tenant): Promise<void> {
    let signer: CertificateSigner;
    try {
      signer = await this.signerFor(tenant);
    } catch (error) {
      if (error instanceof AppError) throw error;
      // A stored key that does not open as a signer (no certificate for its key, say) is the
      // university's to fix, not a fault of the order: refused like a key that cannot be opened.
      throw new AppError('signer_unavailable', {
        detail: `the signing key of ${tenant.slug} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    await assertSignerWorks(signer.key, tenant.slug);
  }

  async issuability(order: IssuabilityRequest, stage: IssuabilityStage): Promise<NotIssuable | undefined> {
    const repos = this.deps.uow.repos;
    const tenant = await repos.tenants.findById(order.tenantId);
    const record = tenant && (await repos.records.findByStudentNumber(tenant.id, order.studentNumber));
    if (!tenant || !record) return undefined;
    await this.assertTenantCanSign(tenant);
    if (stage !== 'order') {
      const destination = stage === 'lookup' ? order.destination : undefined;
      const ineligible = await this.ineligible(tenant, record, destination, order.items);
      if (ineligible) return ineligible;
    }
    const courses = order.items.some((item) => item.type === 'transcript')
      ? await repos.records.listCourses(tenant.id, record.studentNumber)
      : [];
    const today = todayInJapan(this.deps.clock.now());
    const characters = new Set<string>();
    for (const item of order.items) {
      // Placeholders of the serial's and code's shape: those are Latin letters and digits.
      const ids = { serial: `${tenant.slug.toUpperCase()}-0000-000000-AAAA`, code: 'AAAA-AAAA-AAAA' };
      const data = certificateData(tenant, record, courses, item, today, ids);
      for (const char of this.deps.renderer().undrawable(data)) characters.add(char);
    }
    return characters.size > 0 ? { reason: 'undrawable', characters: [...characters] } : undefined;
  }

  async assertIssuable(order: IssuabilityRequest, stage: IssuabilityStage): Promise<void> {
    const problem = await this.issuability(order, stage);
    if (problem) throw notIssuableError(problem, order.id);
  }

  /**
   * The first line the student's record no longer allows. Before payment (a destination given)
   * the catalogue is judged again too. After payment the student has paid for the document, so a
   * decision the university made since (withdrawing the type, a destination or a language) does
   * not take it back: the certificate states facts as of its issue date, and those are still
   * true. Only a change of the student's own record that would make the statement false refuses
   * it (在学 for a withdrawn student, say); that paid reservation goes to void/release.
   */
  private async ineligible(
    tenant: Tenant,
    record: StudentRecord,
    destination: Destination | undefined,
    items: ReadonlyArray<IssueLine>,
  ): Promise<NotIssuable | undefined> {
    const catalogue = await this.deps.uow.repos.catalogue.list(tenant.id);
    const today = todayInJapan(this.deps.clock.now());
    for (const line of items) {
      const item = catalogue.find((entry) => entry.type === line.type);
      if (!item) continue;
      const to = destination ?? item.destinations[0] ?? 'campus';
      const judged = destination ? item : { ...item, active: true, destinations: [to], languages: [line.lang] };
      const verdict = availability(judged, record, to, today, line.lang);
      if (!verdict.available) return { reason: 'ineligible', type: line.type, cause: verdict.reason };
    }
    return undefined;
  }

  /** The tenant's signing key and how PDF readers name the signer (see SigningKeyService.current). */
  async signerFor(tenant: Tenant): Promise<CertificateSigner> {
    return {
      key: await this.deps.signingKeys.current(tenant),
      name: tenant.name.ja,
      reason: '証明書発行 / Certificate issuance',
      location: tenant.name.en,
    };
  }

  /**
   * `SLUG-YEAR-SEQUENCE-TAG`. The sequence is the tenant's counter, readable and in issue order;
   * the tag is random. A restored backup brings back the counter of its day, and the
   * certificates issued after it are out in the world with numbers the database no longer knows:
   * the counter alone would issue those numbers again, and nothing the restored database holds
   * can say how far to skip (what it knew was lost with it). The tag makes the whole serial
   * new without that knowledge (a repeat needs the same sequence and 1 in 2^20 luck); the
   * verification page does not trust a serial alone either (verification.service.ts).
   */
  private async serialFor(tenant: Tenant, order: IssueRequest, item: IssueLine, issueDate: string): Promise<string> {
    const certificates = this.deps.uow.repos.certificates;
    const taken = await certificates.serialFor(tenant.id, order.id, item.seq);
    if (taken) return taken;
    const year = issueDate.slice(0, 4);
    // The counter moves in the transaction that records the line's serial: an issuer that loses
    // the race rolls its step of the counter back with it, so racing fetches leave no gap (#9).
    try {
      return await this.deps.uow.run(issuanceActor(tenant.id), async (tx) => {
        const sequence = await tx.orders.nextCounter(tenant.id, `serial-${year}`);
        const serial = `${tenant.slug.toUpperCase()}-${year}-${String(sequence).padStart(6, '0')}-${serialTag()}`;
        await tx.certificates.takeSerial(tenant.id, order.id, item.seq, serial, tx.now);
        return serial;
      });
    } catch (error) {
      const winner = await certificates.serialFor(tenant.id, order.id, item.seq);
      if (!winner) throw error;
      return winner;
    }
  }

  private async render(
    tenant: Tenant,
    record: StudentRecord,
    order: IssueRequest,
    item: IssueLine,
    signer: CertificateSigner,
  ): Promise<IssuedCertificate> {
    const repos = this.deps.uow.repos;
    const now = this.deps.clock.now();
    const issueDate = todayInJapan(now);
    const serial = await this.serialFor(tenant, order, item, issueDate);
    const code = verificationCode();
    const type = item.type as CertificateType;
    const courses = type === 'transcript' ? await repos.records.listCourses(tenant.id, record.studentNumber) : [];
    const data = certificateData(tenant, record, courses, item, issueDate, { serial, code });
    const credential = await this.deps.credentials?.credentialFor(tenant, data, signer.key, now);
    const pdf = Buffer.from(
      await this.deps.renderer().render({ ...data, ...(credential && { credential }) }, now, signer),
    );
    return {
      serial,
      orderId: order.id,
      itemSeq: item.seq,
      type,
      lang: item.lang,
      studentNumber: record.studentNumber,
      verificationCode: code,
      pdfSha256: sha256(pdf),
      pdf,
      statement: statementOf(tenant, record, type, item.lang, issueDate, data.transcript),
      issuedAt: now,
      revokedAt: null,
      revokedReason: null,
      revokedCategory: null,
    };
  }
}

/** What a certificate of this line says, as the renderer draws it. */
function certificateData(
  tenant: Tenant,
  record: StudentRecord,
  courses: readonly StudentCourse[],
  item: IssueLine,
  issueDate: string,
  ids: { serial: string; code: string },
): CertificateData {
  const type = item.type as CertificateType;
  const { serial, code } = ids;
  return {
    type,
    lang: item.lang,
    calendar: tenant.policy.calendar,
    university: {
      name: tenant.name,
      presidentTitle: { ja: tenant.content.ja.presidentTitle, en: tenant.content.en.presidentTitle },
      presidentName: { ja: tenant.content.ja.presidentName, en: tenant.content.en.presidentName },
      address: { ja: tenant.content.ja.address, en: tenant.content.en.address },
    },
    holder: {
      nameKanji: record.name.kanji,
      nameKana: record.name.kana,
      nameRoman: record.name.roman,
      birthDate: record.birthDate,
      studentNumber: record.studentNumber,
      faculty: record.faculty,
      department: record.department,
      year: record.year,
      admissionDate: record.admissionDate,
      expectedGraduationDate: record.expectedGraduationDate,
    },
    issueDate,
    serial,
    verificationCode: code,
    verificationUrl: `${tenantLink(tenant, '/verify')}?code=${encodeURIComponent(code)}`,
    ...(type === 'transcript' && {
      transcript: {
        courses: courses.map((course) => ({
          academicYear: course.academicYear,
          term: course.term,
          name: course.name,
          credits: course.credits,
          grade: course.grade,
        })),
        creditsEarned: record.creditsEarned,
        gpa: record.gpaHundredths / 100,
        includeFailed: tenant.policy.transcriptIncludesFailed,
      },
    }),
    ...(type === 'course_application' && {
      courseApplication: {
        courseName: { ja: '教職課程（教育職員免許状取得のための課程）', en: 'Teacher-Training Course' },
      },
    }),
  };
}

/** The terminal's refusal for a reservation that cannot be issued (C-11). */
function notIssuableError(problem: NotIssuable, orderId: string): AppError {
  return problem.reason === 'ineligible'
    ? new AppError('reservation_ineligible', {
        detail: `order ${orderId}: ${problem.type} is no longer available to the student (${problem.cause})`,
      })
    : new AppError('reservation_undrawable', {
        detail: `order ${orderId}: no certificate font can draw ${problem.characters.map(describeCharacter).join(', ')}`,
      });
}

/** What the verification page repeats of a certificate, in the certificate's language. */
function statementOf(
  tenant: Tenant,
  record: StudentRecord,
  type: CertificateType,
  lang: Lang,
  issueDate: string,
  transcript: CertificateData['transcript'],
): CertificateStatement {
  const t = translator(lang);
  const details: string[] = [];
  if (type === 'transcript') {
    details.push(
      t('certificates.statement.transcript', {
        credits: record.creditsEarned,
        gpa: formatGpa(record.gpaHundredths),
      }),
    );
  } else if (type === 'expected_graduation') {
    details.push(t('certificates.statement.expectedGraduation', { date: record.expectedGraduationDate }));
  } else if (type === 'enrollment') {
    details.push(t('certificates.statement.enrollment', { year: record.year }));
  }
  return {
    title: t(`certificates.types.${type}`),
    holderName: lang === 'ja' ? `${record.name.kanji}（${record.name.roman}）` : record.name.roman,
    studentNumber: record.studentNumber,
    affiliation: `${tenant.name[lang]} ${record.faculty[lang]} ${record.department[lang]}`,
    issueDate,
    details,
    birthDate: record.birthDate,
    ...(transcript && { courses: statementCourses(transcript, lang, tenant.policy.calendar) }),
  };
}

/** The course rows exactly as the transcript prints them (failed ones only where it lists them). */
function statementCourses(
  transcript: NonNullable<CertificateData['transcript']>,
  lang: Lang,
  calendar: CertificateData['calendar'],
): StatementCourse[] {
  return transcript.courses
    .filter((course) => transcript.includeFailed || course.grade !== 'F')
    .map((course) => ({
      term:
        lang === 'ja'
          ? `${formatJapaneseAcademicYear(course.academicYear, calendar)}${course.term.ja}`
          : `${course.academicYear} ${course.term.en}`,
      name: course.name[lang],
      credits: course.credits,
      grade: lang === 'ja' ? japaneseGrades[course.grade] : course.grade,
    }));
}
