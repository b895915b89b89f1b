import { X509Certificate } from 'node:crypto';
import type { Infrastructure } from '../../../infrastructure.js';
import type { Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import type { Tenant } from '../../tenants/tenant.model.js';
import { createDevelopmentSigner } from '../pdf/certificate.signing.js';
import {
  type CurrentSigner,
  type Pkcs11Location,
  type SigningCertificate,
  type StoredSigner,
  chainFromPem,
  chainToPem,
} from '../signing-key.model.js';
import type { KeySigner } from './key-signer.js';
import { checkPkcs11Pin, openPkcs11Signer } from './pkcs11-signer.js';
import { openPkcs12Signer } from './pkcs12-signer.js';
import { signerProblems } from './signer-checks.js';

/** Whether each university can sign, as the start-up check and readiness report it. */
export interface SignerReport {
  usable: string[];
  unusable: Array<{ slug: string; reason: string }>;
}

/** What an import installed, for the operator to compare with what the CA issued. */
export interface ImportedKey {
  fingerprint: string;
  subject: string;
  notAfter: string;
  /** Accepted, but worth a look (a self-signed certificate chains to nothing readers trust). */
  warnings: string[];
}

function importHint(tenant: Tenant): string {
  return `import the university’s own key: shomei signer import --tenant ${tenant.slug} (see docs/operations/keys.md)`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A university's signing keys (#9 §3): the current one opens for issuance, a new one is checked
 * before it replaces it (the old one stays, retired, so the certificates it signed can still be
 * checked), and in production only a key the university imported signs — never the self-signed
 * development key, which is made only outside production.
 */
export class SigningKeyService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'config' | 'logger' | 'box'>) {}

  private get production(): boolean {
    return this.deps.config.env === 'production';
  }

  /**
   * The key that signs the university's new certificates. Outside production a university
   * without one gets a self-signed development key. Refuses with `signer_not_imported` in
   * production while it has no key of its own, and with `signer_unavailable` when the key does
   * not open (a passphrase sealed under another SECRET_KEY, a token that does not answer).
   */
  async current(tenant: Tenant): Promise<KeySigner> {
    const stored = (await this.deps.uow.repos.signingKeys.find(tenant.id)) ?? (await this.makeDevelopmentKey(tenant));
    if (stored.development && this.production) {
      throw new AppError('signer_not_imported', {
        detail: `${tenant.slug} has only the self-signed development key, which never signs in production; ${importHint(tenant)}`,
      });
    }
    let secret: string;
    try {
      secret = this.deps.box.open(stored.passphraseSealed);
    } catch (error) {
      this.deps.logger.error(
        { tenant: tenant.slug, err: error },
        'the signing key’s passphrase cannot be opened with SECRET_KEY or SECRET_KEY_PREVIOUS; this university cannot issue certificates (see docs/operations/keys.md)',
      );
      throw new AppError('signer_unavailable', {
        detail: `the signing key of ${tenant.slug} was sealed under another SECRET_KEY: set that key as SECRET_KEY_PREVIOUS, or import the key again (shomei signer import)`,
        cause: error,
      });
    }
    try {
      return 'pkcs11' in stored
        ? await openPkcs11Signer(stored.pkcs11, secret, chainFromPem(stored.certificatePem))
        : openPkcs12Signer(Buffer.from(stored.p12Base64, 'base64'), secret);
    } catch (error) {
      this.deps.logger.error({ tenant: tenant.slug, err: error }, 'the signing key cannot be opened');
      throw new AppError('signer_unavailable', {
        detail: `the signing key of ${tenant.slug} cannot be opened: ${message(error)}`,
        cause: error,
      });
    }
  }

  private async makeDevelopmentKey(tenant: Tenant): Promise<CurrentSigner> {
    if (this.production) {
      throw new AppError('signer_not_imported', {
        detail: `${tenant.slug} has no signing key, and production never makes a self-signed one; ${importHint(tenant)}`,
      });
    }
    const repos = this.deps.uow.repos;
    const made = createDevelopmentSigner(`${tenant.name.en} (development)`, tenant.name.en, this.deps.clock.now());
    await repos.signingKeys.insert(
      tenant.id,
      {
        p12Base64: made.p12Base64,
        passphraseSealed: this.deps.box.seal(made.passphrase),
        certificatePem: made.certificatePem,
      },
      this.deps.clock.now(),
    );
    this.deps.logger.warn(
      { tenant: tenant.slug },
      'made a self-signed development signing certificate; import the university’s own for production',
    );
    const stored = await repos.signingKeys.find(tenant.id);
    if (!stored) throw new Error('signer vanished after insert');
    return stored;
  }

  /**
   * Makes the university's own key (PKCS#12: RSA ≥ 2048 or ECDSA P-256/P-384) its current one,
   * after checking that the passphrase opens it, the key matches its certificate, the
   * certificate is valid now and allows signing. The key it replaces is kept, retired.
   */
  async importPkcs12(tenant: Tenant, p12: Buffer, passphrase: string, actor: Actor): Promise<ImportedKey> {
    let signer: KeySigner;
    try {
      signer = openPkcs12Signer(p12, passphrase);
    } catch (error) {
      throw new AppError('signer_invalid', { detail: `cannot open the PKCS#12 file: ${message(error)}`, cause: error });
    }
    const certificatePem = new X509Certificate(signer.certificates[0]!).toString();
    return this.install(tenant, signer, actor, {
      p12Base64: p12.toString('base64'),
      passphraseSealed: this.deps.box.seal(passphrase),
      certificatePem,
    });
  }

  /**
   * Makes a key in a PKCS#11 token (an HSM) the university's current one, with the same checks as
   * a PKCS#12 — the test signature is made by the token. `chainPem` is the signer's certificate
   * and its chain; without it the certificate stored on the token under the key's label is used.
   */
  async importPkcs11(
    tenant: Tenant,
    location: Pkcs11Location,
    pin: string,
    chainPem: string | undefined,
    actor: Actor,
  ): Promise<ImportedKey> {
    let signer: KeySigner;
    try {
      const chain = chainPem === undefined ? [] : chainFromPem(chainPem);
      if (chainPem !== undefined && chain.length === 0)
        throw new Error('the certificate file holds no PEM certificate');
      await checkPkcs11Pin(location, pin);
      signer = await openPkcs11Signer(location, pin, chain);
    } catch (error) {
      throw new AppError('signer_invalid', { detail: `cannot use the PKCS#11 key: ${message(error)}`, cause: error });
    }
    return this.install(tenant, signer, actor, {
      pkcs11: location,
      passphraseSealed: this.deps.box.seal(pin),
      certificatePem: chainToPem(signer.certificates),
    });
  }

  private async install(tenant: Tenant, signer: KeySigner, actor: Actor, stored: StoredSigner): Promise<ImportedKey> {
    const problems = await signerProblems(signer, this.deps.clock.now());
    if (problems.length > 0) throw new AppError('signer_invalid', { detail: problems.join('; ') });
    const certificate = new X509Certificate(signer.certificates[0]!);
    const imported: ImportedKey = {
      fingerprint: certificate.fingerprint256,
      subject: certificate.subject.replace(/\n/g, ', '),
      notAfter: new Date(certificate.validTo).toISOString(),
      warnings:
        certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey)
          ? ['the certificate is self-signed: readers see the signature as valid but not trusted']
          : [],
    };
    await this.deps.uow.run(actor, async (tx) => {
      await tx.signingKeys.replace(tenant.id, stored, this.deps.clock.now());
      await tx.audit('signing_key.imported', { detail: { fingerprint: imported.fingerprint } });
    });
    return imported;
  }

  /** Every certificate the university has signed with, newest first, for the verification page. */
  history(tenant: Tenant): Promise<SigningCertificate[]> {
    return this.deps.uow.repos.signingKeys.history(tenant.id);
  }

  /** Whether the university signs with a key it imported, not the development key (#13). */
  async hasOwnSigner(tenant: Tenant): Promise<boolean> {
    const stored = await this.deps.uow.repos.signingKeys.find(tenant.id);
    return stored !== undefined && !stored.development;
  }

  /**
   * Why issuance would not sign (readiness), or undefined when it would: outside production a
   * missing key is made on first use, so it counts as usable. Only the passphrase is opened here
   * — a load balancer polls this — not the key.
   */
  async whyNotSigning(tenant: Tenant): Promise<string | undefined> {
    const stored = await this.deps.uow.repos.signingKeys.find(tenant.id);
    if (this.production && (!stored || stored.development)) return 'no signing key of its own imported';
    if (!stored) return undefined;
    try {
      this.deps.box.open(stored.passphraseSealed);
      return undefined;
    } catch {
      return 'signing key does not open';
    }
  }

  /**
   * Opens every university's signer once (making the missing ones outside production), so a key
   * that cannot sign is in the log at start — and only that university refuses issuance;
   * start-up goes on.
   */
  async checkSigners(): Promise<SignerReport> {
    const report: SignerReport = { usable: [], unusable: [] };
    for (const tenant of await this.deps.uow.repos.tenants.list()) {
      try {
        await this.current(tenant);
        report.usable.push(tenant.slug);
      } catch (error) {
        if (
          !(error instanceof AppError) ||
          (error.code !== 'signer_unavailable' && error.code !== 'signer_not_imported')
        )
          throw error;
        report.unusable.push({ slug: tenant.slug, reason: error.options.detail ?? error.code });
      }
    }
    return report;
  }
}
