/**
 * The two things about a Zstandard frame (RFC 8878) that pack bodies need
 * besides node:zlib: the size of the content its header declares, which the
 * worker checks what it inflated against (node:zlib returns what it could
 * of a frame cut short instead of failing: nodejs/node#64592), and a frame
 * that stores its content as it is, for a runtime whose compressor fails.
 */

/** The frame's magic number, little-endian (RFC 8878 section 3.1.1). */
const MAGIC = [0x28, 0xb5, 0x2f, 0xfd]
/** The largest block (section 3.1.1.2.4): 128 KiB. */
const MAX_BLOCK = 128 * 1024

/**
 * The content size a frame's header declares; undefined when the bytes do not
 * start a frame or its header declares none (section 3.1.1.1).
 */
export function frameContentSize(frame: Uint8Array): number | undefined {
  if (frame.length < 6 || MAGIC.some((byte, i) => frame[i] !== byte)) return undefined
  const descriptor = frame[4]!
  const sizeFlag = descriptor >> 6
  const singleSegment = (descriptor >> 5) & 1
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!
  const sizeBytes = [singleSegment, 2, 4, 8][sizeFlag]!
  if (sizeBytes === 0) return undefined
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes
  if (frame.length < at + sizeBytes) return undefined
  let size = 0
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + frame[at + i]!
  // A two-byte field counts from 256 (section 3.1.1.1.4).
  return sizeBytes === 2 ? size + 256 : size
}

/**
 * A frame that holds `content` in raw blocks (section 3.1.1.2.2, Block_Type
 * 0): valid for every decoder, compressed not at all. Its header declares the
 * content size in four bytes, as a single segment, with no checksum.
 */
export function storedFrame(content: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(content.length / MAX_BLOCK))
  const frame = new Uint8Array(9 + 3 * blocks + content.length)
  frame.set(MAGIC, 0)
  // Frame_Content_Size_flag 2 (four bytes), Single_Segment_flag 1.
  frame[4] = 0b1010_0000
  new DataView(frame.buffer).setUint32(5, content.length, true)
  let at = 9
  for (let block = 0; block < blocks; block++) {
    const part = content.subarray(block * MAX_BLOCK, (block + 1) * MAX_BLOCK)
    // Last_Block (bit 0), Block_Type raw (bits 1–2: 0), Block_Size (bits 3–23).
    const header = (part.length << 3) | (block === blocks - 1 ? 1 : 0)
    frame[at] = header & 0xff
    frame[at + 1] = (header >> 8) & 0xff
    frame[at + 2] = (header >> 16) & 0xff
    frame.set(part, at + 3)
    at += 3 + part.length
  }
  return frame
}
