/**
 * How long each phase of a run took, for `npm run build:content -- --times`:
 * where a slow build spends its time, told without a profiler. A phase ends
 * when it is marked and began where the one before ended; the first began
 * when the process did (performance.now() counts from there), so it holds
 * Node.js's start and the loading of the script's modules.
 */
export class PhaseTimes {
  readonly #phases: { name: string; ms: number }[] = []
  #last = 0

  /** Ends the phase `name` now. */
  end(name: string): void {
    const now = performance.now()
    this.#phases.push({ name, ms: now - this.#last })
    this.#last = now
  }

  /** The phases so far, in order, and how long they took in all: `start 0.12 s, scan 0.50 s, … (7.61 s in all)`. */
  format(): string {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    const phases = this.#phases.map((phase) => `${phase.name} ${seconds(phase.ms)}`)
    return `${phases.join(', ')} (${seconds(this.#last)} in all)`
  }
}
