import { z } from 'zod';
import type { Infrastructure } from '../../infrastructure.js';
import { operatorActor } from '../../platform/actor.js';
import { type Invalid, parseSettings } from '../../platform/violation.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { type CatalogueItem, catalogueItemSchema } from './catalogue.model.js';

/** The whole catalogue as the operator writes it: one entry per certificate type. */
export const catalogueFileSchema = z
  .array(catalogueItemSchema)
  .min(1, 'offer at least one certificate type')
  .superRefine((items, context) => {
    items.forEach((item, index) => {
      if (items.findIndex((other) => other.type === item.type) !== index)
        context.addIssue({ code: 'custom', message: `${item.type} is listed twice`, path: [index, 'type'] });
    });
  });

/** C-2: the operator sets a university's catalogue as a whole (#13). */
export class CatalogueService {
  constructor(private readonly deps: Pick<Infrastructure, 'uow'>) {}

  list(tenant: Tenant): Promise<CatalogueItem[]> {
    return this.deps.uow.repos.catalogue.list(tenant.id);
  }

  /**
   * Replaces the catalogue in one transaction, or changes nothing when any entry is wrong. Types
   * left out are withdrawn, not deleted: orders placed for them keep their names.
   */
  async replace(tenant: Tenant, input: unknown): Promise<{ status: 'set'; items: CatalogueItem[] } | Invalid> {
    const parsed = parseSettings(catalogueFileSchema, input);
    if (parsed.status === 'invalid') return parsed;
    await this.deps.uow.run(operatorActor(tenant.id), async (tx) => {
      for (const item of parsed.value) await tx.catalogue.upsert(tenant.id, item);
      for (const old of await tx.catalogue.list(tenant.id))
        if (!parsed.value.some((item) => item.type === old.type))
          await tx.catalogue.setActive(tenant.id, old.type, false);
      await tx.audit('catalogue.set', { detail: { types: parsed.value.map((item) => item.type) } });
    });
    return { status: 'set', items: await this.list(tenant) };
  }
}
