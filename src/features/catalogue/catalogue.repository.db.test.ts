import { describe, expect, it } from 'vitest';
import { eachWithTwoTenants } from '../../../test/factories/tenant-database.js';
import type { Repositories } from '../../db/repositories.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { demoCatalogue } from '../../dev/demo/catalogue.data.js';
import { seedDemoCatalogue } from '../../dev/demo/demo-catalogue.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

let repos: Repositories;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (fresh) => ({ repos, a, b } = fresh));

describe('CatalogueRepository', () => {
  it('C-2 the catalogue reads back as written, in display order', async () => {
    await seedDemoCatalogue(repos, a.id);
    expect(await repos.catalogue.list(a.id)).toEqual(demoCatalogue);
    expect(await repos.catalogue.find(a.id, 'expected_graduation')).toEqual(demoCatalogue[2]);
  });

  it('C-2 upsert changes a type in place; setActive withdraws it from activeOnly lists', async () => {
    await seedDemoCatalogue(repos, a.id);
    const transcript = demoCatalogue[1]!;
    await repos.catalogue.upsert(a.id, { ...transcript, feeYen: 500, languages: ['ja'], sortOrder: 1 });
    expect((await repos.catalogue.list(a.id)).map((item) => [item.type, item.feeYen])).toEqual([
      ['transcript', 500],
      ['enrollment', 300],
      ['expected_graduation', 300],
      ['course_application', 100],
    ]);
    expect(await repos.catalogue.setActive(a.id, 'transcript', false)).toBe(true);
    expect((await repos.catalogue.list(a.id, { activeOnly: true })).map((item) => item.type)).not.toContain(
      'transcript',
    );
    expect((await repos.catalogue.find(a.id, 'transcript'))?.active).toBe(false);
  });

  it('C-2 an invalid item is refused before it reaches the table', async () => {
    await expect(repos.catalogue.upsert(a.id, { ...demoCatalogue[0]!, feeYen: -1 })).rejects.toThrow();
    await expect(
      repos.catalogue.upsert(a.id, { ...demoCatalogue[0]!, eligibility: { statuses: [], finalYearOnly: false } }),
    ).rejects.toThrow();
    expect(await repos.catalogue.list(a.id)).toEqual([]);
  });

  it("#4 a catalogue of tenant A is not readable or changeable with tenant B's id", async () => {
    await seedDemoCatalogue(repos, a.id);
    expect(await repos.catalogue.list(b.id)).toEqual([]);
    expect(await repos.catalogue.find(b.id, 'enrollment')).toBeUndefined();
    expect(await repos.catalogue.setActive(b.id, 'enrollment', false)).toBe(false);
    expect((await repos.catalogue.find(a.id, 'enrollment'))?.active).toBe(true);
    await repos.catalogue.upsert(b.id, { ...demoCatalogue[0]!, feeYen: 1000 });
    expect((await repos.catalogue.find(a.id, 'enrollment'))?.feeYen).toBe(300);
    expect((await repos.catalogue.find(b.id, 'enrollment'))?.feeYen).toBe(1000);
  });
});
