import fs from 'node:fs';
import readline from 'node:readline';
import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from './database.js';
import { migrationStatus } from './migrate.js';

/**
 * A database as JSON lines, the same on SQLite and PostgreSQL (to move from one to the other):
 * a header line (format, the schema's migrations, the tables in the order they load), one line
 * per row, and an end line with the row count so a cut file is refused. Migration bookkeeping is
 * in the header; rate-limit counters are left behind (they are minutes long and their table
 * differs by dialect).
 */
const FORMAT = 'shomei-export';
const VERSION = 1;
const LEFT_BEHIND = new Set(['kysely_migration', 'kysely_migration_lock', 'rate_limits']);
const PAGE_ROWS = 500;
const INSERT_ROWS = 100;

interface Header {
  format: typeof FORMAT;
  version: number;
  migrations: string[];
  tables: string[];
}

/** An export or import that cannot go ahead; the message says why. */
export class PortableExportError extends Error {}

export interface ExportSummary {
  tables: number;
  rows: number;
}

export async function exportDatabase(database: DatabaseHandle, file: string): Promise<ExportSummary> {
  const { applied, pending, unknown } = await migrationStatus(database.db);
  if (pending.length > 0 || unknown.length > 0)
    throw new PortableExportError('Bring the database to this version’s schema first (shomei migrate), then export.');
  if (fs.existsSync(file)) throw new PortableExportError(`${file} exists; export to a new file.`);
  const partial = `${file}.partial`;
  const out = fs.openSync(partial, 'w', 0o600);
  let rows = 0;
  try {
    // One snapshot: on SQLite a read transaction; on PostgreSQL repeatable read.
    // Tables by name, whichever exist: the export follows the schema, not the code's types.
    const tx = (database.db as Kysely<any>).transaction();
    const tables = await (database.dialect === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx).execute(
      async (trx) => {
        const order = await loadOrder(trx, database.dialect);
        const header: Header = { format: FORMAT, version: VERSION, migrations: applied, tables: order };
        fs.writeSync(out, `${JSON.stringify(header)}\n`);
        for (const table of order) {
          const key = await primaryKey(trx, database.dialect, table);
          for (let offset = 0; ; offset += PAGE_ROWS) {
            let query = trx.selectFrom(table).selectAll().limit(PAGE_ROWS).offset(offset);
            for (const column of key) query = query.orderBy(column);
            const page = await query.execute();
            for (const row of page) fs.writeSync(out, `${JSON.stringify({ table, row })}\n`);
            rows += page.length;
            if (page.length < PAGE_ROWS) break;
          }
        }
        return order.length;
      },
    );
    fs.writeSync(out, `${JSON.stringify({ end: true, rows })}\n`);
    fs.fsyncSync(out);
    fs.closeSync(out);
    fs.renameSync(partial, file);
    return { tables, rows };
  } catch (error) {
    fs.closeSync(out);
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Loads an export into an empty database at the same schema, in one transaction: either every
 * row is in, or none.
 */
export async function importDatabase(database: DatabaseHandle, file: string): Promise<ExportSummary> {
  if (!fs.existsSync(file)) throw new PortableExportError(`There is no export at ${file}.`);
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    const header = parseLine(first.done ? '' : first.value) as Partial<Header>;
    if (header.format !== FORMAT || header.version !== VERSION || !Array.isArray(header.tables))
      throw new PortableExportError(`${file} is not a Shomei export (format ${FORMAT} ${VERSION}).`);
    const { applied } = await migrationStatus(database.db);
    if (JSON.stringify(applied) !== JSON.stringify(header.migrations))
      throw new PortableExportError(
        `The export's schema (${header.migrations?.length ?? 0} migrations) is not this database's (${applied.length}): ` +
          'export and import with the same version of Shomei, and migrate both databases first.',
      );
    const tables = header.tables;
    return await (database.db as Kysely<any>).transaction().execute(async (trx) => {
      for (const table of tables) {
        const present = await trx
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        if (Number(present.n) > 0)
          throw new PortableExportError(`The target database is not empty (${table} has rows); import into a new one.`);
      }
      let rows = 0;
      let batch: { table: string; rows: Record<string, unknown>[] } | undefined;
      const flush = async () => {
        if (batch && batch.rows.length > 0) await trx.insertInto(batch.table).values(batch.rows).execute();
        batch = undefined;
      };
      for (;;) {
        const next = await iterator.next();
        if (next.done) throw new PortableExportError(`${file} ends early (no end line): it was cut; nothing imported.`);
        const line = parseLine(next.value) as {
          table?: string;
          row?: Record<string, unknown>;
          end?: boolean;
          rows?: number;
        };
        if (line.end) {
          await flush();
          if (line.rows !== rows) throw new PortableExportError(`${file} says ${line.rows} rows but holds ${rows}.`);
          return { tables: tables.length, rows };
        }
        if (!line.table || !tables.includes(line.table) || !line.row)
          throw new PortableExportError(`${file}: a line names no table of the export.`);
        if (batch?.table !== line.table || batch.rows.length >= INSERT_ROWS) {
          await flush();
          batch = { table: line.table, rows: [] };
        }
        batch.rows.push(line.row);
        rows++;
      }
    });
  } finally {
    lines.close();
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new PortableExportError('the export has a line that is not JSON: the file is damaged.');
  }
}

/** Every table of the schema, parents before the tables whose foreign keys point at them. */
async function loadOrder(db: Kysely<any>, dialect: DatabaseHandle['dialect']): Promise<string[]> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((name) => !LEFT_BEHIND.has(name));
  const { rows: links } =
    dialect === 'postgres'
      ? await sql<{ child: string; parent: string }>`
          select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
          from pg_constraint c where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db)
      : await sql<{ child: string; parent: string }>`
          select m.name as child, p."table" as parent
          from sqlite_master m, pragma_foreign_key_list(m.name) p where m.type = 'table'`.execute(db);
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table) || path.includes(table)) return;
    for (const link of links) if (link.child === table && link.parent !== table) visit(link.parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table, []);
  return ordered.filter((table) => tables.includes(table));
}

/** The primary key's columns (or every column), so pages of a table neither skip nor repeat rows. */
async function primaryKey(db: Kysely<any>, dialect: DatabaseHandle['dialect'], table: string): Promise<string[]> {
  const { rows } =
    dialect === 'postgres'
      ? await sql<{ name: string }>`
          select a.attname as name from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = ${table}::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`.execute(
          db,
        )
      : await sql<{ name: string }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db);
  if (rows.length > 0) return rows.map((row) => row.name);
  const columns = (await db.introspection.getTables()).find((t) => t.name === table)?.columns ?? [];
  return columns.map((column) => column.name);
}
