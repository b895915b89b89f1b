import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { brandingCss } from '../tenants/branding.js';
import type { SettingsService } from './settings.service.js';

/** Addresses carry the version (`?v=`), so a changed logo or colour is a new address and the old one may be kept long. */
const CACHE = 'public, max-age=86400';

/**
 * A university's logo and colour (#12 §4), for its students' pages and its console: the logo from
 * the database with the type its bytes were checked to be, and the colour as a stylesheet the
 * Content-Security-Policy allows (style-src 'self'; no inline style).
 */
export async function brandingRoutes(app: FastifyInstance, { settings }: { settings: SettingsService }) {
  app.get('/logo', async (request, reply) => {
    const logo = request.tenant.branding.logo && (await settings.logo(request.tenant));
    if (!logo) throw new AppError('not_found');
    return reply
      .header('cache-control', CACHE)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline; filename="logo"')
      .type(logo.contentType)
      .send(logo.bytes);
  });

  app.get('/colours.css', async (request, reply) => {
    const colour = request.tenant.branding.colour;
    if (!colour) throw new AppError('not_found');
    return reply
      .header('cache-control', CACHE)
      .header('x-content-type-options', 'nosniff')
      .type('text/css; charset=utf-8')
      .send(brandingCss(colour));
  });
}
