import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import { order } from '../../../test/factories/order.js';
import { eachWithTwoTenants, type TwoTenants } from '../../../test/factories/tenant-database.js';
import { testDialect } from '../../../test/helpers/database.js';
import { isoDateOfDayNumber } from '../../db/jst-day.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Tenant } from '../tenants/tenant.model.js';
import { StatisticsRepository } from './statistics.repository.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
/** 23:59 and 00:00 in Japan: the two sides of a Japan-time midnight. */
const BEFORE_MIDNIGHT = Date.UTC(2026, 10, 22, 14, 59, 0);
const AFTER_MIDNIGHT = Date.UTC(2026, 10, 22, 15, 0, 0);
const YEAR = { from: Date.UTC(2025, 10, 22, 15), to: Date.UTC(2026, 10, 23, 15) };

let fresh: TwoTenants;
let a: Tenant;
let b: Tenant;
eachWithTwoTenants(T0, (made) => ({ a, b } = fresh = made));

/** The SQL a repository call sends, caught on its way out, for EXPLAIN. */
function capturing(): { plugin: KyselyPlugin; nodes: RootOperationNode[] } {
  const nodes: RootOperationNode[] = [];
  return {
    nodes,
    plugin: {
      transformQuery: (args) => {
        nodes.push(args.node);
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
  };
}

async function insertMail(tenantId: string, id: string, failedAt: number | null) {
  await fresh.database.handle.db
    .insertInto('mail_outbox')
    .values({
      tenant_id: tenantId,
      id,
      event: 'test',
      to_address: 'x@example.ac.jp',
      subject: '',
      body_text: '',
      body_html: '',
      priority: 1,
      created_at: T0,
      attempts: 1,
      next_attempt_at: T0,
      locked_until: null,
      locked_by: null,
      sent_at: failedAt === null ? T0 : null,
      failed_at: failedAt,
      last_error: failedAt === null ? null : '550',
    })
    .execute();
}

describe('#12 A-7 StatisticsRepository', () => {
  it('#12 A-7 counts by Japan-time day, and only the tenant asked for', async () => {
    const repos = fresh.repos;
    for (const [tenant, createdAt, state] of [
      [a, BEFORE_MIDNIGHT, 'paid'],
      [a, AFTER_MIDNIGHT, 'paid'],
      [a, AFTER_MIDNIGHT, 'cancelled'],
      [b, AFTER_MIDNIGHT, 'paid'],
    ] as const)
      await repos.orders.insert(order(tenant.id, { createdAt, state }));
    expect(await repos.statistics.ordersByState(a.id, YEAR)).toEqual(
      expect.arrayContaining([
        { state: 'paid', count: 2 },
        { state: 'cancelled', count: 1 },
      ]),
    );
    await insertMail(a.id, 'm1', BEFORE_MIDNIGHT);
    await insertMail(a.id, 'm2', AFTER_MIDNIGHT);
    await insertMail(a.id, 'm3', AFTER_MIDNIGHT);
    await insertMail(a.id, 'm4', null);
    await insertMail(b.id, 'm5', AFTER_MIDNIGHT);
    const mail = await repos.statistics.mailFailures(a.id, YEAR);
    expect(mail.map((row) => [isoDateOfDayNumber(row.day), row.count]).sort()).toEqual([
      ['2026-11-22', 1],
      ['2026-11-23', 2],
    ]);
    await repos.auditLog.record(a.id, { event: 'login.failure' }, BEFORE_MIDNIGHT);
    await repos.auditLog.record(a.id, { event: 'login.failure' }, AFTER_MIDNIGHT);
    await repos.auditLog.record(b.id, { event: 'login.failure' }, AFTER_MIDNIGHT);
    const logins = await repos.auditLog.countByDay(a.id, ['login.failure', 'login.success'], YEAR);
    expect(logins.map((row) => [row.event, isoDateOfDayNumber(row.day), row.count]).sort()).toEqual([
      ['login.failure', '2026-11-22', 1],
      ['login.failure', '2026-11-23', 1],
    ]);
    expect(await repos.statistics.certificatesIssued(b.id, YEAR)).toEqual([]);
  });

  it.runIf(testDialect === 'sqlite')(
    '#12 A-7 a year of one university is read through indexes that lead with the tenant, never a scan',
    async () => {
      const db = fresh.database.handle.db;
      const { plugin, nodes } = capturing();
      const statistics = new StatisticsRepository(db.withPlugin(plugin));
      const audit = new AuditRepository(db.withPlugin(plugin));
      await statistics.certificatesIssued(a.id, YEAR);
      await statistics.ordersByState(a.id, YEAR);
      await statistics.mailFailures(a.id, YEAR);
      await audit.countByDay(a.id, ['login.success', 'login.failure'], YEAR);
      await audit.search(a.id, { from: YEAR.from, to: YEAR.to }, undefined, 51);
      await audit.search(a.id, { address: { value: '192.0.2.', prefix: true } }, { at: T0, id: 'x' }, 51);
      expect(nodes).toHaveLength(6);
      // Where there is a range it is part of the index search: a year is a year of rows, not all of them.
      const ranged = [true, true, true, true, true, false];
      for (const [index, node] of nodes.entries()) {
        const compiled = db.getExecutor().compileQuery(node, { queryId: 'explain' });
        const plan = await db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
        );
        const details = plan.rows.map((row) => row.detail);
        const first = details.find((detail) => /^(SCAN|SEARCH)/.test(detail));
        expect(first, `${compiled.sql}\n${details.join('\n')}`).toMatch(
          ranged[index]
            ? /^SEARCH \w+ USING (COVERING )?INDEX \w+ \(tenant_id=\? AND (\w+=\? AND )?\w+>\? AND \w+<\?\)/
            : /^SEARCH \w+ USING (COVERING )?INDEX \w+ \(tenant_id=\?/,
        );
        expect(details.join('\n'), compiled.sql).not.toMatch(/^SCAN (?!.*USING)/m);
      }
    },
  );
});
