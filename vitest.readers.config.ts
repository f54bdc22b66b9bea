import { defineConfig } from 'vitest/config'

/**
 * The reader conformance suite's own tests (run by `npm run test:readers`,
 * never by `npm test`): its checkers against hand-written broken feeds, served
 * on 127.0.0.1 so newsboat can subscribe to them.
 */
export default defineConfig({
  test: {
    name: 'readers',
    include: ['test/readers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // One port, one server: the files run one at a time.
    fileParallelism: false,
  },
})
