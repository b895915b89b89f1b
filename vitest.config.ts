import { type TestProjectInlineConfiguration, defineConfig } from 'vitest/config';

type TierOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/**
 * Tiers run one after the other (groupOrder) in `npm test`; `npm run test:<tier>` runs one. The
 * test's folder and file name give its tier (README, "Test it"). Past the unit tier one file runs
 * at a time: argon2 and Chromium want the two cores, files in parallel would only fight for them.
 */
function tier(order: number, name: string, options: TierOptions): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      sequence: { groupOrder: order },
      fileParallelism: false,
      // Read by test/helpers/database.ts, which refuses to open a database for a unit test.
      env: { SHOMEI_TEST_TIER: name },
      ...options,
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      // Pure code: files in parallel threads sharing one module graph, so zod, i18next and zxcvbn's
      // dictionaries load once per thread instead of once per file.
      tier(0, 'unit', {
        include: ['src/**/*.test.{ts,tsx}', 'test/architecture/*.test.ts'],
        exclude: ['src/**/*.{db,pdf}.test.{ts,tsx}'],
        pool: 'threads',
        isolate: false,
        fileParallelism: true,
      }),
      // Each file opens its own database; the files share the loaded modules.
      tier(1, 'db', { include: ['src/**/*.db.test.{ts,tsx}'], isolate: false }),
      tier(2, 'pdf', { include: ['src/**/*.pdf.test.{ts,tsx}'] }),
      tier(3, 'http', { include: ['test/*.test.{ts,tsx}'] }),
      tier(4, 'e2e', { include: ['test/e2e/**/*.test.{ts,tsx}'] }),
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
