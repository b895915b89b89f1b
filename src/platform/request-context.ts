import type { Lang, Translate } from './i18n.js';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    t: Translate;
  }
}
