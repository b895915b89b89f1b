import type { Work } from '../../db/unit-of-work.js';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import { randomToken } from '../../platform/crypto.js';
import { addressee } from '../../platform/addressee.js';
import { formatDateTime } from '../../platform/format.js';
import { translator } from '../../platform/i18n.js';
import type { Issuer } from '../certificates/issuance.service.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import type { Order } from './order.model.js';

const PURPOSE = 'digital-delivery';

export type DownloadPage =
  | { status: 'ok'; order: Order; certificates: IssuedCertificate[]; expiresAt: number; recipientName: string }
  | { status: 'expired' | 'unknown' };

/**
 * Digital delivery (C-9): the signed PDFs go to a named recipient as a download link valid for
 * the tenant's period (90 days by default). Opening the link shows a page; the Download button
 * counts the retrieval, which the student sees on the order history.
 */
export class DeliveryService {
  constructor(
    private readonly deps: Pick<Infrastructure, 'config' | 'uow' | 'clock' | 'secrets' | 'mailer'> & { issuer: Issuer },
  ) {}

  /** Issues the PDFs; call before the transaction that delivers (rendering must not hold it). */
  prepare(order: Order): Promise<IssuedCertificate[]> {
    return this.deps.issuer.ensureIssued(order);
  }

  /** Runs inside the staff transaction that marks the order paid: the link and its mail. */
  async deliver(tx: Work, tenant: Tenant, order: Order, certificates: IssuedCertificate[]): Promise<void> {
    if (!order.recipient) throw new Error(`digital order ${order.id} has no recipient`);
    const token = randomToken();
    const expiresAt = tx.now + tenant.policy.digitalLinkDays * 86_400_000;
    await tx.deliveries.insert(
      tenant.id,
      {
        orderId: order.id,
        recipientName: order.recipient.name,
        recipientEmail: order.recipient.email,
        expiresAt,
        firstRetrievedAt: null,
        retrievals: 0,
      },
      this.deps.secrets.hash(PURPOSE, token),
    );
    const record = await tx.records.findByStudentNumber(tenant.id, order.studentNumber);
    const lang = order.recipient.lang ?? order.lang;
    const t = translator(lang);
    await this.deps.mailer.queue(tx, tenant, {
      event: 'digitalDelivery',
      lang,
      to: order.recipient.email,
      params: {
        recipient: addressee(order.recipient.name, lang),
        studentName: lang === 'ja' ? (record?.name.kanji ?? '') : (record?.name.roman ?? ''),
        documents: certificates.map((c) => `- ${t(`certificates.types.${c.type}`)} (${c.serial})`).join('\n'),
        expiry: formatDateTime(expiresAt, lang),
        url: `${tenantLink(tenant, '/delivery')}?token=${encodeURIComponent(token)}`,
        verifyUrl: tenantLink(tenant, '/verify'),
      },
    });
  }

  /** What the link's page shows; reading it uses nothing (L-18). */
  async page(tenant: Tenant, token: string): Promise<DownloadPage> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'unknown' };
    const repos = this.deps.uow.repos;
    const delivery = await repos.deliveries.findByToken(tenant.id, this.deps.secrets.hash(PURPOSE, token));
    if (!delivery) return { status: 'unknown' };
    if (delivery.expiresAt <= this.deps.clock.now()) return { status: 'expired' };
    const order = await repos.orders.find(tenant.id, delivery.orderId);
    if (!order || order.state === 'cancelled') return { status: 'unknown' };
    const certificates = await repos.certificates.listForOrder(tenant.id, order.id);
    return { status: 'ok', order, certificates, expiresAt: delivery.expiresAt, recipientName: delivery.recipientName };
  }

  /** The Download button: counts the retrieval and hands over one certificate. */
  async download(
    tenant: Tenant,
    token: string,
    serial: string,
    actor: Actor,
  ): Promise<{ status: 'ok'; certificate: IssuedCertificate } | { status: 'expired' | 'unknown' | 'revoked' }> {
    const page = await this.page(tenant, token);
    if (page.status !== 'ok') return page;
    const certificate = page.certificates.find((c) => c.serial === serial);
    if (!certificate) return { status: 'unknown' };
    // Revocation stops delivery (#8): the link may outlive the certificate by months.
    if (certificate.revokedAt !== null) return { status: 'revoked' };
    await this.deps.uow.run(actor, async (tx) => {
      if (!(await tx.deliveries.recordRetrieval(tenant.id, page.order.id, tx.now))) return;
      if (page.order.state === 'delivered') {
        await tx.orders.advance(tenant.id, page.order.id, 'delivered', 'retrieved', tx.now);
      }
    });
    return { status: 'ok', certificate };
  }

  forOrder(tenant: Tenant, order: Order) {
    return this.deps.uow.repos.deliveries.findForOrder(tenant.id, order.id);
  }
}
