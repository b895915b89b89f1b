import type { FastifyInstance } from 'fastify';
import { addressee } from '../../platform/addressee.js';
import { formatDateTime } from '../../platform/format.js';
import { Button, Form, Message } from '../../platform/views/components.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { visitorActor } from '../../platform/http/actor.js';
import { formField, queryField } from '../../platform/http/form.js';
import type { FormStates } from '../../platform/http/form-state.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import type { DeliveryService } from './delivery.service.js';

function DownloadPage({
  token,
  certificates,
  expiresAt,
  recipientName,
}: {
  token: string;
  certificates: IssuedCertificate[];
  expiresAt: number;
  recipientName: string;
}) {
  const { t, base, lang } = usePage();
  return (
    <Layout title={t('orders.delivery.title')}>
      <p>{t('orders.delivery.intro', { recipient: addressee(recipientName, lang) })}</p>
      <p>{t('orders.delivery.validUntil', { expiry: formatDateTime(expiresAt, lang) })}</p>
      <ul class="documents">
        {certificates.map((certificate) => (
          <li key={certificate.serial}>
            {certificate.revokedAt === null ? (
              <Form action={`${base}/delivery`}>
                <input type="hidden" name="token" value={token} />
                <input type="hidden" name="serial" value={certificate.serial} />
                <span>
                  {t(`certificates.types.${certificate.type}`)} ({certificate.serial})
                </span>{' '}
                <Button>{t('orders.delivery.download')}</Button>
              </Form>
            ) : (
              <p>
                {t(`certificates.types.${certificate.type}`)} ({certificate.serial}):{' '}
                {t('orders.delivery.revokedOn', { at: formatDateTime(certificate.revokedAt, lang) })}
              </p>
            )}
            {certificate.revokedAt === null && (
              <Form action={`${base}/delivery/credential`}>
                <input type="hidden" name="token" value={token} />
                <input type="hidden" name="serial" value={certificate.serial} />
                <Button variant="secondary">{t('orders.delivery.downloadCredential')}</Button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      <p>
        <a href={`${base}/verify`}>{t('orders.delivery.verify')}</a>
      </p>
    </Layout>
  );
}

interface Problem {
  problem: 'expired' | 'unknown' | 'revoked';
}

function DeliveryProblemPage({ status }: { status: Problem['problem'] }) {
  const { t } = usePage();
  return (
    <Layout title={t(`orders.delivery.${status}.title`)}>
      <Message kind="warning">
        <p>{t(`orders.delivery.${status}.body`)}</p>
      </Message>
    </Layout>
  );
}

/** The recipient's download link (C-9): GET shows the page, the Download button (POST) counts it (L-18). */
export async function deliveryRoutes(
  app: FastifyInstance,
  { deliveries, forms }: { deliveries: DeliveryService; forms: FormStates },
) {
  app.get('/delivery', async (request, reply) => {
    const token = queryField(request.query, 'token');
    const kept = await forms.recall<Record<string, never>, Problem>(request, reply);
    if (kept?.extra) return sendPage(request, reply, <DeliveryProblemPage status={kept.extra.problem} />, kept.status);
    const page = await deliveries.page(request.tenant, token);
    if (page.status !== 'ok') return sendPage(request, reply, <DeliveryProblemPage status={page.status} />, 410);
    return sendPage(
      request,
      reply,
      <DownloadPage
        token={token}
        certificates={page.certificates}
        expiresAt={page.expiresAt}
        recipientName={page.recipientName}
      />,
    );
  });

  app.post('/delivery', async (request, reply) => {
    const token = formField(request.body, 'token', 256);
    const result = await deliveries.download(
      request.tenant,
      token,
      formField(request.body, 'serial', 64),
      visitorActor(request, request.tenant.id),
    );
    // What went wrong is shown after a redirect, so Back and reload never resubmit (#10 §1).
    if (result.status !== 'ok')
      return forms.redirect<Record<string, never>, Problem>(
        request,
        reply,
        `${tenantBase(request)}/delivery?token=${encodeURIComponent(token)}`,
        { values: {}, errors: [], status: 410, extra: { problem: result.status } },
      );
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${result.certificate.serial}.pdf"`)
      .send(result.certificate.pdf);
  });
}
