import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers/database.js';
import { SecretHasher, sha256 } from './crypto.js';
import { RateLimits } from './rate-limit.js';

let testDatabase: Awaited<ReturnType<typeof freshDatabase>>;

beforeEach(async () => {
  testDatabase = await freshDatabase();
});

afterEach(async () => {
  await testDatabase.drop();
});

describe('#8 rate-limit keys', () => {
  it('#8 are stored keyed with the server secret: a plain hash of a guessed user ID finds nothing', async () => {
    const limits = new RateLimits(testDatabase.handle, new SecretHasher('rate-limit-test-secret-0123456789abcdef'));
    const key = 'tenant-1:s2026001';
    await limits.penalize('loginFailuresPerUser', key);
    const { rows } = await sql<{ key: string }>`select key from rate_limits`.execute(testDatabase.handle.db);
    expect(rows).toHaveLength(1);
    const stored = String(rows[0]!.key);
    expect(stored).not.toContain(sha256(key));
    expect(stored).not.toContain('s2026001');
    expect(await limits.assertNotBlocked('loginFailuresPerUser', key)).toBe(1);
  });
});
