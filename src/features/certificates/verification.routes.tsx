import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../platform/format.js';
import { Button, ErrorSummary, Field, type FieldError, Message } from '../../platform/views/components.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import { sendPage, tenantBase } from '../../platform/views/render.js';
import { formField, queryField } from '../../platform/http/form.js';
import type { FormStates } from '../../platform/http/form-state.js';
import { SigningCertificatesLink } from './signing/signing-certificates.page.js';
import type { Verdict, VerificationService } from './verification.service.js';

/** A verdict as the page shows it and a kept form state holds it: without the PDF's bytes. */
type ShownVerdict = Verdict extends infer V
  ? V extends { certificate: infer C }
    ? Omit<V, 'certificate'> & { certificate: Omit<C, 'pdf'> }
    : V
  : never;

function shown(verdict: Verdict): ShownVerdict {
  if (verdict.status === 'unknown') return verdict;
  const { pdf: _bytes, ...certificate } = verdict.certificate;
  return { status: verdict.status, certificate };
}

const verdictKind = { genuine: 'success', revoked: 'warning', altered: 'warning', unknown: 'warning' } as const;

function VerifyPage({
  code,
  verdict,
  errors,
}: {
  code: string;
  verdict?: ShownVerdict | undefined;
  errors: FieldError[];
}) {
  const { t, base, lang } = usePage();
  return (
    <Layout title={t('certificates.verify.title')} hasErrors={errors.length > 0} langSwitch={{ keep: {} }}>
      <ErrorSummary errors={errors} />
      {verdict && (
        <section class="verdict" aria-labelledby="verdict-title">
          <Message kind={verdictKind[verdict.status]}>
            <h2 id="verdict-title">{t(`certificates.verify.verdict.${verdict.status}.title`)}</h2>
            <p>{t(`certificates.verify.verdict.${verdict.status}.body`)}</p>
          </Message>
          {verdict.status !== 'unknown' && (
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
                  <dt>{t('certificates.verify.states')}</dt>
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
                    {formatDateTime(verdict.certificate.revokedAt, lang)} {verdict.certificate.revokedReason}
                  </dd>
                </>
              )}
            </dl>
          )}
        </section>
      )}
      <div class="stack verify-methods">
        <p>{t('certificates.verify.intro')}</p>
        <form method="post" action={`${base}/verify`} class="stack" novalidate>
          <Field
            name="code"
            label={t('certificates.verify.code')}
            hint={t('certificates.verify.codeHint')}
            value={code}
            errors={errors}
            maxLength={20}
            autocomplete="off"
          />
          <Button>{t('certificates.verify.checkCode')}</Button>
        </form>
        <form method="post" action={`${base}/verify/file`} enctype="multipart/form-data" class="stack">
          <div class="field">
            <label for="field-pdf">{t('certificates.verify.file')}</label>
            <p class="field-hint">{t('certificates.verify.fileHint')}</p>
            <input id="field-pdf" name="pdf" type="file" accept="application/pdf,.pdf" />
          </div>
          <Button variant="secondary">{t('certificates.verify.checkFile')}</Button>
        </form>
        <a href={`${base}/verify/credential`}>{t('certificates.credential.link')}</a>
      </div>
      <SigningCertificatesLink />
    </Layout>
  );
}

/**
 * The public verification page (C-7): anyone holding a certificate checks it by its code (the QR
 * opens this page with the code filled in) or by uploading the PDF. Reading only, so the forms
 * are outside the CSRF check: there is nothing to forge.
 */
export async function verificationRoutes(
  app: FastifyInstance,
  { verification, forms }: { verification: VerificationService; forms: FormStates },
) {
  const readOnly = { config: { csrf: false } };
  // Errors and a checked file's verdict are shown after a redirect (#10 §1): Back and reload never resubmit.
  const again = (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors: FieldError[]; verdict?: ShownVerdict },
  ) =>
    forms.redirect(request, reply, `${tenantBase(request)}/verify`, {
      values: {},
      errors: state.errors,
      status: state.errors.length > 0 ? 422 : 200,
      ...(state.verdict && { extra: state.verdict }),
    });

  app.get('/verify', async (request, reply) => {
    const kept = await forms.recall<Record<string, never>, ShownVerdict>(request, reply);
    if (kept) {
      return sendPage(request, reply, <VerifyPage code="" verdict={kept.extra} errors={kept.errors} />, kept.status);
    }
    const code = queryField(request.query, 'code');
    if (!code) return sendPage(request, reply, <VerifyPage code="" errors={[]} />);
    return sendPage(
      request,
      reply,
      <VerifyPage code={code} verdict={shown(await verification.byCode(request.tenant, code))} errors={[]} />,
    );
  });

  app.post('/verify', readOnly, async (request, reply) => {
    const code = formField(request.body, 'code', 40);
    if (!code.trim())
      return again(request, reply, { errors: [{ field: 'code', message: 'certificates.verify.codeRequired' }] });
    return reply.redirect(`${tenantBase(request)}/verify?code=${encodeURIComponent(code.trim())}`, 303);
  });

  app.post('/verify/file', readOnly, async (request, reply) => {
    const file = request.isMultipart()
      ? await request.file({ limits: { fileSize: 5 * 1024 * 1024, files: 1 } })
      : undefined;
    const bytes = file ? await file.toBuffer().catch(() => undefined) : undefined;
    if (!bytes || bytes.length === 0)
      return again(request, reply, { errors: [{ field: 'pdf', message: 'certificates.verify.fileRequired' }] });
    return again(request, reply, { errors: [], verdict: shown(await verification.byFile(request.tenant, bytes)) });
  });
}
