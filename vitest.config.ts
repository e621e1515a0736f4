import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One graphql realm: source files and CommonJS dependencies (Apollo, graphql-tools) must share
  // graphql's CommonJS build, or schemas built on one side fail the other side's instanceof checks.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
