import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.js';
import { queryField } from '../../../platform/http/form.js';
import type { FieldError } from '../../../platform/views/components.js';
import { sendPage } from '../../../platform/views/render.js';
import type { ConsoleSection } from '../../staff/staff.services.js';
import { session, staffBase } from '../../staff/staff.http.js';
import { SigningKeysPage } from './pages/signing-key-console.pages.js';

/**
 * #12 §4: an administrator's signing keys — the certificate that signs (subject, issuer,
 * validity, SHA-256 fingerprint), the keys before it, and the import of a PKCS#12 after a recent
 * second factor, through the same checks as `shomei signer import`.
 */
export const signingKeyConsoleRoutes: ConsoleSection = async (app, { staff, services }) => {
  const { http } = staff;
  const page = (request: FastifyRequest) => `${staffBase(request)}/keys`;

  app.get('/keys', { preHandler: http.requireStaff('administrator') }, async (request, reply) => {
    const kept = await http.forms.recall(request, reply);
    return sendPage(
      request,
      reply,
      <SigningKeysPage
        member={session(request).member}
        certificates={await services.signingKeys.history(request.tenant)}
        errors={kept?.errors ?? []}
        imported={queryField(request.query, 'notice') === 'imported'}
      />,
      kept?.status,
    );
  });

  app.post('/keys', { preHandler: http.requireRecentAuth('administrator', page) }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const p12 = Buffer.isBuffer(body.p12) && body.p12.length > 0 ? body.p12 : undefined;
    // A passphrase is taken as typed (spaces too), and never kept for the form again.
    const passphrase = typeof body.passphrase === 'string' ? body.passphrase.slice(0, 1024) : '';
    const errors: FieldError[] = [];
    if (!p12) errors.push({ field: 'p12', message: 'signingKeys.errors.fileRequired' });
    if (p12) {
      try {
        await services.signingKeys.importPkcs12(request.tenant, p12, passphrase, http.actor(request, reply));
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'signer_invalid') throw error;
        errors.push({
          field: 'p12',
          message: 'signingKeys.errors.refused',
          params: { reason: error.options.detail ?? '' },
        });
      }
    }
    if (errors.length > 0)
      return http.forms.redirect(request, reply, page(request), { values: {}, errors, status: 422 });
    return reply.redirect(`${page(request)}?notice=imported`, 303);
  });
};
