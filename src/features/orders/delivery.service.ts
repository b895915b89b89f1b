import type { Repositories, Store } from '../../db/repositories.js';
import type { Clock } from '../../platform/clock.js';
import { randomToken, type SecretHasher } from '../../platform/crypto.js';
import { formatDateTime } from '../../platform/format.js';
import { translator } from '../../platform/i18n.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.repository.js';
import type { Mailer } from '../mail/mailer.js';
import type { Tenant } from '../tenants/tenant.model.js';
import type { Order } from './order.model.js';
import type { DigitalDelivery } from './order.service.js';
import type { Issuer } from './terminal.service.js';

const PURPOSE = 'digital-delivery';

export type DownloadPage =
  | { status: 'ok'; order: Order; certificates: IssuedCertificate[]; expiresAt: number; recipientName: string }
  | { status: 'expired' | 'unknown' };

/**
 * Digital delivery (C-9): the signed PDFs go to a named recipient as a download link valid for
 * the tenant's period (90 days by default). Opening the link shows a page; the Download button
 * counts the retrieval, which the student sees on the order history.
 */
export class DeliveryService implements DigitalDelivery {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly secrets: SecretHasher,
    private readonly issuer: Issuer,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  /** Issues the PDFs; call before the transaction that delivers (rendering must not hold it). */
  prepare(order: Order): Promise<IssuedCertificate[]> {
    return this.issuer.ensureIssued(order);
  }

  /** Runs inside the staff transaction that marks the order paid: the link and its mail. */
  async deliver(
    repos: Repositories,
    tenant: Tenant,
    order: Order,
    certificates: IssuedCertificate[],
    now: number,
  ): Promise<void> {
    if (!order.recipient) throw new Error(`digital order ${order.id} has no recipient`);
    const token = randomToken();
    const expiresAt = now + tenant.policy.digitalLinkDays * 86_400_000;
    await repos.deliveries.insert(
      tenant.id,
      {
        orderId: order.id,
        recipientName: order.recipient.name,
        recipientEmail: order.recipient.email,
        expiresAt,
        firstRetrievedAt: null,
        retrievals: 0,
      },
      this.secrets.hash(PURPOSE, token),
    );
    const record = await repos.records.findByStudentNumber(tenant.id, order.studentNumber);
    const t = translator(order.lang);
    await this.mailer.queue(
      repos,
      tenant,
      {
        event: 'digitalDelivery',
        lang: order.lang,
        to: order.recipient.email,
        params: {
          recipient: order.recipient.name,
          studentName: order.lang === 'ja' ? (record?.name.kanji ?? '') : (record?.name.roman ?? ''),
          documents: certificates.map((c) => `- ${t(`certificates.types.${c.type}`)} (${c.serial})`).join('\n'),
          expiry: formatDateTime(expiresAt, order.lang),
          url: `${this.publicUrl}/${tenant.slug}/delivery?token=${encodeURIComponent(token)}`,
          verifyUrl: `${this.publicUrl}/${tenant.slug}/verify`,
        },
      },
      now,
    );
  }

  /** What the link's page shows; reading it uses nothing (L-18). */
  async page(tenant: Tenant, token: string): Promise<DownloadPage> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'unknown' };
    const delivery = await this.store.repos.deliveries.findByToken(tenant.id, this.secrets.hash(PURPOSE, token));
    if (!delivery) return { status: 'unknown' };
    if (delivery.expiresAt <= this.clock.now()) return { status: 'expired' };
    const order = await this.store.repos.orders.find(tenant.id, delivery.orderId);
    if (!order || order.state === 'cancelled') return { status: 'unknown' };
    const certificates = await this.store.repos.certificates.listForOrder(tenant.id, order.id);
    return { status: 'ok', order, certificates, expiresAt: delivery.expiresAt, recipientName: delivery.recipientName };
  }

  /** The Download button: counts the retrieval and hands over one certificate. */
  async download(tenant: Tenant, token: string, serial: string): Promise<IssuedCertificate | 'expired' | 'unknown'> {
    const page = await this.page(tenant, token);
    if (page.status !== 'ok') return page.status;
    const certificate = page.certificates.find((c) => c.serial === serial);
    if (!certificate) return 'unknown';
    const now = this.clock.now();
    await this.store.transaction(async (repos) => {
      if (!(await repos.deliveries.recordRetrieval(tenant.id, page.order.id, now))) return;
      if (page.order.state === 'delivered') {
        await repos.orders.advance(tenant.id, page.order.id, 'delivered', 'retrieved', now);
      }
    });
    return certificate;
  }

  forOrder(tenant: Tenant, order: Order) {
    return this.store.repos.deliveries.findForOrder(tenant.id, order.id);
  }
}
