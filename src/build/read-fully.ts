import { readSync } from 'node:fs'

/**
 * Reads `length` bytes of an open file from `position` into `target` at
 * `at`, as many calls as it takes (a read may give fewer bytes than asked);
 * says how many it read, fewer only where the file ends.
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
