import { createHash } from 'node:crypto';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { normalizeVerificationCode } from '../../platform/crypto.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { IssuedCertificate } from './issued-certificate.model.js';
import { readCertificateIds } from './pdf/document-info.js';

export type Verdict =
  | { status: 'genuine'; certificate: IssuedCertificate }
  | { status: 'revoked'; certificate: IssuedCertificate }
  /** A file that names a certificate we issued but is not byte for byte what we issued. */
  | { status: 'altered'; certificate: IssuedCertificate }
  | { status: 'unknown' };

const MAX_PDF_BYTES = 5 * 1024 * 1024;

/**
 * The public verification page (C-7): a code typed from the paper, or the PDF itself. A PDF is
 * genuine only if its SHA-256 is one we recorded at issue; a file that carries one of our codes
 * (and the serial that goes with it) but another hash has been altered. Revocation outranks
 * everything.
 */
export class VerificationService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'>) {}

  async byCode(tenant: Tenant, typed: string): Promise<Verdict> {
    const code = normalizeVerificationCode(typed);
    if (!/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code)) return { status: 'unknown' };
    const certificate = await this.deps.uow.repos.certificates.findByCode(tenant.id, code);
    if (!certificate) return { status: 'unknown' };
    return certificate.revokedAt === null ? { status: 'genuine', certificate } : { status: 'revoked', certificate };
  }

  async byFile(tenant: Tenant, pdf: Buffer): Promise<Verdict> {
    if (pdf.length === 0 || pdf.length > MAX_PDF_BYTES) return { status: 'unknown' };
    const hash = createHash('sha256').update(pdf).digest('hex');
    const exact = await this.deps.uow.repos.certificates.findByHash(tenant.id, hash);
    if (exact)
      return exact.revokedAt === null
        ? { status: 'genuine', certificate: exact }
        : { status: 'revoked', certificate: exact };
    const ids = await readCertificateIds(pdf).catch(() => ({}) as { verificationCode?: string; serial?: string });
    const named = ids.verificationCode
      ? await this.deps.uow.repos.certificates.findByCode(tenant.id, ids.verificationCode)
      : undefined;
    // Altered means "we issued this one and it was changed": its random code names our record and
    // its serial agrees with it. A file whose code we do not know (a certificate issued after the
    // backup a restore went back to, or a forgery) is unknown, however its serial matches (#13).
    if (!named || (ids.serial !== undefined && ids.serial !== named.serial)) return { status: 'unknown' };
    return named.revokedAt === null
      ? { status: 'altered', certificate: named }
      : { status: 'revoked', certificate: named };
  }

  /** Revokes an unrevoked certificate; `notFound` when there is none by that serial. */
  async revoke(
    tenant: Tenant,
    serial: string,
    reason: string,
    actor: Actor,
  ): Promise<{ status: 'revoked' | 'notFound' }> {
    return this.deps.uow.run(actor, async (tx) => {
      if (!(await tx.certificates.revoke(tenant.id, serial, reason, tx.now))) return { status: 'notFound' };
      await tx.audit('certificate.revoked', { detail: { serial, reason } });
      return { status: 'revoked' };
    });
  }
}
