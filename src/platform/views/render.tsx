import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FunctionComponent, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { randomBase64url } from '../crypto.js';
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

type AnyPage = FunctionComponent<any>;

/** Each reusable page's number, which keeps the templates of two pages with equal props apart. */
const reusable = new Map<AnyPage, number>();

/**
 * Marks a page whose HTML depends only on its props (plain data) and the page context: rendered
 * once per university, language and props, then reused with this request's CSRF token and user
 * ID put in (#11). A page that reads anything else (the clock, a global) must not be marked.
 */
export function reusablePage<C extends AnyPage>(page: C): C {
  if (!reusable.has(page)) reusable.set(page, reusable.size);
  return page;
}

/** Per university object (a changed university is a new object), then per language, props and account. */
const documents = new WeakMap<object, Map<string, Template>>();
const noTenant = {};
const MAX_DOCUMENTS_PER_UNIVERSITY = 500;

/**
 * The rendered page cut at its slots: parts[0] slot[0] parts[1] slot[1] … parts[n], the parts
 * already in UTF-8, so a request encodes only what it puts in the slots.
 */
interface Template {
  parts: Buffer[];
  slots: Array<'csrf' | 'user'>;
}

/** Marks no page text can contain: random per process, and only [A-Za-z0-9_-]. */
const marker = randomBase64url(12);
const CSRF_SLOT = `slot-${marker}-csrf`;
const USER_SLOT = `slot-${marker}-user`;
const SLOTS = new RegExp(`slot-${marker}-(csrf|user)`);

/** What preact-render-to-string escapes, the same way, so a spliced value reads as rendered. */
function escapeHtml(text: string): string {
  return text.replace(/["&<]/g, (c) => (c === '"' ? '&quot;' : c === '&' ? '&amp;' : '&lt;'));
}

/** The props as a cache key; undefined when they hold anything but plain data (a function, a VNode). */
function propsKey(props: unknown): string | undefined {
  try {
    return JSON.stringify(props, (_key, value: unknown) => {
      if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError('not plain data');
      if (value !== null && typeof value === 'object' && 'props' in value && 'type' in value)
        throw new TypeError('not plain data');
      return value;
    });
  } catch {
    return undefined;
  }
}

function template(context: PageContextValue, page: VNode, key: string): Template {
  const owner = context.tenant ?? noTenant;
  let templates = documents.get(owner);
  if (!templates) {
    templates = new Map();
    documents.set(owner, templates);
  }
  const known = templates.get(key);
  if (known) return known;
  const html = renderDocument(
    {
      ...context,
      csrfToken: CSRF_SLOT,
      account: context.account && { userId: USER_SLOT, twoFactorEnabled: context.account.twoFactorEnabled },
    },
    page,
  );
  const pieces = html.split(SLOTS);
  const made: Template = {
    parts: pieces.filter((_, i) => i % 2 === 0).map((piece) => Buffer.from(piece)),
    slots: pieces.filter((_, i) => i % 2 === 1) as Template['slots'],
  };
  if (templates.size >= MAX_DOCUMENTS_PER_UNIVERSITY) templates.delete(templates.keys().next().value as string);
  templates.set(key, made);
  return made;
}

/** The page's HTML in UTF-8: from its template when the page is reusable and its props are plain data. */
export function documentBytes(context: PageContextValue, page: VNode): Buffer {
  const id = reusable.get(page.type as AnyPage);
  const props = id === undefined ? undefined : propsKey(page.props);
  if (props === undefined) return Buffer.from(renderDocument(context, page));
  const account = context.account ? (context.account.twoFactorEnabled ? '2' : '1') : '0';
  const { parts, slots } = template(context, page, `${id}\0${context.lang}\0${account}\0${context.base}\0${props}`);
  const pieces: Buffer[] = [];
  for (let i = 0; i < parts.length; i++) {
    pieces.push(parts[i] as Buffer);
    const slot = slots[i];
    if (slot)
      pieces.push(Buffer.from(escapeHtml(slot === 'csrf' ? context.csrfToken : (context.account?.userId ?? ''))));
  }
  return Buffer.concat(pieces);
}

/** Sends a whole page; every route renders through here so the layout and headers stay one. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(documentBytes(pageContext(request, reply), page));
}
