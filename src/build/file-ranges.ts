import { readSync, writeSync } from 'node:fs'

/**
 * Reading and writing a range of an open file whole. A read or a write may
 * move fewer bytes than asked, so each takes as many calls as it needs; the
 * build's scratch and cache files (the HTML store, the fragment file, the
 * compile cache's segments) all go through these two.
 */

/**
 * Reads `length` bytes of an open file from `position` into `target` at
 * `at`; says how many it read, fewer only where the file ends.
 */
export function readFully(
  fd: number,
  target: Uint8Array,
  at: number,
  length: number,
  position: number,
): number {
  let read = 0
  while (read < length) {
    const got = readSync(fd, target, at + read, length - read, position + read)
    if (got === 0) break
    read += got
  }
  return read
}

/** Writes all of `bytes` to an open file at `position`. */
export function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let written = 0; written < bytes.byteLength; )
    written += writeSync(fd, bytes, written, bytes.byteLength - written, position + written)
}
