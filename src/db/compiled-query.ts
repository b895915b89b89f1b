import { type Compilable, type CompiledQuery, type Kysely, createQueryId } from 'kysely';
import { randomBase64url } from '../platform/crypto.js';

/** A value no caller passes: where a compiled query's parameter is an argument, not a constant. */
const marker = `\u0000arg-${randomBase64url(12)}-`;

interface Shape {
  compiled: CompiledQuery<unknown>;
  /** For each of the compiled parameters: the argument's index, or -1 for a constant. */
  sources: number[];
}

/**
 * A query on the hot path built and compiled by Kysely once per database connection object, then
 * run with new values (#11): Kysely otherwise builds its operation tree and compiles it to SQL
 * on every call (a visible share of a logged-in page). `build` gets the connection and a
 * placeholder for each argument, and must use each only as a value (in `where`, `set`,
 * `values`), never to choose the query's shape (no `if` on it, no list whose length varies) —
 * the shape is fixed at the first call. The result goes through the connection's plugins as
 * usual; each run gets a query id of its own.
 */
export function reusableQuery<DB, A extends unknown[], R>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): (db: Kysely<DB>, ...args: A) => Promise<R[]> {
  const shapes = new WeakMap<Kysely<DB>, Shape>();
  return async (db, ...args) => {
    let shape = shapes.get(db);
    if (!shape) {
      const placeholders = args.map((_, i) => `${marker}${i}`) as A;
      const compiled = build(db, ...placeholders).compile();
      const sources = compiled.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(marker) ? Number(value.slice(marker.length)) : -1,
      );
      shape = { compiled, sources };
      shapes.set(db, shape);
    }
    const { compiled, sources } = shape;
    const parameters = sources.map((source, i) => (source < 0 ? compiled.parameters[i] : args[source]));
    const result = await db.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() });
    return result.rows;
  };
}
