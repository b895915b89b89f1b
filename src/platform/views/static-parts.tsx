import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { PageContext, type PageContextValue } from './page-context.js';

/** Pages outside any university (the service's top page, framework errors) share these. */
const noTenant = {};
const rendered = new WeakMap<object, Map<string, string>>();

/**
 * The HTML of a part of the layout that depends only on the university and the language (its
 * name in the header, the inquiry block in the footer), rendered once per university object and
 * language instead of on every page. Keyed by the university object itself: a changed university
 * is a new object (the tenant repository parses a changed row anew), so its parts are rendered
 * anew and the old ones go with the old object.
 */
export function staticPart(page: PageContextValue, name: string, part: () => VNode): { __html: string } {
  const owner = page.tenant ?? noTenant;
  let parts = rendered.get(owner);
  if (!parts) {
    parts = new Map();
    rendered.set(owner, parts);
  }
  const key = `${page.lang}:${name}`;
  let html = parts.get(key);
  if (html === undefined) {
    html = render(<PageContext.Provider value={page}>{part()}</PageContext.Provider>);
    parts.set(key, html);
  }
  return { __html: html };
}
