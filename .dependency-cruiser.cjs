/**
 * The shape docs/ARCHITECTURE.md promises, checked on every `npm test` (#7): no cycles between
 * files (folder cycles: test/architecture.test.ts), the platform depends on no feature, services know no views, the CLI
 * never builds the HTTP app, and shipped code never imports tests.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      severity: 'error',
      comment: 'Files import each other in one direction only.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-feature',
      severity: 'error',
      from: { path: '^src/(platform|flows|db/(?!repositories|schema|unit-of-work))', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/(features|dev)/' },
    },
    {
      name: 'services-know-no-views',
      severity: 'error',
      from: { path: '\\.(service|rules|repository|model)\\.ts$' },
      to: { path: '(^src/platform/views/|\\.pages?\\.tsx$|\\.routes\\.tsx?$|^src/platform/http/)' },
    },
    {
      name: 'cli-builds-no-http-app',
      severity: 'error',
      from: { path: '^src/cli' },
      to: { path: '^src/(app|server)\\.ts$|\\.routes\\.tsx?$|fastify' },
    },
    {
      name: 'shipped-code-imports-no-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '(^test/|\\.test\\.tsx?$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
