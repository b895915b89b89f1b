import crypto from 'node:crypto';
import { AppError } from '../../../platform/errors.js';
import type { KeySigner } from './key-signer.js';

const PROBE = Buffer.from('shomei signer check');

/** Signers that made a signature their own certificate verifies: asked once per signer, not per order. */
const working = new WeakSet<KeySigner>();

/**
 * Refuses (`signer_unavailable`) a signer that cannot make a signature its certificate verifies —
 * a key that does not match its certificate, an HSM that refuses — so the refusal comes before
 * the order and the payment, not when the paid documents are signed (C-11).
 */
export async function assertSignerWorks(signer: KeySigner, tenantSlug: string): Promise<void> {
  if (working.has(signer)) return;
  let verified = false;
  let cause: unknown;
  try {
    const certificate = signer.certificates[0];
    if (!certificate) throw new Error('the signer has no certificate');
    const publicKey = new crypto.X509Certificate(certificate).publicKey;
    verified = crypto.verify('sha256', PROBE, publicKey, await signer.sign(PROBE));
  } catch (error) {
    cause = error;
  }
  if (!verified)
    throw new AppError('signer_unavailable', {
      detail: `the signing key of ${tenantSlug} makes no signature its certificate verifies${cause instanceof Error ? ` (${cause.message})` : ''}: import a key that matches its certificate (shomei signer import)`,
      cause,
    });
  working.add(signer);
}
