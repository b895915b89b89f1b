/**
 * The closed catalogue of errors a user can meet. Each code has `errors.<code>.title` and
 * `errors.<code>.body` in every locale; the one error handler renders them.
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
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(code, { cause: options.cause });
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}
