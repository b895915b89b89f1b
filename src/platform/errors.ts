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
  /** Too many checks on the public verification page, from one address or in all (C-13). */
  verification_rate_limited: 429,
  overloaded: 503,
  directory_unavailable: 503,
  /** The database connection was lost and did not come back within the wait (#8). */
  database_unavailable: 503,
  /** One university's stored settings fail validation: only its pages are refused (#13). */
  tenant_unavailable: 503,
  /** The university's signing key cannot be opened with this SECRET_KEY (#13). */
  signer_unavailable: 503,
  /** Production never signs with a self-signed development key: the university's own is not imported yet (#9 §3). */
  signer_not_imported: 503,
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
  /** C-11: the student's record (or the catalogue) no longer allows a reserved document; refused before payment. */
  reservation_ineligible: 409,
  /** C-11: a character of the document no certificate font can draw; refused before payment. */
  reservation_undrawable: 409,
  /** The terminal API of #9: machines, retries, voids and releases. */
  machine_required: 400,
  method_not_allowed: 405,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  void_refused: 409,
  reservation_voided: 410,
  reservation_released: 410,
  /** #12 A-8: a payment number already paid elsewhere (another machine, the university's cashier): take no money. */
  already_paid: 410,
  /** #12 A-8: a payment number is for the payment alone; there are no documents to fetch or report. */
  nothing_to_print: 409,
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
