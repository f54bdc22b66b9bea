import { appendFileSync } from 'node:fs'
import { registerHooks } from 'node:module'

/**
 * Records every module a Node process loads, one URL a line, in the file
 * LOADED_MODULES_LOG names: a test starts a script with
 * `NODE_OPTIONS=--import <this file>` to see what it loaded, dynamic imports
 * included (test/scripts/build-content.test.ts).
 */
const log = process.env.LOADED_MODULES_LOG
if (log) {
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(log, `${url}\n`)
      return nextLoad(url, context)
    },
  })
}
