import type { Infrastructure } from '../../infrastructure.js';
import type { LongTermServices } from './pdf/certificate.signing.js';
import { HttpTimestampAuthority } from './pdf/pades/timestamp.js';
import { collectValidationData } from './pdf/pades/revocation.js';

/**
 * What takes certificate signatures past PAdES B-B (#9 §3, C-12): the configured TSA, and OCSP
 * or CRLs fetched from the certificates' own AIA and CRL distribution points. Without a TSA the
 * certificates are B-B and the log says so once, when the first renderer is built.
 *
 * A TSA or responder that fails after its retries never refuses a certificate: the order is paid
 * by then, and a B-B (or B-T, B-LT) signature is a valid signature the verification page vouches
 * for by its hash. The shortfall is logged as an error for the operator (docs/operations/signatures.md).
 */
export function longTermSignatures(deps: Pick<Infrastructure, 'config' | 'logger'>): LongTermServices | undefined {
  const { config, logger } = deps;
  if (!config.tsaUrl) {
    const message = 'no TSA_URL: certificates are signed at PAdES B-B, without timestamps or validation data';
    if (config.env === 'production') logger.warn(message);
    else logger.info(message);
    return undefined;
  }
  return {
    timestamps: new HttpTimestampAuthority({
      url: config.tsaUrl,
      timeoutMs: config.tsaTimeoutMs,
      ...(config.tsaCredentials && { credentials: config.tsaCredentials }),
    }),
    validationData: (certificates) => collectValidationData(certificates, { timeoutMs: config.tsaTimeoutMs }),
    onShortfall: (reached, wanted, error) =>
      logger.error(
        { err: error, reached, wanted, tsa: config.tsaUrl },
        `a certificate was issued at PAdES ${reached}: ${wanted} could not be reached`,
      ),
  };
}
