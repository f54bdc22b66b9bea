import { zstdCompressSync, zstdDecompressSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { frameContentSize, storedFrame } from '../../src/contract/zstd-frame.ts'

/**
 * Zstandard frames as pack bodies hold them, read by the runtime's own
 * decoder inside workerd: a stored frame is read back as its content, and
 * the content size its header declares is what the worker checks against.
 */

function content(length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = (i * 7919 + (i >> 9)) & 0xff
  return bytes
}

describe('Zstandard frames', () => {
  it('store any content so that the decoder reads it back whole', () => {
    // Empty, the edges of the header's size fields, and across the 128 KiB block limit.
    for (const length of [0, 1, 255, 256, 65_791, 65_792, 131_072, 131_073, 300_000]) {
      const stored = content(length)
      const frame = storedFrame(stored)
      expect(frameContentSize(frame)).toBe(length)
      expect(new Uint8Array(zstdDecompressSync(frame))).toEqual(stored)
    }
  })

  it('declare the size of what the compressor was given', () => {
    const text = new TextEncoder().encode('<item><title>Harbour reopens</title></item>'.repeat(500))
    const frame = zstdCompressSync(text, { pledgedSrcSize: text.byteLength })
    expect(frameContentSize(frame)).toBe(text.byteLength)
  })

  it('are not read from bytes that do not start a frame', () => {
    expect(frameContentSize(new Uint8Array(0))).toBeUndefined()
    expect(frameContentSize(new TextEncoder().encode('<p>not a frame</p>'))).toBeUndefined()
    // A frame cut inside its header.
    expect(frameContentSize(storedFrame(content(10)).subarray(0, 7))).toBeUndefined()
  })
})
