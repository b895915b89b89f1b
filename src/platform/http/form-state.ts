import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { CookiePolicy } from '../cookies.js';
import { type SecretBox, type SecretHasher, randomToken } from '../crypto.js';
import type { FormStateRepository } from '../form-state.repository.js';
import type { FieldError } from '../views/components.js';
import { browserBinding } from './browser-binding.js';
import { queryField } from './form.js';

/** Long enough to read the errors and reload; a later reload shows the empty form, never a failure. */
const LIFETIME_MS = 30 * 60_000;

const ID_PURPOSE = 'form-state';
const BINDING_PURPOSE = 'form-state-binding';

/** What a form's error answer shows: what was typed (never a refused password), and what was wrong. */
export interface FormState<V = Record<string, string>, X = undefined> {
  values: V;
  errors: FieldError[];
  /** The answer's status (422, 401, 429 …): the page that shows the state answers with it. */
  status: number;
  /**
   * A refusal that may be tried again later: how long to wait. The page's Retry-After (and what
   * it says) counts down from the POST's answer, however often it is reloaded.
   */
  retryAfterSeconds?: number;
  /** Anything else the page shows with the errors (a dialog). */
  extra?: X;
}

/**
 * Post/redirect/get for error answers too (#10 §1): a form POST never answers with a page, so no
 * history entry is a POST and Back or reload never asks to resubmit. The POST keeps the state
 * here (sealed, bound to the browser and to the page, for half an hour) and answers 303 to the
 * page with `form=<id>`; that GET shows the form with the values and errors.
 */
export class FormStates {
  constructor(
    private readonly deps: {
      repo: FormStateRepository;
      box: SecretBox;
      secrets: SecretHasher;
      clock: Clock;
      cookies: CookiePolicy;
    },
  ) {}

  /** Keeps `state` for the page at `url` (a same-site path, query allowed) and redirects there. */
  async redirect<V, X = undefined>(
    request: FastifyRequest,
    reply: FastifyReply,
    url: string,
    state: FormState<V, X>,
  ): Promise<FastifyReply> {
    const id = randomToken();
    await this.deps.repo.insert(request.tenant.id, {
      idHash: this.deps.secrets.hash(ID_PURPOSE, id),
      bindingHash: this.bindingHash(request, reply),
      path: pathOf(url),
      sealed: this.deps.box.seal(JSON.stringify(this.kept(state))),
      expiresAt: this.deps.clock.now() + LIFETIME_MS,
    });
    return reply.redirect(`${url}${url.includes('?') ? '&' : '?'}form=${id}`, 303);
  }

  /**
   * The state kept for this page and this browser, named by `?form=`; undefined when there is
   * none (a fresh visit, an expired or foreign id). Sets Retry-After while a refusal lasts.
   */
  async recall<V, X = undefined>(request: FastifyRequest, reply: FastifyReply): Promise<FormState<V, X> | undefined> {
    const id = queryField(request.query, 'form');
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const now = this.deps.clock.now();
    const sealed = await this.deps.repo.findLive(
      request.tenant.id,
      {
        idHash: this.deps.secrets.hash(ID_PURPOSE, id),
        bindingHash: this.bindingHash(request, reply),
        path: pathOf(request.url),
      },
      now,
    );
    if (!sealed) return undefined;
    const { retryAt, ...state } = JSON.parse(this.deps.box.open(sealed)) as Kept<V, X>;
    if (retryAt === undefined || retryAt <= now) return state;
    const retryAfterSeconds = Math.ceil((retryAt - now) / 1000);
    reply.header('retry-after', String(retryAfterSeconds));
    return { ...state, retryAfterSeconds };
  }

  private kept<V, X>({ retryAfterSeconds, ...state }: FormState<V, X>): Kept<V, X> {
    return retryAfterSeconds === undefined
      ? state
      : { ...state, retryAt: this.deps.clock.now() + retryAfterSeconds * 1000 };
  }

  private bindingHash(request: FastifyRequest, reply: FastifyReply): string {
    return this.deps.secrets.hash(BINDING_PURPOSE, browserBinding(request, reply, this.deps.cookies));
  }
}

type Kept<V, X> = Omit<FormState<V, X>, 'retryAfterSeconds'> & { retryAt?: number };

function pathOf(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
