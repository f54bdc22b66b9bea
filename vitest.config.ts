import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        // The worker and everything it imports, tested inside workerd, the Workers runtime.
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'worker',
          include: ['test/{contract,feeds,pages,site,worker}/**/*.test.ts'],
        },
      },
      {
        // The content build runs in Node at build time, so it is tested there.
        test: {
          name: 'build',
          include: ['test/{build,scripts,publish}/**/*.test.ts'],
          environment: 'node',
          // Script tests start tsx in a child process, which takes seconds on a loaded machine.
          testTimeout: 30_000,
        },
      },
    ],
  },
})
