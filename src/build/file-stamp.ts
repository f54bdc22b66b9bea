import type { BigIntStats } from 'node:fs'

/**
 * Telling that a file is unchanged without reading it: its size, its
 * modification and change times and its inode, as they were when a build
 * last read or wrote it. Writing to the file, replacing it or touching it
 * changes one of them; putting the modification time back (utimes) changes
 * the change time. What a stamp cannot tell is a change within the same tick
 * of the file system's clock as the stamp itself, so each user settles that
 * its own way: the compile cache reads again a file changed shortly before
 * it was last seen (compile-articles.ts), and the fragment file stamps its
 * data once its last write is a tick old (prerender/fragment-file.ts).
 */
export interface FileStamp {
  size: number
  /** Modification and change times in nanoseconds, as decimal strings (they exceed 2^53). */
  mtimeNs: string
  ctimeNs: string
  ino: string
}

/**
 * The coarsest timestamp tick a seeds folder may have (2 s on FAT): a file
 * changed less than this before a build looked at it may have changed again
 * since with the same stamp, so the stamp alone does not prove it unchanged.
 * The compile cache reads such a file again; the input record is not written.
 */
export const RACY_MS = 2_000

/**
 * The time, in a stamp's nanoseconds, before which a file must have last
 * changed for its stamp, taken or recorded at `ms`, to tell that it has not
 * changed since: RACY_MS earlier.
 */
export function settledBy(ms: number): bigint {
  return BigInt(Math.max(0, ms - RACY_MS)) * 1_000_000n
}

/** True when the file last changed before `settled` (settledBy): its stamp can be trusted. */
export function settledBefore(stamp: FileStamp, settled: bigint): boolean {
  return BigInt(stamp.mtimeNs) < settled && BigInt(stamp.ctimeNs) < settled
}

/** The stamp of a file, from its `stat` with `bigint: true`. */
export function fileStamp(info: BigIntStats): FileStamp {
  return {
    size: Number(info.size),
    mtimeNs: String(info.mtimeNs),
    ctimeNs: String(info.ctimeNs),
    ino: String(info.ino),
  }
}

/** True when two stamps describe the same unchanged file. */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino
}
