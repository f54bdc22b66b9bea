/**
 * HTTP-date (RFC 9110 section 5.6.7). Senders write IMF-fixdate only;
 * recipients "MUST accept all three HTTP-date formats": IMF-fixdate, the
 * obsolete RFC 850 form and C's asctime() form. Field values are
 * case-sensitive, and any other spelling is not an HTTP-date.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const DAY_LONG = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)'
const MONTH = `(${MONTHS.join('|')})`
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`)
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850_DATE = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`)
/** `Sun Nov  6 08:49:37 1994`: the day of the month is padded with a space. */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`)

/** Seconds since the epoch of a calendar time, or undefined when no such time exists. */
function toSeconds(
  year: number,
  month: string,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  const monthIndex = MONTHS.indexOf(month)
  // Section 5.6.7 allows a leap second (60); a Date cannot hold one, so it counts as 59.
  if (hour > 23 || minute > 59 || second > 60) return undefined
  const date = new Date(0)
  date.setUTCFullYear(year, monthIndex, day)
  date.setUTCHours(hour, minute, Math.min(second, 59))
  if (date.getUTCMonth() !== monthIndex || date.getUTCDate() !== day) return undefined
  return Math.floor(date.getTime() / 1000)
}

/**
 * RFC 850 dates have two-digit years; section 5.6.7: a recipient "MUST
 * interpret a timestamp ... that appears to be more than 50 years in the
 * future as representing the most recent year in the past that had the same
 * last two digits".
 */
function fullYear(twoDigits: number, nowSeconds: number): number {
  const thisYear = new Date(nowSeconds * 1000).getUTCFullYear()
  const year = Math.floor(thisYear / 100) * 100 + twoDigits
  return year > thisYear + 50 ? year - 100 : year
}

/**
 * Parses an HTTP-date in any of its three forms into seconds since the epoch;
 * undefined for anything else, which section 13.1.3 and 13.1.4 say to ignore.
 * `nowSeconds` places two-digit years.
 */
export function parseHttpDate(value: string, nowSeconds: number): number | undefined {
  const field = value.trim()
  let parts = IMF_FIXDATE.exec(field)
  if (parts) {
    const [, day, month, year, hour, minute, second] = parts
    return toSeconds(+year!, month!, +day!, +hour!, +minute!, +second!)
  }
  parts = RFC850_DATE.exec(field)
  if (parts) {
    const [, day, month, year, hour, minute, second] = parts
    return toSeconds(fullYear(+year!, nowSeconds), month!, +day!, +hour!, +minute!, +second!)
  }
  parts = ASCTIME_DATE.exec(field)
  if (parts) {
    const [, month, day, hour, minute, second, year] = parts
    return toSeconds(+year!, month!, +day!.trim(), +hour!, +minute!, +second!)
  }
  return undefined
}
