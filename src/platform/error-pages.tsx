import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnreachable } from '../db/connection-faults.js';
import { cspHeader } from './csp.js';
import { AppError, type ErrorCode } from './errors.js';
import { type Lang, defaultLang, langFromAcceptLanguage, translator } from './i18n.js';
import { redactUrl } from './log-redaction.js';
import { LinkButton } from './views/components.js';
import { Layout } from './views/layout.js';
import { usePage } from './views/page-context.js';
import { renderDocument, sendPage } from './views/render.js';

function ErrorPage({ code, retryAfterSeconds }: { code: ErrorCode; retryAfterSeconds?: number | undefined }) {
  const { t, base, tenant } = usePage();
  const minutes = Math.max(1, Math.ceil((retryAfterSeconds ?? 60) / 60));
  return (
    <Layout title={t(`errors.${code}.title`)}>
      <p>
        {/* Without a university there is no inquiry block below to refer to. */}
        {t(code === 'internal' && !tenant ? 'errors.internal.bodyWithoutInquiry' : `errors.${code}.body`, {
          minutes,
          seconds: retryAfterSeconds ?? 0,
        })}
      </p>
      <p>
        <LinkButton href={tenant ? `${base}/login` : '/'} variant="secondary">
          {tenant ? t('common.toLogin') : t('common.toTop')}
        </LinkButton>
      </p>
    </Layout>
  );
}

/** Framework errors mapped onto the catalogue, so every one has a message in both languages. */
function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  const code = (error as FastifyError).code;
  const status = (error as FastifyError).statusCode;
  if (isDatabaseUnreachable(error)) return new AppError('database_unavailable', { retryAfterSeconds: 5, cause: error });
  if (code?.startsWith('FST_CSRF')) return new AppError('csrf_invalid', { cause: error });
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE')
    return new AppError('payload_too_large', { cause: error });
  if (status !== undefined && status >= 400 && status < 500) return new AppError('bad_request', { cause: error });
  return new AppError('internal', { cause: error });
}

/** The one error handler: a page in the user's language, no detail of a 5xx shown. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    // Refusals by design (load, a university's directory, a university not open yet) are not failures.
    const expected = ['overloaded', 'directory_unavailable', 'tenant_not_open'].includes(appError.code);
    if (appError.status >= 500 && !expected) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: appError.code, err: error.message }, 'request refused');
    }
    if (appError.options.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(appError.options.retryAfterSeconds));
    return sendPage(
      request,
      reply,
      <ErrorPage code={appError.code} retryAfterSeconds={appError.options.retryAfterSeconds} />,
      appError.status,
    );
  });

  app.setNotFoundHandler((request, reply) => sendPage(request, reply, <ErrorPage code="not_found" />, 404));
}

/**
 * Errors Fastify meets before routing (a malformed URL such as `/tu/%E0%A4%A`): no hook has run,
 * so the page is rendered here, in the browser's language, instead of Fastify's raw JSON.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // A malformed URL's message quotes the URL whole, with any token or verification code in it (#9).
  const message = error.message.split(request.url).join(redactUrl(request.url));
  request.log.info({ code: error.code, err: message }, 'request refused');
  const lang = langFromAcceptLanguage(request.headers['accept-language']) ?? defaultLang;
  const context = { t: translator(lang), lang, tenant: undefined, csrfToken: '', account: undefined, base: '' };
  void reply
    .status(400)
    .header('cache-control', 'no-store')
    .header('content-security-policy', cspHeader)
    .header('x-content-type-options', 'nosniff')
    .header('x-request-id', request.id)
    .type('text/html; charset=utf-8')
    .send(renderDocument(context, <ErrorPage code="bad_request" />));
}

const overloadedPages = new Map<string, string>();

/**
 * The refusal of a login at the hash limit, rendered once per language: it is sent before any
 * hook has run (no university known yet), when the service can least afford to render it.
 */
export function overloadedPage(lang: Lang, retryAfterSeconds: number): string {
  const key = `${lang}:${retryAfterSeconds}`;
  let page = overloadedPages.get(key);
  if (page === undefined) {
    const context = { t: translator(lang), lang, tenant: undefined, csrfToken: '', account: undefined, base: '' };
    page = renderDocument(context, <ErrorPage code="overloaded" retryAfterSeconds={retryAfterSeconds} />);
    overloadedPages.set(key, page);
  }
  return page;
}
