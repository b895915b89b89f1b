import type { Violation } from '../violation.js';
import type { FieldError } from '../views/components.js';
import { truncate, wellFormed } from './well-formed.js';

/**
 * Form fields arrive as strings or not at all; anything else (arrays, objects) counts as empty.
 * Cut to `maxLength` without splitting a surrogate pair, and well-formed (see well-formed.ts)
 * even when a caller hands in a body the app's hook has not seen.
 */
export function formField(body: unknown, name: string, maxLength = 1024): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? wellFormed(truncate(value, maxLength), { lines: true }) : '';
}

export function queryField(query: unknown, name: string): string {
  return formField(query, name, 256);
}

/**
 * A service's violations as the form shows them: each path becomes the field that holds it and
 * each code its message. Paths a form does not name stay as they are.
 */
export function fieldErrors(
  violations: Violation[],
  form: { fields?: Record<string, string> | ((path: string) => string); message: (code: string) => string },
): FieldError[] {
  const fieldOf = (path: string) =>
    typeof form.fields === 'function' ? form.fields(path) : (form.fields?.[path] ?? path);
  return violations.map((violation) => ({
    field: fieldOf(violation.path),
    message: form.message(violation.code),
    ...(violation.params && { params: violation.params }),
  }));
}
