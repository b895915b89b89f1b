import type { FastifyInstance } from 'fastify';

/** A surrogate without its other half: no UTF-8 can carry it, and `encodeURIComponent` throws on it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** C0 and C1 controls and DEL: PostgreSQL refuses NUL in text, terminals obey ESC. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** The same, but a form body may hold tab, line feed and carriage return (a textarea's lines). */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Text as the rest of the service may take it: every lone surrogate and control character becomes
 * U+FFFD. Replacing instead of dropping keeps a damaged value failing every check (a user ID with
 * a NUL in it matches nobody) instead of quietly matching a shorter one.
 */
export function wellFormed(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(options.lines ? CONTROL_BUT_LINES : CONTROL, '\ufffd');
}

/** The first `maxLength` code units, without cutting a surrogate pair in half. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const last = text.charCodeAt(maxLength - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxLength - 1 : maxLength);
}

/**
 * Plain records only: parsed JSON, and the prototype-less objects the router and the query and
 * form parsers make (find-my-way's NullObject). A Buffer or a multipart part is no text.
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const prototype: object | null = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null;
}

function wellFormedValues(value: unknown, lines: boolean): unknown {
  if (typeof value === 'string') return wellFormed(value, { lines });
  if (Array.isArray(value)) return value.map((item) => wellFormedValues(item, lines));
  if (isRecord(value)) for (const key of Object.keys(value)) value[key] = wellFormedValues(value[key], lines);
  return value;
}

/**
 * The one place where text enters (#8): path parameters and the query before any hook reads
 * them, bodies (forms and JSON) before any handler does. No route, service or query ever sees a
 * NUL, an escape sequence or half a surrogate pair, whichever route it came in by.
 */
export function installWellFormedInput(server: FastifyInstance): void {
  server.addHook('onRequest', async (request) => {
    wellFormedValues(request.params, false);
    wellFormedValues(request.query, false);
  });
  server.addHook('preValidation', async (request) => {
    request.body = wellFormedValues(request.body, true);
  });
}
