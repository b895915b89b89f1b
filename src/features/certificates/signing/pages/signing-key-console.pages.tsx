import { formatDateTime } from '../../../../platform/format.js';
import { Button, CsrfField, ErrorSummary, type FieldError, Message } from '../../../../platform/views/components.js';
import { usePage } from '../../../../platform/views/page-context.js';
import { ConsolePage } from '../../../staff/pages/staff.components.js';
import type { StaffMember } from '../../../staff/staff.model.js';
import { type SigningCertificate, formatFingerprint } from '../../signing-key.model.js';

function Certificate({ certificate }: { certificate: SigningCertificate }) {
  const { t, lang } = usePage();
  return (
    <dl class="summary">
      <dt>{t('signingKeys.subject')}</dt>
      <dd>{certificate.subject.replace(/\n/g, ', ')}</dd>
      <dt>{t('signingKeys.issuer')}</dt>
      <dd>{certificate.issuer.replace(/\n/g, ', ')}</dd>
      <dt>{t('signingKeys.validity')}</dt>
      <dd>
        {t('signingKeys.validityRange', {
          from: formatDateTime(certificate.notBefore, lang),
          to: formatDateTime(certificate.notAfter, lang),
        })}
      </dd>
      <dt>{t('signingKeys.fingerprint')}</dt>
      <dd>
        <code>{formatFingerprint(certificate.fingerprintSha256)}</code>
      </dd>
    </dl>
  );
}

/** Administrators: the key that signs, the keys before it, and the PKCS#12 import. */
export function SigningKeysPage({
  member,
  certificates,
  errors,
  imported,
}: {
  member: StaffMember;
  certificates: SigningCertificate[];
  errors: FieldError[];
  imported: boolean;
}) {
  const { t, base, lang } = usePage();
  const current = certificates.find((certificate) => certificate.retiredAt === null);
  const labels = {
    subject: t('signingKeys.subject'),
    fingerprint: t('signingKeys.fingerprint'),
    used: t('signingKeys.used'),
  };
  const own = (field: string) => errors.filter((error) => error.field === field);
  return (
    <ConsolePage member={member} title={t('signingKeys.title')} hasErrors={errors.length > 0}>
      {imported && <Message kind="success">{t('signingKeys.imported')}</Message>}
      <ErrorSummary errors={errors} />
      <h2>{t('signingKeys.currentHeading')}</h2>
      {current ? (
        <>
          {current.development && <Message kind="warning">{t('signingKeys.development')}</Message>}
          <Certificate certificate={current} />
        </>
      ) : (
        <p>{t('signingKeys.noneYet')}</p>
      )}
      <h2>{t('signingKeys.historyHeading')}</h2>
      <div class="table-wrap">
        <table class="stack-table">
          <thead>
            <tr>
              <th scope="col">{labels.subject}</th>
              <th scope="col">{labels.fingerprint}</th>
              <th scope="col">{labels.used}</th>
            </tr>
          </thead>
          <tbody>
            {certificates.map((certificate) => (
              <tr key={certificate.fingerprintSha256 + certificate.validFrom}>
                <td data-label={labels.subject}>{certificate.subject.replace(/\n/g, ', ')}</td>
                <td data-label={labels.fingerprint}>
                  <code>{formatFingerprint(certificate.fingerprintSha256)}</code>
                </td>
                <td data-label={labels.used}>
                  {certificate.retiredAt === null
                    ? t('signingKeys.usedSince', { from: formatDateTime(certificate.validFrom, lang) })
                    : t('signingKeys.usedFromTo', {
                        from: formatDateTime(certificate.validFrom, lang),
                        to: formatDateTime(certificate.retiredAt, lang),
                      })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('signingKeys.importHeading')}</h2>
      <p>{t('signingKeys.importIntro')}</p>
      <form method="post" action={`${base}/staff/keys`} enctype="multipart/form-data" class="stack" novalidate>
        <CsrfField />
        {(['p12', 'passphrase'] as const).map((field) => (
          <div class={own(field).length ? 'field field--error' : 'field'} key={field}>
            <label for={`field-${field}`}>{t(`signingKeys.${field}`)}</label>
            {own(field).map((error) => (
              <p class="field-error" key={error.message}>
                {t(error.message, error.params)}
              </p>
            ))}
            {field === 'p12' ? (
              <input id="field-p12" name="p12" type="file" accept=".p12,.pfx,application/x-pkcs12" />
            ) : (
              <input id="field-passphrase" name="passphrase" type="password" autocomplete="off" maxLength={1024} />
            )}
          </div>
        ))}
        <Button>{t('signingKeys.import')}</Button>
      </form>
    </ConsolePage>
  );
}
