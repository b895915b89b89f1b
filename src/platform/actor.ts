import type { Lang } from './i18n.js';

/** Who acts: a student in a browser (before or after login), a print terminal, the operator's CLI, a staff member. */
export type ActorKind = 'visitor' | 'student' | 'terminal' | 'operator' | 'staff';

/**
 * The actor of a unit of work. Audit entries take their who and where from it, so no service
 * spells out an address or a user agent; services get it from the route (or the CLI) and never
 * see HTTP.
 */
export interface Actor {
  tenantId: string;
  kind: ActorKind;
  /** The student account acting, once known (null before login, for terminals and the operator). */
  accountId: string | null;
  ip: string | null;
  userAgent: string;
  lang: Lang;
  /** Keyed hash of this browser's flow-binding cookie: flows answer only the browser that began them. */
  binding: string;
  /** The staff member acting (kind 'staff'); audit entries name them in their detail. */
  staffId?: string;
}

/** The operator at a terminal: the CLI acts as this. */
export function operatorActor(tenantId: string, lang: Lang = 'en'): Actor {
  return { tenantId, kind: 'operator', accountId: null, ip: null, userAgent: 'shomei-cli', lang, binding: '' };
}
