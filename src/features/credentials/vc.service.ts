import { createHash, randomInt, X509Certificate } from 'node:crypto';
import type { Infrastructure } from '../../infrastructure.js';
import type { Actor } from '../../platform/actor.js';
import type { AttachedCredential, CertificateData } from '../certificates/certificate.model.js';
import type { CredentialIssuer } from '../certificates/issuance.service.js';
import type { IssuedCertificate } from '../certificates/issued-certificate.model.js';
import type { CertificateSigner } from '../certificates/pdf/certificate.signing.js';
import type { KeySigner } from '../certificates/signing/key-signer.js';
import { type Tenant, tenantLink } from '../tenants/tenant.model.js';
import {
  certificateCredential,
  hasCredential,
  languageValues,
  serialOf,
  statusEntryOf,
} from './certificate-credential.js';
import type { IssuedCredential } from './credential.model.js';
import { VC_V2_CONTEXT } from './shomei-context.js';
import { STATUS_LIST_FILL, STATUS_LIST_LENGTH, encodeStatusList, statusBit } from './status-list.js';
import { VC_MEDIA_TYPE, certificateFingerprint, joseAlgorithm, publicJwk, signVcJwt, verifyVcJwt } from './vc-jose.js';

export type CredentialVerdict =
  | { status: 'genuine' | 'revoked'; certificate: IssuedCertificate }
  /** Not signed by this university's key, altered after signing, or not a credential at all. */
  | { status: 'invalid' }
  /** Signed by this university, but it has no record of the certificate (a restored backup's gap). */
  | { status: 'unknown' };

/** Draws before giving up on a random free index; a list is at most half full, so 40 misses are ~1e-12. */
const INDEX_DRAWS = 40;

/** Whence the status list's signer: the tenant's certificate signer, however it is kept. */
export interface TenantSigners {
  signerFor(tenant: Tenant): Promise<CertificateSigner>;
}

/**
 * Verifiable Credentials beside the PDFs (#9 §5): issues one with every certificate (called by
 * issuance before the PDF is signed, which embeds it), publishes each tenant's Bitstring Status
 * Lists and its DID document, and checks a credential a verifier brings.
 */
export class CredentialService implements CredentialIssuer {
  constructor(
    private readonly deps: Pick<Infrastructure, 'uow' | 'clock' | 'logger' | 'limits'> & { signers: TenantSigners },
  ) {}

  /** `did:web` of the university: resolves to `<its pages>/did.json`, which this service serves. */
  issuerId(tenant: Tenant): string {
    const url = new URL(tenantLink(tenant, ''));
    const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
    return ['did:web', encodeURIComponent(url.host), ...path].join(':');
  }

  statusListUrl(tenant: Tenant, statusList: number): string {
    return tenantLink(tenant, `/credentials/status/${statusList}`);
  }

  async credentialFor(
    tenant: Tenant,
    data: CertificateData,
    key: KeySigner,
    issuedAt: number,
  ): Promise<AttachedCredential | undefined> {
    if (!hasCredential(data.type)) return undefined;
    if (!joseAlgorithm(key)) {
      this.deps.logger.warn(
        { tenant: tenant.slug },
        'no verifiable credential: JOSE has no SHA-256 algorithm for this key',
      );
      return undefined;
    }
    const repo = this.deps.uow.repos.credentials;
    const kid = await this.kid(tenant, key);
    // Two issuances may draw the same free index at once: the unique key refuses the second, which draws again.
    for (let attempt = 0; ; attempt++) {
      const { statusList, statusIndex } = await this.freeIndex(tenant);
      const document = certificateCredential(data, issuedAt, {
        publicUrl: this.publicUrl(tenant),
        issuerId: this.issuerId(tenant),
        statusListUrl: this.statusListUrl(tenant, statusList),
        statusIndex,
      });
      const jwt = await signVcJwt(key, kid, document);
      try {
        await repo.insert(tenant.id, { serial: data.serial, statusList, statusIndex, jwt, issuedAt });
      } catch (error) {
        // Issuers racing for one order line share its serial (certificate_serials): the first
        // credential stored is the line's, whichever of their PDFs is kept.
        const stored = await repo.findBySerial(tenant.id, data.serial);
        if (stored) return attachment(data, stored.jwt);
        if (attempt >= 2 || !(await repo.isTaken(tenant.id, statusList, statusIndex))) throw error;
        continue;
      }
      return attachment(data, jwt);
    }
  }

