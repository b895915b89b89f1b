/**
 * The one catalogue of coded errors (after Outline's server/errors.ts): every refusal a person,
 * a terminal or an operator can meet has a stable code here and `errors.<code>.title` / `.body`
 * in every locale. Pages render it through the one error handler; the terminal API answers it as
 * JSON `{ error: code }`; the CLI prints its detail. Rule violations of a form are not errors:
 * services return them as `{ status: 'invalid', violations }`.
 */
export const errorStatus = {
  not_found: 404,
  tenant_not_found: 404,
  csrf_invalid: 403,
  bad_request: 400,
  payload_too_large: 413,
  rate_limited: 429,
  overloaded: 503,
  directory_unavailable: 503,
  /** The database connection was lost and did not come back within the wait (#8). */
  database_unavailable: 503,
  /** One university's stored settings fail validation: only its pages are refused (#13). */
  tenant_unavailable: 503,
  /** The university's signing key cannot be opened with this SECRET_KEY (#13). */
  signer_unavailable: 503,
  internal: 500,
  /** The terminal API (C-5). */
  unauthorized: 401,
  reservation_not_found: 404,
  reservation_expired: 410,
  reservation_cancelled: 410,
  reservation_printed: 410,
  reservation_in_use: 409,
  not_paid: 409,
  amount_mismatch: 422,
  /** Operator commands. */
  signer_invalid: 422,
  tenant_slug_invalid: 422,
  tenant_address_missing: 409,
  tenant_slug_taken: 409,
  /** A university still being set up (#13): its pages say so until the operator opens it. */
  tenant_not_open: 503,
  tenant_settings_invalid: 422,
  /** A staff member asked for a console page their role does not open (#12, A-1). */
  staff_forbidden: 403,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly options: {
      retryAfterSeconds?: number;
      /** For operators and logs, never shown on a page: what exactly was wrong. */
      detail?: string;
      cause?: unknown;
    } = {},
  ) {
    super(options.detail ? `${code}: ${options.detail}` : code, { cause: options.cause });
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}
