import { linkTargets } from '../compare-entries.ts'

/**
 * Small rules from the specifications that parsers forgive and readers trip
 * on, shared by the RSS, Atom and JSON Feed rule checks.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/** True for a URL with a scheme; `#x`, `/path` and `page.html` are relative. */
export function isAbsoluteUrl(url: string): boolean {
  return SCHEME.test(url.trim())
}

/** Problems for each relative `href`/`src` in some HTML: a reader resolves them against the wrong base. */
export function relativeUrlsIn(html: string, where: string): string[] {
  return linkTargets(html)
    .filter((target) => !isAbsoluteUrl(target))
    .map((target) => `${where}: relative URL ${JSON.stringify(target)} in the content`)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
// RFC 822 section 5.1 date-time, with the four-digit year RSS 2.0 recommends.
const RFC_822 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (UT|GMT|[ECMP][SD]T|[A-IK-Z]|[+-]\d{4})$/
// RFC 3339 section 5.6 date-time.
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

/** A problem when the text is not an RFC 822 date-time (RSS 2.0 `pubDate`, `lastBuildDate`). */
export function rfc822Problem(text: string | undefined, where: string): string | undefined {
  if (text === undefined || text.trim() === '') return `${where}: missing date`
  const match = RFC_822.exec(text.trim())
  if (!match)
    return `${where}: ${JSON.stringify(text)} is not an RFC 822 date (like "Tue, 22 Oct 2024 09:30:00 GMT")`
  const [, weekday, day, month, year, hour, minute, second] = match
  if (!isCalendarDay(Number(year), MONTHS.indexOf(month!) + 1, Number(day)))
    return `${where}: ${JSON.stringify(text)} is not a day of the calendar`
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 60)
    return `${where}: ${JSON.stringify(text)} has no such time of day`
  if (
    weekday &&
    DAYS[new Date(Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day))).getUTCDay()] !==
      weekday
  )
    return `${where}: ${JSON.stringify(text)} names the wrong day of the week`
  return undefined
}

/** A problem when the text is not an RFC 3339 date-time (Atom dates, JSON Feed dates). */
export function rfc3339Problem(text: string | undefined, where: string): string | undefined {
  if (text === undefined || text.trim() === '') return `${where}: missing date`
  const match = RFC_3339.exec(text)
  if (!match)
    return `${where}: ${JSON.stringify(text)} is not an RFC 3339 date-time (like "2024-10-22T09:30:00Z")`
  const [, year, month, day, hour, minute, second] = match
  if (!isCalendarDay(Number(year), Number(month), Number(day)))
    return `${where}: ${JSON.stringify(text)} is not a day of the calendar`
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60)
    return `${where}: ${JSON.stringify(text)} has no such time of day`
  return undefined
}

/** Ids that appear more than once; readers merge or drop such items. */
export function duplicateIds(ids: readonly string[]): string[] {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const id of ids) (seen.has(id) ? repeated : seen).add(id)
  return [...repeated]
}
