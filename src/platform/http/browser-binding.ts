import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookiePolicy } from '../cookies.js';
import { randomToken } from '../crypto.js';

/**
 * The browser's binding value (a random cookie, created on first need): pre-login flows and
 * kept form states belong to the browser that began them. Stored only as a keyed hash.
 */
export function browserBinding(request: FastifyRequest, reply: FastifyReply, cookies: CookiePolicy): string {
  let binding = request.cookies[cookies.flowBinding];
  if (!binding || !/^[A-Za-z0-9_-]{43}$/.test(binding)) {
    binding = randomToken();
    reply.setCookie(cookies.flowBinding, binding, cookies.options());
    request.cookies[cookies.flowBinding] = binding;
  }
  return binding;
}
