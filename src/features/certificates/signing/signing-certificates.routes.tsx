import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../../platform/views/render.js';
import { SigningCertificatesPage } from './signing-certificates.page.js';
import type { SigningKeyService } from './signing-key.service.js';

/** The university's signing certificates and their fingerprints (#9 §3): public, nothing personal. */
export async function signingCertificateRoutes(
  app: FastifyInstance,
  { signingKeys }: { signingKeys: Pick<SigningKeyService, 'history'> },
) {
  app.get('/verify/signers', async (request, reply) =>
    sendPage(request, reply, <SigningCertificatesPage certificates={await signingKeys.history(request.tenant)} />),
  );
}
