import { createHash } from 'node:crypto';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { normalizeVerificationCode } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { LimitName } from '../../platform/rate-limit.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { IssuedCertificate, Revocation } from './issued-certificate.model.js';
import { type AddedAfterSigning, addedAfter, signedRevisionEnds } from './pdf/signed-revisions.js';
import type { UntrustedPdfReader } from './pdf/untrusted-pdf.js';

export type { AddedAfterSigning } from './pdf/signed-revisions.js';

/**
 * What the page may say. Only a caller who proved they hold the certificate (its code, the exact
 * file, or a file whose signed revision is exactly what was issued) is shown what it states;
 * every other verdict carries nothing personal (C-13).
 */
export type Verdict =
  | { status: 'genuine' | 'revoked'; certificate: IssuedCertificate; added?: AddedAfterSigning }
  /** A file that carries the code of a certificate we issued but is not what we issued. */
  | { status: 'altered' }
  | { status: 'unknown' }
  /** A file too costly to read within the limits, or the readers were all busy. */
  | { status: 'unchecked' };

const MAX_PDF_BYTES = 5 * 1024 * 1024;

/**
 * The public verification page (C-7, C-13): a code typed from the paper, or the PDF itself. A PDF
 * is genuine only if its SHA-256, or that of the revision its signature covers, is one we
 * recorded at issue. Revocation outranks everything. A serial is never a key here: serials are
 * printed on paper and readable from any file, the code is the secret (#9 §1).
 */
export class VerificationService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'limits'> & { pdfs: UntrustedPdfReader }) {}

  async byCode(tenant: Tenant, typed: string, actor: Actor): Promise<Verdict> {
    await this.countCheck(tenant, actor, 'verifyCodesPerIp', 'verifyCodesPerTenant');
    const code = normalizeVerificationCode(typed);
    if (!/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code)) return { status: 'unknown' };
    const certificate = await this.deps.uow.repos.certificates.findByCode(tenant.id, code);
    if (!certificate) return { status: 'unknown' };
    return held(certificate);
  }

  async byFile(tenant: Tenant, pdf: Buffer, actor: Actor): Promise<Verdict> {
    await this.countCheck(tenant, actor, 'verifyFilesPerIp', 'verifyFilesPerTenant');
    if (pdf.length === 0 || pdf.length > MAX_PDF_BYTES) return { status: 'unknown' };
    const certificates = this.deps.uow.repos.certificates;
    const exact = await certificates.findByHash(tenant.id, sha256(pdf));
    if (exact) return held(exact);
    // Harmless bytes after %%EOF or an incremental update keep the signed revision intact. One
    // running hash reads the file once, however many signatures it claims.
    const running = createHash('sha256');
    let hashed = 0;
    for (const end of signedRevisionEnds(pdf)) {
      running.update(pdf.subarray(hashed, end));
      hashed = end;
      const signed = await certificates.findByHash(tenant.id, running.copy().digest('hex'));
      if (signed) return held(signed, addedAfter(pdf, end));
    }
    const reading = await this.deps.pdfs.read(pdf);
    if (reading.status === 'unchecked') return { status: 'unchecked' };
    const { verificationCode, serial } = reading.ids;
    const named = verificationCode ? await certificates.findByCode(tenant.id, verificationCode) : undefined;
    // Altered means "we issued this one and it was changed": its random code names our record and
    // its serial agrees with it. A file whose code we do not know (a certificate issued after the
    // backup a restore went back to, or a forgery) is unknown, however its serial matches (#13).
    if (!named || (serial !== undefined && serial !== named.serial)) return { status: 'unknown' };
    return { status: 'altered' };
  }

  /**
   * Revokes an unrevoked certificate; `notFound` when there is none by that serial. The public
   * pages say the category; the note stays in the record and the audit log (#12 A-5). The audit
   * entry is about the certificate's order, so the order's history in the console lists it.
   */
  async revoke(
    tenant: Tenant,
    serial: string,
    revocation: Revocation,
    actor: Actor,
  ): Promise<{ status: 'revoked' | 'notFound' }> {
    return this.deps.uow.run(actor, async (tx) => {
      const certificate = await tx.certificates.findBySerial(tenant.id, serial);
      if (!certificate || !(await tx.certificates.revoke(tenant.id, serial, revocation, tx.now)))
        return { status: 'notFound' };
      await tx.audit('certificate.revoked', {
        subject: certificate.orderId,
        detail: { serial, category: revocation.category, note: revocation.note, staffId: actor.staffId ?? null },
      });
      return { status: 'revoked' };
    });
  }

  async close(): Promise<void> {
    await this.deps.pdfs.close();
  }

  /** Per address first, so one busy address meets its own limit before the university's. */
  private async countCheck(tenant: Tenant, actor: Actor, perIp: LimitName, perTenant: LimitName): Promise<void> {
    try {
      await this.deps.limits.consume(perIp, actor.ip ?? 'no address');
      await this.deps.limits.consume(perTenant, tenant.id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error;
      const { retryAfterSeconds } = error.options;
      throw new AppError('verification_rate_limited', retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
    }
  }
}

function held(certificate: IssuedCertificate, added?: AddedAfterSigning): Verdict {
  return {
    status: certificate.revokedAt === null ? 'genuine' : 'revoked',
    certificate,
    ...(added && { added }),
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
