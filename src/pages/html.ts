import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/**
 * Hono's `html` template escapes every interpolated value unless it is
 * already escaped markup. Our templates never interpolate promises, so the
 * result is always synchronous; this wrapper says so to the type checker.
 */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): HtmlEscapedString {
  const result = html(strings, ...values)
  if (result instanceof Promise) throw new TypeError('page templates must be synchronous')
  return result
}

/** Marks HTML that was sanitized at build time as safe to insert as it is. */
export function trustedHtml(sanitized: string): HtmlEscapedString {
  return raw(sanitized)
}

export type { HtmlEscapedString }

// Made on first use, never when the module loads: creating an Intl formatter sets up ICU, about
// 80 ms of CPU, and the worker imports this module (for the build-problems page of npm run dev)
// without ever formatting a date. Pages are rendered by the content build, which pays it once.
let dateFormat: Intl.DateTimeFormat | undefined

/** A `<time>` element for an RFC 3339 timestamp, shown as `October 22, 2024`. */
export function timeElement(iso: string): HtmlEscapedString {
  dateFormat ??= new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  })
  return markup`<time datetime="${iso}">${dateFormat.format(new Date(iso))}</time>`
}
