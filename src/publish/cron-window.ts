/**
 * The stretch of time a cron run is responsible for, derived from its own
 * schedule, so that the worker needs no storage to remember its last run:
 * a run at `scheduledTime` handles what became due after the previous
 * scheduled run and up to its own time. Consecutive windows meet without
 * overlapping, so a change is handled by exactly one run.
 */

const STEP = /^(?:\*|\*\/([1-9]\d?))$/

/**
 * The minutes between runs of a cron expression of the form `* * * * *` or
 * `*\/N * * * *` (N dividing 60); undefined for any other form, which has no
 * fixed period.
 */
export function cronPeriodMinutes(cron: string): number | undefined {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 5 || fields.slice(1).some((field) => field !== '*')) return undefined
  const match = STEP.exec(fields[0]!)
  if (!match) return undefined
  const step = match[1] ? Number(match[1]) : 1
  return 60 % step === 0 ? step : undefined
}

/** The window (from, to] in ms since the epoch that the run at `scheduledTime` handles. */
export function cronWindow(
  cron: string,
  scheduledTime: number,
): { from: number; to: number } | undefined {
  const minutes = cronPeriodMinutes(cron)
  if (minutes === undefined) return undefined
  // Cron runs are scheduled on the minute; a late start must not shift the window.
  const to = Math.floor(scheduledTime / 60_000) * 60_000
  return { from: to - minutes * 60_000, to }
}
