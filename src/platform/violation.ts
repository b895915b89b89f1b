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