  find(tenant: Tenant, serial: string): Promise<IssuedCredential | undefined> {
    return this.deps.uow.repos.credentials.findBySerial(tenant.id, serial);
  }

  /** An order's certificates, each with its credential when it has one. */
  async forOrder(
    tenant: Tenant,
    orderId: string,
  ): Promise<Array<{ certificate: IssuedCertificate; credential: IssuedCredential | undefined }>> {
    const certificates = await this.deps.uow.repos.certificates.listForOrder(tenant.id, orderId);
    return Promise.all(
      certificates.map(async (certificate) => ({
        certificate,
        credential: await this.find(tenant, certificate.serial),
      })),
    );
  }

  /**
   * The status list credential (application/vc+jwt), or undefined for a list not opened yet. It
   * is signed again only when the set of revoked bits changed since the stored one.
   */
  async statusList(tenant: Tenant, statusList: number): Promise<string | undefined> {
    const repo = this.deps.uow.repos.credentials;
    const newest = await repo.newestList(tenant.id);
    if (newest.used === 0 || statusList < 1 || statusList > newest.statusList) return undefined;
    const encodedList = encodeStatusList(await repo.revokedIndices(tenant.id, statusList));
    const listSha256 = createHash('sha256').update(encodedList).digest('hex');
    const stored = await repo.findStatusList(tenant.id, statusList);
    if (stored?.listSha256 === listSha256) return stored.jwt;
    const { key } = await this.deps.signers.signerFor(tenant);
    const url = this.statusListUrl(tenant, statusList);
    const now = this.deps.clock.now();
    const jwt = await signVcJwt(key, await this.kid(tenant, key), {
      '@context': [VC_V2_CONTEXT],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: this.issuerId(tenant), name: languageValues(tenant.name) },
      validFrom: new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
    });
    await repo.saveStatusList(tenant.id, { statusList, listSha256, jwt, signedAt: now });
    return jwt;
  }

  /**
   * The university's DID document: the key its credentials name (`kid`) with its certificate
   * chain; undefined before it has a key (a public GET never makes one).
   */
  async didDocument(tenant: Tenant) {
    if (!(await this.deps.uow.repos.signingKeys.find(tenant.id))) return undefined;
    const { key } = await this.deps.signers.signerFor(tenant);
    const did = this.issuerId(tenant);
    const { jwk } = await publicJwk(key);
    const method = await this.kid(tenant, key);
    return {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: did,
      verificationMethod: [{ id: method, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }],
      assertionMethod: [method],
    };
  }

  /**
   * Checks a credential a verifier pasted or uploaded: the compact JWS, or the JSON of an
   * EnvelopedVerifiableCredential around one. Genuine needs this university's signature (its
   * current key, or the one that signed the credential recorded for that serial), our record
   * of the certificate, and a clear revocation bit in our status list.
   */
  async verify(tenant: Tenant, submitted: string, actor: Actor): Promise<CredentialVerdict> {
    await this.deps.limits.consume('credentialChecksOverall', tenant.id);
    await this.deps.limits.consume('credentialChecksPerIp', `${tenant.id}:${actor.ip}`);
    const jwt = unwrap(submitted);
    if (!jwt) return { status: 'invalid' };
    const verified = await verifyVcJwt(jwt).catch(() => undefined);
    if (!verified || verified.payload.issuer === undefined) return { status: 'invalid' };
    const issuer = verified.payload.issuer as { id?: unknown } | string;
    if ((typeof issuer === 'string' ? issuer : issuer.id) !== this.issuerId(tenant)) return { status: 'invalid' };
    const serial = serialOf(verified.payload);
    const recorded = serial ? await this.find(tenant, serial) : undefined;
    if (!(await this.trusted(tenant, verified.signerFingerprint, recorded))) return { status: 'invalid' };
    const certificate = serial ? await this.deps.uow.repos.certificates.findBySerial(tenant.id, serial) : undefined;
    if (!certificate) return { status: 'unknown' };
    const entry = statusEntryOf(verified.payload);
    const revokedInList = entry ? await this.listSays(tenant, entry) : undefined;
    if (revokedInList === undefined) return { status: 'invalid' };
    return revokedInList || certificate.revokedAt !== null
      ? { status: 'revoked', certificate }
      : { status: 'genuine', certificate };
  }

  /** Whether the list the credential points to has its bit set; undefined when it is not our list. */
  private async listSays(tenant: Tenant, entry: { url: string; index: number }): Promise<boolean | undefined> {
    const match = /\/credentials\/status\/(\d{1,6})$/.exec(entry.url);
    const statusList = match ? Number(match[1]) : 0;
    if (!match || entry.url !== this.statusListUrl(tenant, statusList) || entry.index >= STATUS_LIST_LENGTH)
      return undefined;
    const listJwt = await this.statusList(tenant, statusList);
    if (!listJwt) return undefined;
    const list = await verifyVcJwt(listJwt);
    const subject = list.payload.credentialSubject as { encodedList?: unknown } | undefined;
    if (typeof subject?.encodedList !== 'string') return undefined;
    return statusBit(subject.encodedList, entry.index);
  }

  private async trusted(tenant: Tenant, fingerprint: string, recorded: IssuedCredential | undefined): Promise<boolean> {
    const current = await this.deps.uow.repos.signingKeys.find(tenant.id);
    if (current && certificateFingerprint(Buffer.from(new X509Certificate(current.certificatePem).raw)) === fingerprint)
      return true;
    if (!recorded) return false;
    const header = JSON.parse(Buffer.from(recorded.jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      x5c?: string[];
    };
    const leaf = header.x5c?.[0];
    return leaf !== undefined && certificateFingerprint(Buffer.from(leaf, 'base64')) === fingerprint;
  }

  private async freeIndex(tenant: Tenant): Promise<{ statusList: number; statusIndex: number }> {
    const repo = this.deps.uow.repos.credentials;
    const newest = await repo.newestList(tenant.id);
    const statusList = newest.used >= STATUS_LIST_FILL ? newest.statusList + 1 : newest.statusList;
    for (let draw = 0; draw < INDEX_DRAWS; draw++) {
      const statusIndex = randomInt(STATUS_LIST_LENGTH);
      if (!(await repo.isTaken(tenant.id, statusList, statusIndex))) return { statusList, statusIndex };
    }
    throw new Error(`no free index in status list ${statusList} of ${tenant.slug}`);
  }

  private async kid(tenant: Tenant, key: KeySigner): Promise<string> {
    return `${this.issuerId(tenant)}#${(await publicJwk(key)).thumbprint}`;
  }

  /** The deployment's PUBLIC_URL, where the Shomei context is served beside the universities' pages. */
  private publicUrl(tenant: Tenant): string {
    return tenantLink(tenant, '').slice(0, -(tenant.slug.length + 1));
  }
}

/** The compact JWS inside what a verifier submitted, or undefined when there is none. */
function unwrap(submitted: string): string | undefined {
  const text = submitted.trim();
  if (!text.startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as { type?: unknown; id?: unknown };
    const types = Array.isArray(parsed.type) ? parsed.type : [parsed.type];
    const prefix = `data:${VC_MEDIA_TYPE},`;
    if (
      types.includes('EnvelopedVerifiableCredential') &&
      typeof parsed.id === 'string' &&
      parsed.id.startsWith(prefix)
    )
      return parsed.id.slice(prefix.length);
  } catch {
    // Not JSON: no credential to check.
  }
  return undefined;
}

/** The credential as the PDF carries it (an associated file). */
function attachment(data: CertificateData, jwt: string): AttachedCredential {
  return {
    fileName: `${data.serial}.vc.jwt`,
    mediaType: VC_MEDIA_TYPE,
    content: jwt,
    description:
      data.lang === 'ja'
        ? 'この証明書と同じ内容の検証可能な資格情報（W3C Verifiable Credential）'
        : 'The same statement as a W3C Verifiable Credential',
  };
}
