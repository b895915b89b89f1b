import type { Repositories } from '../../db/repositories.js';
import type { Flow } from '../../flows/flow.repository.js';
import type { FlowKind } from '../../flows/flow.state.js';
import { randomToken } from '../../platform/crypto.js';
import { type AuthContext, secretPurpose } from './auth.context.js';

export type LinkStatus<C> = { status: 'valid'; flow: Flow<C> } | { status: 'expired' | 'used' | 'unknown' };

/** The tokens of mailed one-time URLs (L-3, L-9, L-11): 256 random bits, only a keyed hash stored. */
export class LinkTokens {
  constructor(private readonly ctx: AuthContext) {}

  create(): { token: string; hash: string } {
    const token = randomToken();
    return { token, hash: this.hash(token) };
  }

  hash(token: string): string {
    return this.ctx.secrets.hash(secretPurpose.flowToken, token);
  }

  url(tenantSlug: string, path: string, token: string): string {
    return `${this.ctx.config.publicUrl}/${tenantSlug}${path}?token=${encodeURIComponent(token)}`;
  }

  /** What the link's page should say; reading never uses the token (L-18). */
  async inspect<C>(repos: Repositories, tenantId: string, kind: FlowKind, token: string): Promise<LinkStatus<C>> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'unknown' };
    const flow = await repos.flows.findByToken<C>(tenantId, kind, this.hash(token));
    if (!flow) return { status: 'unknown' };
    if (flow.state === 'completed') return { status: 'used' };
    if (flow.expiresAt <= this.ctx.clock.now()) return { status: 'expired' };
    return { status: 'valid', flow };
  }
}
