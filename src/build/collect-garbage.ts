/**
 * A full garbage collection between two phases of a build. V8 sizes its heap
 * from the machine's memory and collects lazily, so what one phase let go
 * (the compile's source bytes and cache texts, the HTML moved to the
 * HtmlStore, the messages of the threads) still counts in the process's
 * memory while the next phase starts threads of its own: at 100,000 articles
 * that garbage was a quarter of the build's peak. Collecting here costs a
 * fraction of a second. Callers collect only after a phase that ran on
 * threads, whose messages are that garbage: after one edit there is little
 * of it, and the two collections cost a warm build at 100,000 articles about
 * a second of CPU, against 150 MB more at its peak (1.2 GB, below a cold
 * build's 1.7 GB). It needs `--expose-gc` (the build:content script passes
 * it); without it this does nothing, and only the peak is higher.
 */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}
