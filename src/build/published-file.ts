import type { FileStamp } from './file-stamp.ts'

/**
 * A file published beside the prerendered documents, by URL path: its bytes
 * (the site icons, which the build makes), or a file of the seeds folder
 * published as it is (the articles' images), which is copied, never held in
 * memory: a newsroom's pictures are gigabytes.
 */
export type PublishedFile = Uint8Array | CopiedFile

/** A seeds file to publish as it is: where it is, and its stamp when the build read its facts. */
export interface CopiedFile {
  source: string
  stamp: FileStamp
}

/**
 * What a copied file's published bytes follow from: the file, as its stamp
 * tells it (see file-stamp.ts). The output's key and the assets kept from the
 * last build go by it instead of by a hash of the bytes.
 */
export function copiedFileKey(file: CopiedFile): string {
  const { size, mtimeNs, ctimeNs, ino } = file.stamp
  return `copy ${file.source} ${size} ${mtimeNs} ${ctimeNs} ${ino}`
}
