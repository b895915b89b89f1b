import { formatDateTime } from '../../../platform/format.js';
import { Button, ErrorSummary, type FieldError, Message, fieldId } from '../../../platform/views/components.js';
import { Layout } from '../../../platform/views/layout.js';
import { usePage } from '../../../platform/views/page-context.js';
import type { IssuedCertificate } from '../../certificates/issued-certificate.model.js';

/** A verdict as the page shows it and a kept form state holds it: without the PDF's bytes. */
export type ShownCredentialVerdict =
  { status: 'genuine' | 'revoked'; certificate: Omit<IssuedCertificate, 'pdf'> } | { status: 'invalid' | 'unknown' };

const kind = { genuine: 'success', revoked: 'warning', invalid: 'warning', unknown: 'warning' } as const;

/** The paste-or-upload form for a Verifiable Credential, in its own component (#9 §5). */
export function CredentialCheckForm({ errors }: { errors: FieldError[] }) {
  const { t, base } = usePage();
  const own = errors.filter((error) => error.field === 'credential');
  return (
    <form method="post" action={`${base}/verify/credential`} enctype="multipart/form-data" class="stack" novalidate>
      <div class={own.length ? 'field field--error' : 'field'}>
        <label for={fieldId('credential')}>{t('certificates.credential.paste')}</label>
        <p class="field-hint" id={`${fieldId('credential')}-hint`}>
          {t('certificates.credential.pasteHint')}
        </p>
        {own.map((error) => (
          <p class="field-error" key={error.message}>
            <span class="visually-hidden">{t('common.errorPrefix')}</span> {t(error.message)}
          </p>
        ))}
        <textarea
          id={fieldId('credential')}
          name="credential"
          rows={6}
          spellcheck={false}
          autocapitalize="off"
          aria-describedby={`${fieldId('credential')}-hint`}
          aria-invalid={own.length > 0 ? 'true' : undefined}
        />
      </div>
      <div class="field">
        <label for={fieldId('credentialFile')}>{t('certificates.credential.file')}</label>
        <input
          id={fieldId('credentialFile')}
          name="credentialFile"
          type="file"
          accept=".jwt,.json,application/vc+jwt,application/json"
        />
      </div>
      <Button>{t('certificates.credential.check')}</Button>
    </form>
  );
}

export function CredentialCheckPage({
  verdict,
  errors,
}: {
  verdict?: ShownCredentialVerdict | undefined;
  errors: FieldError[];
}) {
  const { t, base, lang } = usePage();
  return (
    <Layout title={t('certificates.credential.title')} hasErrors={errors.length > 0} langSwitch={{ keep: {} }}>
      <ErrorSummary errors={errors} />
      {verdict && (
        <section class="verdict" aria-labelledby="verdict-title">
          <Message kind={kind[verdict.status]}>
            <h2 id="verdict-title">{t(`certificates.credential.verdict.${verdict.status}.title`)}</h2>
            <p>{t(`certificates.credential.verdict.${verdict.status}.body`)}</p>
          </Message>
          {'certificate' in verdict && (
            <dl class="summary">
              <dt>{t('certificates.verify.certificate')}</dt>
              <dd>{verdict.certificate.statement.title}</dd>
              <dt>{t('certificates.verify.holder')}</dt>
              <dd>{verdict.certificate.statement.holderName}</dd>
              <dt>{t('certificates.verify.studentNumber')}</dt>
              <dd>{verdict.certificate.statement.studentNumber}</dd>
              <dt>{t('certificates.verify.affiliation')}</dt>
              <dd>{verdict.certificate.statement.affiliation}</dd>
              {verdict.certificate.statement.details.map((detail) => (
                <>
                  <dt>{t('certificates.credential.statement')}</dt>
                  <dd>{detail}</dd>
                </>
              ))}
              <dt>{t('certificates.verify.issued')}</dt>
              <dd>{formatDateTime(verdict.certificate.issuedAt, lang)}</dd>
              <dt>{t('certificates.verify.serial')}</dt>
              <dd>{verdict.certificate.serial}</dd>
              {verdict.certificate.revokedAt !== null && (
                <>
                  <dt>{t('certificates.verify.revokedAt')}</dt>
                  <dd>
                    {formatDateTime(verdict.certificate.revokedAt, lang)}
                    {verdict.certificate.revokedCategory &&
                      ` — ${t(`certificates.revocation.${verdict.certificate.revokedCategory}`)}`}
                  </dd>
                </>
              )}
            </dl>
          )}
        </section>
      )}
      <div class="stack">
        <p>{t('certificates.credential.intro')}</p>
        <CredentialCheckForm errors={errors} />
        <p>
          <a href={`${base}/verify`}>{t('certificates.credential.backToVerify')}</a>
        </p>
      </div>
    </Layout>
  );
}

export interface CredentialLine {
  serial: string;
  type: string;
  revokedAt: number | null;
  hasCredential: boolean;
}

/** A student's credentials of one order: one download per certificate that has one. */
export function OrderCredentialsPage({ orderId, lines }: { orderId: string; lines: CredentialLine[] }) {
  const { t, base, lang } = usePage();
  return (
    <Layout title={t('certificates.credential.orderTitle')}>
      <p>{t('certificates.credential.orderIntro')}</p>
      {lines.length === 0 ? (
        <p>{t('certificates.credential.noneYet')}</p>
      ) : (
        <ul class="documents">
          {lines.map((line) => (
            <li key={line.serial}>
              {t(`certificates.types.${line.type}`)} ({line.serial}){' '}
              {line.revokedAt !== null ? (
                t('certificates.credential.revokedOn', { at: formatDateTime(line.revokedAt, lang) })
              ) : line.hasCredential ? (
                <a href={`${base}/orders/${orderId}/credentials/${encodeURIComponent(line.serial)}`} download>
                  {t('certificates.credential.download')}
                </a>
              ) : (
                t('certificates.credential.notForThisType')
              )}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`${base}/orders/${orderId}`}>{t('certificates.credential.backToOrder')}</a>
      </p>
    </Layout>
  );
}
