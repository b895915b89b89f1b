import type { Repositories } from '../db/repositories.js';
import type { Clock } from '../platform/clock.js';
import { newId, randomToken } from '../platform/crypto.js';
import type { SecretHasher } from '../platform/crypto.js';
import type { Flow } from './flow.model.js';
import { type FlowKind, type FlowState, initialState } from './flow.state.js';

export interface FlowInit<C> {
  tenantId: string;
  kind: FlowKind;
  subjectId: string | null;
  lifetimeMs: number;
  context: C;
}

export type LinkStatus<C> = { status: 'valid'; flow: Flow<C> } | { status: 'expired' | 'used' | 'unknown' };

/** The keyed-hash purpose of mailed link tokens, apart from every other secret's. */
const LINK_TOKEN_PURPOSE = 'flow-token';

/**
 * The steps every journey shares, written once: start a flow, find it again only while it is
 * live (and, for browser-bound journeys, only from the browser that began it), and the tokens of
 * mailed one-time links (L-3, L-9, L-11: 256 random bits, only a keyed hash stored).
 */
export class FlowService {
  constructor(private readonly deps: { clock: Clock; secrets: SecretHasher }) {}

  /** Inserts a new flow in its kind's first state. */
  async start<C>(repos: Repositories, init: FlowInit<C>): Promise<Flow<C>> {
    const flow = this.newFlow(init);
    await repos.flows.insert(flow);
    return flow;
  }

  /** Inserts a new flow that answers a mailed one-time link, and gives the link's address. */
  async startWithLink<C>(
    repos: Repositories,
    init: FlowInit<C>,
    page: string,
  ): Promise<{ flow: Flow<C>; url: string }> {
    const flow = this.newFlow(init);
    const token = this.newLinkToken();
    await repos.flows.insert(flow, token.hash);
    return { flow, url: this.linkUrl(page, token.token) };
  }

  private newFlow<C>(init: FlowInit<C>): Flow<C> {
    const now = this.deps.clock.now();
    return {
      tenantId: init.tenantId,
      id: newId(),
      kind: init.kind,
      state: initialState[init.kind],
      subjectId: init.subjectId,
      issuedAt: now,
      expiresAt: now + init.lifetimeMs,
      context: init.context,
    };
  }

  /**
   * The flow, if it is still usable: not expired, in one of `states` (any but completed when not
   * given), and — when `binding` is given — begun by this browser. Anything else is "gone".
   */
  async findLive<C>(
    repos: Repositories,
    tenantId: string,
    kind: FlowKind,
    id: string,
    expect: { binding?: string; states?: FlowState[] } = {},
  ): Promise<Flow<C> | undefined> {
    const flow = await repos.flows.find<C>(tenantId, id, kind);
    if (!flow || flow.expiresAt <= this.deps.clock.now()) return undefined;
    if (expect.states ? !expect.states.includes(flow.state) : flow.state === 'completed') return undefined;
    if (expect.binding !== undefined && (flow.context as { binding?: string }).binding !== expect.binding)
      return undefined;
    return flow;
  }

  newLinkToken(): { token: string; hash: string } {
    const token = randomToken();
    return { token, hash: this.linkTokenHash(token) };
  }

  linkTokenHash(token: string): string {
    return this.deps.secrets.hash(LINK_TOKEN_PURPOSE, token);
  }

  linkUrl(page: string, token: string): string {
    return `${page}?token=${encodeURIComponent(token)}`;
  }

  /** What the link's page should say; reading never uses the token (L-18). */
  async inspectLink<C>(repos: Repositories, tenantId: string, kind: FlowKind, token: string): Promise<LinkStatus<C>> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'unknown' };
    const flow = await repos.flows.findByToken<C>(tenantId, kind, this.linkTokenHash(token));
    if (!flow) return { status: 'unknown' };
    if (flow.state === 'completed') return { status: 'used' };
    if (flow.expiresAt <= this.deps.clock.now()) return { status: 'expired' };
    return { status: 'valid', flow };
  }
}
