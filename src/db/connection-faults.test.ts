import { describe, expect, it } from 'vitest';
import { isConnectionError } from './connection-faults.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('#8 which failures are the connection’s, not the work’s', () => {
  it('#8 a restart, a cut connection or a refused one is; a constraint, a timeout or a bug is not', () => {
    for (const error of [
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P03', 'the database system is starting up'),
      withCode('08006'),
      withCode('08003'),
      withCode('08001'),
      withCode('ECONNRESET'),
      withCode('ECONNREFUSED'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('wrapped', { cause: withCode('ECONNRESET') }),
    ])
      expect(isConnectionError(error), error.message).toBe(true);
    for (const error of [
      withCode('23505', 'duplicate key value violates unique constraint'),
      withCode('57014', 'canceling statement due to statement timeout'),
      withCode('40001', 'could not serialize access'),
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
      new Error('timeout exceeded when trying to connect'),
      withCode('SQLITE_BUSY', 'database is locked'),
      new TypeError('x is undefined'),
      'ECONNRESET',
    ])
      expect(isConnectionError(error), String(error)).toBe(false);
  });
});
