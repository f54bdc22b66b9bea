import { join } from 'node:path'
import type { CheckResult } from '../report.ts'
import { type Checker, runProcess, writeFeedFiles } from './context.ts'

/**
 * libxml2's xmllint (Debian's libxml2-utils): every RSS and Atom document must
 * be well-formed XML 1.0 in the encoding it declares. `--nonet` keeps it from
 * fetching anything.
 */

const TOOL = 'xmllint'

export const checkWithXmllint: Checker = async (feeds, context) => {
  const xmlFeeds = feeds.filter((feed) => feed.format !== 'json')
  if (xmlFeeds.length === 0) return []
  const paths = await writeFeedFiles(join(context.workDir, TOOL), xmlFeeds)
  const output = await runProcess('xmllint', ['--noout', '--nonet', ...paths])
  // Errors come as `path:line: parser error : message`, followed by context lines.
  const errors = new Map<string, string[]>()
  for (const line of output.stderr.split('\n')) {
    const match = /^(.+?):(\d+): (.*)$/.exec(line)
    if (!match) continue
    const [, path, lineNumber, message] = match
    errors.set(path!, [...(errors.get(path!) ?? []), `line ${lineNumber}: ${message!.trim()}`])
  }
  if (output.code !== 0 && errors.size === 0)
    throw new Error(`[readers] ${TOOL}: exited with ${output.code}: ${output.stderr}`)
  return xmlFeeds.map(
    (feed, index): CheckResult => ({
      feed: feed.url,
      tool: TOOL,
      problems: (errors.get(paths[index]!) ?? []).slice(0, 5),
    }),
  )
}
