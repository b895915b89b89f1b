import type { ZodType } from 'zod';

/**
 * A broken rule, as services report it: `code` names the rule (`email.mismatch`), `path` the part
 * of the input it concerns (`check`, `lines`), `params` what the message needs (`{ max: 2 }`).
 * Routes turn paths into form fields and codes into messages; services know neither.
 */
export interface Violation {
  code: string;
  path: string;
  params?: Record<string, string | number>;
}

export type Invalid = { status: 'invalid'; violations: Violation[] };

/** `ja.inquiry.phones[0].number`: the place in an operator's file, as they would look for it. */
function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** Keys the input has and the parsed value does not: a misspelt field would otherwise be dropped unseen. */
function unknownKeys(input: unknown, parsed: unknown, path: PropertyKey[] = []): Violation[] {
  if (Array.isArray(input) && Array.isArray(parsed))
    return input.flatMap((item, index) => unknownKeys(item, parsed[index], [...path, index]));
  if (!input || !parsed || typeof input !== 'object' || typeof parsed !== 'object') return [];
  return Object.entries(input).flatMap(([key, value]) =>
    key in parsed
      ? unknownKeys(value, (parsed as Record<string, unknown>)[key], [...path, key])
      : [{ code: 'unknown field', path: pathText([...path, key]) }],
  );
}

/**
 * Settings an operator writes (#13), checked whole before anything is stored: every problem
 * with the place it is at, unknown fields included. `code` is the schema's own message.
 */
export function parseSettings<T>(schema: ZodType<T>, input: unknown): { status: 'valid'; value: T } | Invalid {
  const result = schema.safeParse(input);
  if (!result.success) {
    return {
      status: 'invalid',
      violations: result.error.issues.map((issue) => ({ code: issue.message, path: pathText(issue.path) })),
    };
  }
  const unknown = unknownKeys(input, result.data);
  return unknown.length > 0 ? { status: 'invalid', violations: unknown } : { status: 'valid', value: result.data };
}
