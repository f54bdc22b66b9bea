/**
 * Fails when worker-configuration.d.ts no longer matches wrangler.toml (a
 * binding or variable added, renamed or removed) or the installed workerd.
 * Run by `npm run lint`, so CI catches it; `npm run cf-typegen` fixes it.
 */
import { spawnSync } from 'node:child_process'

const TYPES_FILE = 'worker-configuration.d.ts'

// The same options as `npm run cf-typegen`: the header records them, and --check compares against it.
const check = spawnSync('npx', ['wrangler', 'types', '--strict-vars=false', '--check'], {
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
})
if (check.status !== 0) {
  process.stderr.write(check.stdout + check.stderr)
  console.error(
    `[types] ${TYPES_FILE}: is out of date with wrangler.toml or the installed workerd. Run \`npm run cf-typegen\` and commit the file`,
  )
  process.exitCode = 1
}
