import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { visitorActor } from '../../platform/http/actor.js';
import { formField } from '../../platform/http/form.js';
import type { FormStates } from '../../platform/http/form-state.js';
import { AppError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/views/components.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { session } from '../auth/auth.http.js';
import type { AuthServices } from '../auth/auth.services.js';
import type { DeliveryService } from '../orders/delivery.service.js';
import type { OrderingService } from '../orders/ordering.service.js';
import {
  CredentialCheckPage,
  OrderCredentialsPage,
  type ShownCredentialVerdict,
} from './pages/credential-check.page.js';
import type { CredentialService, CredentialVerdict } from './vc.service.js';
import { MAX_VC_JWT_BYTES, VC_MEDIA_TYPE } from './vc-jose.js';

/** Public documents a VC verifier fetches: cached for a while, by anyone (not personal). */
const PUBLIC_CACHE = 'public, max-age=300';

function shown(verdict: CredentialVerdict): ShownCredentialVerdict {
  if (verdict.status === 'invalid' || verdict.status === 'unknown') return { status: verdict.status };
  const { pdf: _bytes, ...certificate } = verdict.certificate;
  return { status: verdict.status, certificate };
}

function sendCredential(reply: FastifyReply, serial: string, jwt: string) {
  return reply
    .type(VC_MEDIA_TYPE)
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${serial}.vc.jwt"`)
    .send(jwt);
}

/**
 * What a verifier submitted: the pasted text, else the uploaded file; `tooLarge` past the limit.
 * The multipart plugin puts fields and the one file in the body (app.ts), before the CSRF check.
 */
function submitted(request: FastifyRequest): string | 'tooLarge' | undefined {
  const file = (request.body as Record<string, unknown> | undefined)?.credentialFile;
  const pasted = formField(request.body, 'credential', MAX_VC_JWT_BYTES + 1);
  const uploaded = Buffer.isBuffer(file) ? file : undefined;
  if (pasted.length > MAX_VC_JWT_BYTES || (uploaded?.length ?? 0) > MAX_VC_JWT_BYTES) return 'tooLarge';
  return pasted.trim() || uploaded?.toString('utf8').trim() || undefined;
}

/**
 * Verifiable Credentials (#9 §5): the university's DID document and status lists (public), the
 * credential check beside the verification page (public, read-only, rate-limited), and the
 * downloads of a student's own credentials and of a digital recipient's.
 */
export async function credentialRoutes(
  app: FastifyInstance,
  {
    credentials,
    auth,
    orders,
    deliveries,
    forms,
  }: {
    credentials: CredentialService;
    auth: AuthServices;
    orders: OrderingService;
    deliveries: DeliveryService;
    forms: FormStates;
  },
) {
  const loggedIn = { preHandler: auth.http.requireSession };

  app.get('/did.json', async (request, reply) => {
    const document = await credentials.didDocument(request.tenant);
    if (!document) throw new AppError('not_found');
    return reply.type('application/did+json').header('cache-control', PUBLIC_CACHE).send(document);
  });

  app.get('/credentials/status/:list', async (request, reply) => {
    const list = (request.params as { list: string }).list;
    const jwt = /^[1-9]\d{0,5}$/.test(list) ? await credentials.statusList(request.tenant, Number(list)) : undefined;
    if (!jwt) throw new AppError('not_found');
    return reply.type(VC_MEDIA_TYPE).header('cache-control', PUBLIC_CACHE).send(jwt);
  });

  app.get('/verify/credential', async (request, reply) => {
    const kept = await forms.recall<Record<string, never>, ShownCredentialVerdict>(request, reply);
    return sendPage(
      request,
      reply,
      <CredentialCheckPage verdict={kept?.extra} errors={kept?.errors ?? []} />,
      kept?.status ?? 200,
    );
  });

  // Reading only, like the verification page's forms: nothing to forge, so no CSRF token.
  app.post('/verify/credential', { config: { csrf: false } }, async (request, reply) => {
    const again = (errors: FieldError[], verdict?: ShownCredentialVerdict) =>
      forms.redirect(request, reply, `${tenantBase(request)}/verify/credential`, {
        values: {},
        errors,
        status: errors.length > 0 ? 422 : 200,
        ...(verdict && { extra: verdict }),
      });
    const text = submitted(request);
    if (text === undefined) return again([{ field: 'credential', message: 'certificates.credential.required' }]);
    if (text === 'tooLarge') return again([{ field: 'credential', message: 'certificates.credential.tooLarge' }]);
    const verdict = await credentials.verify(request.tenant, text, visitorActor(request, request.tenant.id));
    return again([], shown(verdict));
  });

  app.get('/orders/:id/credentials', loggedIn, async (request, reply) => {
    const order = await orders.find(request.tenant, session(request).account, (request.params as { id: string }).id);
    if (!order) throw new AppError('not_found');
    const lines = (await credentials.forOrder(request.tenant, order.id)).map(({ certificate, credential }) => ({
      serial: certificate.serial,
      type: certificate.type,
      revokedAt: certificate.revokedAt,
      hasCredential: credential !== undefined,
    }));
    return sendPage(request, reply, <OrderCredentialsPage orderId={order.id} lines={lines} />);
  });

  app.get('/orders/:id/credentials/:serial', loggedIn, async (request, reply) => {
    const { id, serial } = request.params as { id: string; serial: string };
    const order = await orders.find(request.tenant, session(request).account, id);
    const line =
      order && (await credentials.forOrder(request.tenant, order.id)).find((l) => l.certificate.serial === serial);
    if (!line?.credential || line.certificate.revokedAt !== null) throw new AppError('not_found');
    return sendCredential(reply, serial, line.credential.jwt);
  });

  // The recipient's Download button beside the PDF's: the same checks and the same count (C-9, L-18).
  app.post('/delivery/credential', async (request, reply) => {
    const token = formField(request.body, 'token', 256);
    const result = await deliveries.download(
      request.tenant,
      token,
      formField(request.body, 'serial', 64),
      visitorActor(request, request.tenant.id),
    );
    const credential =
      result.status === 'ok' ? await credentials.find(request.tenant, result.certificate.serial) : undefined;
    if (result.status !== 'ok' || !credential)
      return reply.redirect(`${tenantBase(request)}/delivery?token=${encodeURIComponent(token)}`, 303);
    return sendCredential(reply, credential.serial, credential.jwt);
  });
}
