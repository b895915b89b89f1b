import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import { type SigningCertificate, formatFingerprint } from '../signing-key.model.js';

/** ISO 8601 in UTC, as openssl and pdfsig print validity: nothing to convert when comparing. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** On the verification page: where a reader finds the fingerprints to check a signer against. */
export function SigningCertificatesLink() {
  const { t, base } = usePage();
  return (
    <p>
      <a href={`${base}/verify/signers`}>{t('certificates.signers.link')}</a>
    </p>
  );
}

/**
 * Every certificate the university has signed with, current and past (#9 §3): a reader checks the
 * signer a PDF names against this list, published apart from the PDF, instead of trusting the
 * PDF's own claim.
 */
export function SigningCertificatesPage({ certificates }: { certificates: SigningCertificate[] }) {
  const { t, tenant, lang } = usePage();
  return (
    <Layout title={t('certificates.signers.title')} langSwitch={{ keep: {} }}>
      <p>{t('certificates.signers.intro', { university: tenant?.name[lang] ?? '' })}</p>
      {certificates.length === 0 && <p>{t('certificates.signers.none')}</p>}
      {certificates.map((cert) => (
        <section class="signing-certificate" key={cert.fingerprintSha256}>
          <h2>
            {cert.retiredAt === null ? t('certificates.signers.current') : t('certificates.signers.past')}
            {cert.development && ` ${t('certificates.signers.development')}`}
          </h2>
          <dl class="summary">
            <dt>{t('certificates.signers.fingerprint')}</dt>
            <dd>
              <code class="fingerprint">{formatFingerprint(cert.fingerprintSha256)}</code>
            </dd>
            <dt>{t('certificates.signers.subject')}</dt>
            <dd>{cert.subject.split('\n').join(', ')}</dd>
            <dt>{t('certificates.signers.issuer')}</dt>
            <dd>{cert.issuer.split('\n').join(', ')}</dd>
            <dt>{t('certificates.signers.validity')}</dt>
            <dd>
              {iso(cert.notBefore)} – {iso(cert.notAfter)}
            </dd>
            <dt>{t('certificates.signers.used')}</dt>
            <dd>
              {iso(cert.validFrom)} – {cert.retiredAt === null ? t('certificates.signers.now') : iso(cert.retiredAt)}
            </dd>
          </dl>
        </section>
      ))}
    </Layout>
  );
}
