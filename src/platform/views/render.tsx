import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { PageContext, type PageContextValue } from './page-context.js';

export function tenantBase(request: FastifyRequest): string {
  return request.tenant ? `/${request.tenant.slug}` : '';
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContextValue {
  return {
    t: request.t,
    lang: request.lang,
    tenant: request.tenant,
    csrfToken: reply.csrfToken(),
    account: request.currentSession?.account,
    base: tenantBase(request),
  };
}

export function renderDocument(context: PageContextValue, page: VNode): string {
  return `<!doctype html>${render(<PageContext.Provider value={context}>{page}</PageContext.Provider>)}`;
}

/** Sends a whole page; every route renders through here so the layout and headers stay one. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(renderDocument(pageContext(request, reply), page));
}
