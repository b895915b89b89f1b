import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Lang } from '../../platform/i18n.js';
import type { IssuedCertificateTable } from './issued-certificate.table.js';
import type {
  CertificateStatement,
  IssuedCertificate,
  Revocation,
  RevocationCategory,
} from './issued-certificate.model.js';

function toCertificate(row: Selectable<IssuedCertificateTable>): IssuedCertificate {
  return {
    serial: row.serial,
    orderId: row.order_id,
    itemSeq: row.item_seq,
    type: row.type,
    lang: row.lang as Lang,
    studentNumber: row.student_number,
    verificationCode: row.verification_code,
    pdfSha256: row.pdf_sha256,
    pdf: Buffer.from(row.pdf_base64, 'base64'),
    statement: JSON.parse(row.statement) as CertificateStatement,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    revokedCategory: (row.revoked_category as RevocationCategory | null) ?? null,
  };
}

export class IssuedCertificateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, certificate: IssuedCertificate): Promise<void> {
    await this.db
      .insertInto('issued_certificates')
      .values({
        tenant_id: tenantId,
        serial: certificate.serial,
        order_id: certificate.orderId,
        item_seq: certificate.itemSeq,
        type: certificate.type,
        lang: certificate.lang,
        student_number: certificate.studentNumber,
        verification_code: certificate.verificationCode,
        pdf_sha256: certificate.pdfSha256,
        pdf_base64: certificate.pdf.toString('base64'),
        statement: JSON.stringify(certificate.statement),
        issued_at: certificate.issuedAt,
        revoked_at: null,
        revoked_reason: null,
        revoked_category: null,
      })
      .execute();
  }

  async listForOrder(tenantId: string, orderId: string): Promise<IssuedCertificate[]> {
    const rows = await this.db
      .selectFrom('issued_certificates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', '=', orderId)
      .orderBy('item_seq')
      .orderBy('serial')
      .execute();
    return rows.map(toCertificate);
  }

  async findByCode(tenantId: string, code: string): Promise<IssuedCertificate | undefined> {
    const row = await this.db
      .selectFrom('issued_certificates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('verification_code', '=', code)
      .executeTakeFirst();
    return row && toCertificate(row);
  }

  async findBySerial(tenantId: string, serial: string): Promise<IssuedCertificate | undefined> {
    const row = await this.db
      .selectFrom('issued_certificates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('serial', '=', serial)
      .executeTakeFirst();
    return row && toCertificate(row);
  }

  async findByHash(tenantId: string, sha256: string): Promise<IssuedCertificate | undefined> {
    const row = await this.db
      .selectFrom('issued_certificates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('pdf_sha256', '=', sha256)
      .executeTakeFirst();
    return row && toCertificate(row);
  }

  async revoke(tenantId: string, serial: string, revocation: Revocation, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('issued_certificates')
      .set({ revoked_at: now, revoked_reason: revocation.note, revoked_category: revocation.category })
      .where('tenant_id', '=', tenantId)
      .where('serial', '=', serial)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** The serial already taken for an order line, if any. */
  async serialFor(tenantId: string, orderId: string, itemSeq: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('certificate_serials')
      .select('serial')
      .where('tenant_id', '=', tenantId)
      .where('order_id', '=', orderId)
      .where('item_seq', '=', itemSeq)
      .executeTakeFirst();
    return row?.serial;
  }

  /** Takes a serial for an order line; fails on the primary key when another issuer took one first. */
  async takeSerial(tenantId: string, orderId: string, itemSeq: number, serial: string, now: number): Promise<void> {
    await this.db
      .insertInto('certificate_serials')
      .values({ tenant_id: tenantId, order_id: orderId, item_seq: itemSeq, serial, created_at: now })
      .execute();
  }
}
