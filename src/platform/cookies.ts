import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * Cookie names and flags in one place. Over https every cookie is `Secure` and takes the
 * `__Host-` prefix (no Domain, Path=/), so a sibling subdomain cannot plant or read it.
 */
export class CookiePolicy {
  constructor(private readonly secure: boolean) {}

  // Getters, not field initialisers: those would run before `secure` is set and lose the prefix.

  private name(base: string): string {
    return this.secure ? `__Host-${base}` : base;
  }

  session(tenantSlug: string): string {
    return this.name(`shomei-session-${tenantSlug}`);
  }

  trustedBrowser(tenantSlug: string): string {
    return this.name(`shomei-trust-${tenantSlug}`);
  }

  /** OWASP's device cookie: this browser has logged in as a user before (login-lockout.ts). */
  knownDevice(tenantSlug: string): string {
    return this.name(`shomei-device-${tenantSlug}`);
  }

  /** Ties a pre-login flow (key entry, second-password setup) to the browser that began it. */
  get flowBinding(): string {
    return this.name('shomei-flow');
  }

  /**
   * Second-password setup: the university password's hash, sealed with the server key, kept by
   * the browser instead of the server (L-5 without a copy in the database).
   */
  get setupProof(): string {
    return this.name('shomei-setup');
  }

  /**
   * Staff sessions (A-1) live under /<tenant>/staff only, never sent to the students' pages; a
   * path other than / rules out `__Host-`, so over https they take `__Secure-`.
   */
  staffSession(tenantSlug: string): string {
    return `${this.secure ? '__Secure-' : ''}shomei-staff-${tenantSlug}`;
  }

  /** The staff side's device cookie (login-lockout.ts), kept apart from the student's. */
  staffDevice(tenantSlug: string): string {
    return `${this.secure ? '__Secure-' : ''}shomei-staff-device-${tenantSlug}`;
  }

  staffOptions(tenantSlug: string, maxAgeSeconds?: number): CookieSerializeOptions {
    return { ...this.options(maxAgeSeconds), path: `/${tenantSlug}/staff` };
  }

  get csrf(): string {
    return this.name('shomei-csrf');
  }

  /** No script reads the language, so it is HttpOnly and prefixed like the others. */
  get lang(): string {
    return this.name('shomei-lang');
  }

  options(maxAgeSeconds?: number): CookieSerializeOptions {
    return {
      path: '/',
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      ...(maxAgeSeconds !== undefined && { maxAge: maxAgeSeconds }),
    };
  }
}
