import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDate, formatDateTime } from '../../platform/format.js';
import { visitorActor } from '../../platform/http/actor.js';
import type { Lang } from '../../platform/i18n.js';
import { Button, CsrfField, ErrorSummary, Field, type FieldError, Message } from '../../platform/views/components.js';
import { Layout } from '../../platform/views/layout.js';
import { usePage } from '../../platform/views/page-context.js';
import { reusablePage, sendPage, tenantBase } from '../../platform/views/render.js';
import { formField, queryField } from '../../platform/http/form.js';
import type { FormStates } from '../../platform/http/form-state.js';
import { SigningCertificatesLink } from './signing/signing-certificates.page.js';
import type { IssuedCertificate } from './issued-certificate.model.js';
import type { AddedAfterSigning, Verdict, VerificationService } from './verification.service.js';

/** A verdict as the page shows it and a kept form state holds it: without the PDF's bytes. */
type ShownVerdict =
  | { status: 'genuine' | 'revoked'; certificate: Omit<IssuedCertificate, 'pdf'>; added?: AddedAfterSigning }
  | { status: 'altered' | 'unknown' | 'unchecked' };

function shown(verdict: Verdict): ShownVerdict {
  if (!('certificate' in verdict)) return verdict;
  const { pdf: _bytes, ...certificate } = verdict.certificate;
  return { ...verdict, certificate };
}

const verdictKind = {
  genuine: 'success',
  revoked: 'warning',
  altered: 'warning',
  unknown: 'warning',
  unchecked: 'info',
} as const;

/**
 * Dates as ISO 8601 in English, which every verifier reads the same way wherever they are (#9
 * §2); Japanese keeps 2026年11月22日, the site's own style, which is just as unambiguous.
 */
function shownDate(isoDate: string, lang: Lang): string {
  return lang === 'en' ? isoDate : formatDate(isoDate, lang);
}

function shownTime(ms: number, lang: Lang): string {
  if (lang === 'ja') return formatDateTime(ms, lang);
  // Japan keeps no summer time: Japan time is UTC+9 all year.
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} (JST)`;
}

function Statement({ certificate }: { certificate: Omit<IssuedCertificate, 'pdf'> }) {
  const { t, lang } = usePage();
  const { statement } = certificate;
  return (
    <>
      <dl class="summary">
        <dt>{t('certificates.verify.certificate')}</dt>
        <dd>{statement.title}</dd>
        <dt>{t('certificates.verify.holder')}</dt>
        <dd>{statement.holderName}</dd>
        {statement.birthDate && (
          <>
            <dt>{t('certificates.verify.birthDate')}</dt>
            <dd>{shownDate(statement.birthDate, lang)}</dd>
          </>
        )}
        <dt>{t('certificates.verify.studentNumber')}</dt>
        <dd>{statement.studentNumber}</dd>
        <dt>{t('certificates.verify.affiliation')}</dt>
        <dd>{statement.affiliation}</dd>
        {statement.details.map((detail) => (
          <>
            <dt>{t('certificates.verify.statement')}</dt>
            <dd>{detail}</dd>
          </>
        ))}
        <dt>{t('certificates.verify.issued')}</dt>
        <dd>{shownTime(certificate.issuedAt, lang)}</dd>
        <dt>{t('certificates.verify.serial')}</dt>
        <dd>{certificate.serial}</dd>
        {certificate.revokedAt !== null && (
          <>
            <dt>{t('certificates.verify.revokedAt')}</dt>
            <dd>
              {shownTime(certificate.revokedAt, lang)}
              {certificate.revokedCategory && ` — ${t(`certificates.revocation.${certificate.revokedCategory}`)}`}
            </dd>
          </>
        )}
      </dl>
      {statement.courses && statement.courses.length > 0 && (
        <div class="table-wrap">
          <table class="stack-table">
            <caption>{t('certificates.verify.courses')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('certificates.verify.term')}</th>
                <th scope="col">{t('certificates.verify.course')}</th>
                <th scope="col">{t('certificates.verify.credits')}</th>
                <th scope="col">{t('certificates.verify.grade')}</th>
              </tr>
            </thead>
            <tbody>
              {statement.courses.map((course) => (
                <tr>
                  <td data-label={t('certificates.verify.term')}>{course.term}</td>
                  <td data-label={t('certificates.verify.course')}>{course.name}</td>
                  <td data-label={t('certificates.verify.credits')}>{course.credits}</td>
                  <td data-label={t('certificates.verify.grade')}>{course.grade}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function VerifyPage({
  code,
  verdict,
  errors,
}: {
  code: string;
  verdict?: ShownVerdict | undefined;
  errors: FieldError[];
}) {
  const { t, base } = usePage();
  return (
    <Layout title={t('certificates.verify.title')} hasErrors={errors.length > 0} langSwitch={{ keep: {} }}>
      <ErrorSummary errors={errors} />
      {verdict && (
        <section class="verdict" aria-labelledby="verdict-title">
          <Message kind={verdictKind[verdict.status]}>
            <h2 id="verdict-title">{t(`certificates.verify.verdict.${verdict.status}.title`)}</h2>
            <p>{t(`certificates.verify.verdict.${verdict.status}.body`)}</p>
          </Message>
          {'added' in verdict && verdict.added && (
            <Message kind="warning">
              <h3>{t('certificates.verify.added.title')}</h3>
              <p>{t(`certificates.verify.added.${verdict.added.kind}`, { bytes: verdict.added.bytes })}</p>
            </Message>
          )}
          {'certificate' in verdict && <Statement certificate={verdict.certificate} />}
        </section>
      )}
      <div class="stack verify-methods">
        <p>{t('certificates.verify.intro')}</p>
        <form method="post" action={`${base}/verify`} class="stack" novalidate>
          <CsrfField />
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
          <CsrfField />
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

// Rendered once per university, language and props (#11): the empty form is most of its views.
reusablePage(VerifyPage);

/**
 * The public verification page (C-7, C-13): anyone holding a certificate checks it by its code
 * (the QR opens this page with the code filled in) or by uploading the PDF. Its forms carry the
 * CSRF token like every other (#9): another site must not spend a visitor's checks, nor put a
 * verdict of its choosing on this page. The upload's token arrives as a multipart field, which
 * the multipart plugin puts in the body before the check (app.ts).
 */
export async function verificationRoutes(
  app: FastifyInstance,
  { verification, forms }: { verification: VerificationService; forms: FormStates },
) {
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
      <VerifyPage
        code={code}
        verdict={shown(await verification.byCode(request.tenant, code, visitorActor(request, request.tenant.id)))}
        errors={[]}
      />,
    );
  });

  app.post('/verify', async (request, reply) => {
    const code = formField(request.body, 'code', 40);
    if (!code.trim())
      return again(request, reply, { errors: [{ field: 'code', message: 'certificates.verify.codeRequired' }] });
    return reply.redirect(`${tenantBase(request)}/verify?code=${encodeURIComponent(code.trim())}`, 303);
  });

  app.post('/verify/file', async (request, reply) => {
    const sent = (request.body as Record<string, unknown> | undefined)?.pdf;
    if (!Buffer.isBuffer(sent) || sent.length === 0)
      return again(request, reply, { errors: [{ field: 'pdf', message: 'certificates.verify.fileRequired' }] });
    const verdict = await verification.byFile(request.tenant, sent, visitorActor(request, request.tenant.id));
    return again(request, reply, { errors: [], verdict: shown(verdict) });
  });
}
