import { defineConfig } from 'vitest/config'

/**
 * End-to-end tests: headless Chromium against the real worker under
 * `wrangler dev`. Run with `npm run test:e2e`; `npm test` does not include
 * them (they need Debian's chromium and newsboat, and take a minute).
 */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    // One browser at a time: CI has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
