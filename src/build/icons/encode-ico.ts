/**
 * Writes a Windows icon file (.ico) that holds PNG images, the form every
 * browser and Windows since Vista reads. Layout (Microsoft, "Icons", the
 * ICONDIR and ICONDIRENTRY structures): a 6-byte header, one 16-byte entry
 * per image, then the images. sharp writes no .ico, and the container is
 * small enough that a library would be more code than this.
 */

/** One image of the icon: a square PNG and its size in pixels (1–256). */
export interface IcoImage {
  size: number
  png: Uint8Array
}

const HEADER_BYTES = 6
const ENTRY_BYTES = 16

export function encodeIco(images: readonly IcoImage[]): Uint8Array {
  const total =
    HEADER_BYTES + ENTRY_BYTES * images.length + images.reduce((sum, i) => sum + i.png.length, 0)
  const bytes = new Uint8Array(total)
  const view = new DataView(bytes.buffer)
  view.setUint16(0, 0, true) // reserved
  view.setUint16(2, 1, true) // 1: icon (2 would be a cursor)
  view.setUint16(4, images.length, true)
  let offset = HEADER_BYTES + ENTRY_BYTES * images.length
  images.forEach((image, index) => {
    if (!Number.isInteger(image.size) || image.size < 1 || image.size > 256)
      throw new Error(`[icons] favicon.ico: size: ${image.size} is not 1 to 256 pixels`)
    const entry = HEADER_BYTES + ENTRY_BYTES * index
    // Width and height are one byte each; 0 means 256.
    view.setUint8(entry, image.size % 256)
    view.setUint8(entry + 1, image.size % 256)
    view.setUint8(entry + 2, 0) // no palette
    view.setUint8(entry + 3, 0) // reserved
    view.setUint16(entry + 4, 1, true) // colour planes
    view.setUint16(entry + 6, 32, true) // bits per pixel
    view.setUint32(entry + 8, image.png.length, true)
    view.setUint32(entry + 12, offset, true)
    bytes.set(image.png, offset)
    offset += image.png.length
  })
  return bytes
}
