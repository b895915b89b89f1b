import { createHash } from 'node:crypto';
import forge from 'node-forge';
import type { Infrastructure } from '../../infrastructure.js';
import { todayInJapan } from '../../platform/clock.js';
import { serialTag, verificationCode } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { Lang } from '../../platform/i18n.js';
import { translator } from '../../platform/i18n.js';
import { type StudentRecord, formatGpa } from '../records/record.model.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import { type CertificateData, type CertificateType, japaneseGrades } from './certificate.model.js';
import type { CertificateStatement, IssuedCertificate, StatementCourse } from './issued-certificate.model.js';
import type { CertificateRenderer } from './pdf/certificate.renderer.js';
import { type CertificateSigner, createDevelopmentSigner } from './pdf/certificate.signing.js';
import { formatJapaneseAcademicYear } from './pdf/dates.js';
import { openPkcs12Signer } from './signing/pkcs12-signer.js';
import { isDevelopmentSigner } from './signing-key.model.js';

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

/** Turns an order's documents into PDFs once; later calls return the same certificates. */
export interface Issuer {
  ensureIssued(order: IssueRequest): Promise<IssuedCertificate[]>;
  /** Refuses (`signer_unavailable`) before money is taken for documents that could not be signed. */
  assertCanIssue(tenantId: string): Promise<void>;
}

/** Whether each university can sign, as the start-up check and readiness report it. */
export interface SignerReport {
  usable: string[];
  unusable: Array<{ slug: string; reason: string }>;
}

/**
 * Turns an order's lines into signed PDFs (C-6) and records them (serial, type, holder, hash,
 * time, order) so the verification page (C-7) can vouch for them. Each line is issued once: a
 * unique key on (order, line) makes a second, racing attempt fail and read the first.
 */
export class IssuanceService implements Issuer {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'config' | 'logger' | 'box' | 'metrics'> & {
      /** Built on first use: parsing the fonts is paid once, and only by instances that issue. */
      renderer: () => CertificateRenderer;
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

  /**
   * Replaces the tenant's signing key with the university's own (PKCS#12), after checking that
   * the passphrase opens it and it holds a key and a certificate.
   */
  async importSigner(tenant: Tenant, p12: Buffer, passphrase: string): Promise<void> {
    const certificatePem = certificateFromP12(p12, passphrase);
    await this.deps.uow.repos.signingKeys.replace(
      tenant.id,
      { p12Base64: p12.toString('base64'), passphraseSealed: this.deps.box.seal(passphrase), certificatePem },
      this.deps.clock.now(),
    );
  }

  /** Whether the university signs with a key it imported, not the development key (#13). */
  async hasOwnSigner(tenant: Tenant): Promise<boolean> {
    const stored = await this.deps.uow.repos.signingKeys.find(tenant.id);
    return stored !== undefined && !isDevelopmentSigner(stored.certificatePem);
  }

  async assertCanIssue(tenantId: string): Promise<void> {
    const tenant = await this.deps.uow.repos.tenants.findById(tenantId);
    if (tenant) await this.signerFor(tenant);
  }

  /** Whether issuance would sign (readiness): a missing signer is made on first use, so it counts as usable. */
  async signerOpens(tenant: Tenant): Promise<boolean> {
    const stored = await this.deps.uow.repos.signingKeys.find(tenant.id);
    if (!stored) return true;
    try {
      this.deps.box.open(stored.passphraseSealed);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Opens every university's signer once (making the missing ones), so a key that cannot be
   * opened is in the log at start — and only that university refuses issuance; start-up goes on.
   */
  async checkSigners(): Promise<SignerReport> {
    const report: SignerReport = { usable: [], unusable: [] };
    for (const tenant of await this.deps.uow.repos.tenants.list()) {
      try {
        await this.signerFor(tenant);
        report.usable.push(tenant.slug);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'signer_unavailable') throw error;
        report.unusable.push({ slug: tenant.slug, reason: error.options.detail ?? error.code });
      }
    }
    return report;
  }

  /**
   * The tenant's signing key; a university without one gets a self-signed development key.
   * Refuses with `signer_unavailable` when its passphrase does not open with this SECRET_KEY
   * (nor SECRET_KEY_PREVIOUS) — a rotation without the previous key, or the wrong key.
   */
  async signerFor(tenant: Tenant): Promise<CertificateSigner> {
    const repos = this.deps.uow.repos;
    let stored = await repos.signingKeys.find(tenant.id);
    if (!stored) {
      const made = createDevelopmentSigner(`${tenant.name.en} (development)`, tenant.name.en, this.deps.clock.now());
      await repos.signingKeys.insert(
        tenant.id,
        {
          p12Base64: made.p12Base64,
          passphraseSealed: this.deps.box.seal(made.passphrase),
          certificatePem: made.certificatePem,
        },
        this.deps.clock.now(),
      );
      this.deps.logger.warn(
        { tenant: tenant.slug },
        'made a self-signed development signing certificate; import the university’s own for production',
      );
      stored = await repos.signingKeys.find(tenant.id);
    }
    if (!stored) throw new Error('signer vanished after insert');
    let passphrase: string;
    try {
      passphrase = this.deps.box.open(stored.passphraseSealed);
    } catch (error) {
      this.deps.logger.error(
        { tenant: tenant.slug, err: error },
        'the signing key’s passphrase cannot be opened with SECRET_KEY or SECRET_KEY_PREVIOUS; this university cannot issue certificates (see docs/operations/keys.md)',
      );
      throw new AppError('signer_unavailable', {
        detail: `the signing key of ${tenant.slug} was sealed under another SECRET_KEY: set that key as SECRET_KEY_PREVIOUS, or import the key again (shomei signer import)`,
        cause: error,
      });
    }
    return {
      key: openPkcs12Signer(Buffer.from(stored.p12Base64, 'base64'), passphrase),
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
  private async nextSerial(tenant: Tenant, issueDate: string): Promise<string> {
    const year = issueDate.slice(0, 4);
    const sequence = await this.deps.uow.repos.orders.nextCounter(tenant.id, `serial-${year}`);
    return `${tenant.slug.toUpperCase()}-${year}-${String(sequence).padStart(6, '0')}-${serialTag()}`;
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
    const serial = await this.nextSerial(tenant, issueDate);
    const code = verificationCode();
    const type = item.type as CertificateType;
    const courses = type === 'transcript' ? await repos.records.listCourses(tenant.id, record.studentNumber) : [];
    const data: CertificateData = {
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
    const pdf = Buffer.from(await this.deps.renderer().render(data, now, signer));
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
    };
  }
}

/** The certificate inside a PKCS#12, or a clear error when the file or passphrase is wrong. */
function certificateFromP12(p12: Buffer, passphrase: string): string {
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
    const parsed = forge.pkcs12.pkcs12FromAsn1(asn1, passphrase);
    const certBag = forge.pki.oids.certBag as string;
    const keyBag = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const bags = parsed.getBags({ bagType: certBag })[certBag] ?? [];
    const keys = parsed.getBags({ bagType: keyBag })[keyBag] ?? [];
    const certificate = bags[0]?.cert;
    if (!certificate || keys.length === 0)
      throw new AppError('signer_invalid', { detail: 'the PKCS#12 file must hold a private key and its certificate' });
    return forge.pki.certificateToPem(certificate);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('signer_invalid', {
      detail: `cannot open the PKCS#12 file: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
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
