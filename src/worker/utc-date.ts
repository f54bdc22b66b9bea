/**
 * Dates as text, written by arithmetic on the epoch instead of through
 * `Date`: in workerd the first `Date#toUTCString()` or `toISOString()` of an
 * isolate costs about 6 ms of CPU (measured on a constant-response worker,
 * scripts/lib/first-request.ts), more than half of the free plan's 10 ms,
 * and a fresh isolate's first request would pay it. The output is exactly
 * what those methods write for years 0 to 9999
 * (test/worker/utc-date.test.ts compares them).
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MS_PER_DAY = 86_400_000

interface UtcFields {
  year: number
  /** 1–12 */
  month: number
  day: number
  /** 0 = Sunday */
  weekday: number
  hour: number
  minute: number
  second: number
  millisecond: number
}

/**
 * The proleptic Gregorian calendar fields of a time: Howard Hinnant's
 * civil_from_days (https://howardhinnant.github.io/date_algorithms.html),
 * counting in 400-year eras of 146,097 days from 0000-03-01.
 */
function utcFields(ms: number): UtcFields {
  const days = Math.floor(ms / MS_PER_DAY)
  const inDay = ms - days * MS_PER_DAY
  const shifted = days + 719_468
  const era = Math.floor(shifted / 146_097)
  const dayOfEra = shifted - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day,
    // 1970-01-01 was a Thursday.
    weekday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(inDay / 3_600_000),
    minute: Math.floor(inDay / 60_000) % 60,
    second: Math.floor(inDay / 1000) % 60,
    millisecond: inDay % 1000,
  }
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** IMF-fixdate (RFC 9110 section 5.6.7), as `Date#toUTCString()` writes it: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function imfFixdate(seconds: number): string {
  const t = utcFields(seconds * 1000)
  return `${WEEKDAYS[t.weekday]}, ${pad(t.day)} ${MONTHS[t.month - 1]} ${pad(t.year, 4)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)} GMT`
}

/** RFC 3339 with milliseconds, as `Date#toISOString()` writes it: `1994-11-06T08:49:37.000Z`. */
export function isoDate(ms: number): string {
  const t = utcFields(ms)
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}.${pad(t.millisecond, 3)}Z`
}
