import type { Repositories } from '../../db/repositories.js';
import { demoCatalogue } from './catalogue.data.js';

/** Writes the demo catalogue for one tenant (idempotent: each type is replaced). */
export async function seedDemoCatalogue(repos: Pick<Repositories, 'catalogue'>, tenantId: string): Promise<void> {
  for (const item of demoCatalogue) await repos.catalogue.upsert(tenantId, item);
}
