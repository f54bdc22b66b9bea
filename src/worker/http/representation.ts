import { imfFixdate } from '../utc-date.ts'
/**
 * A response body with its validators: a prerendered document read from the
 * static assets, or one of the worker's few constants.
 */
export interface Representation {
  body: Uint8Array
  contentType: string
  /** Strong entity tag, quoted (RFC 9110 section 8.8.3). */
  etag: string
  /** HTTP-date (RFC 9110 section 5.6.7), or undefined when nothing dates the body. */
  lastModified?: string
  /** Same instant as lastModified, rounded down to whole seconds as HTTP-dates are. */
  lastModifiedSeconds?: number
}

const encoder = new TextEncoder()

function base64url(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Encodes a body and computes its strong ETag from the bytes themselves. */
export async function createRepresentation(
  text: string,
  contentType: string,
  lastModified?: Date,
): Promise<Representation> {
  const body = encoder.encode(text)
  const digest = await crypto.subtle.digest('SHA-256', body)
  const seconds = lastModified ? Math.floor(lastModified.getTime() / 1000) : undefined
  return {
    body,
    contentType,
    etag: `"${base64url(digest).slice(0, 27)}"`,
    ...lastModifiedAt(seconds),
  }
}

/** The Last-Modified fields of a representation dated at `seconds`; none when nothing dates it. */
export function lastModifiedAt(
  seconds: number | undefined,
): Pick<Representation, 'lastModified' | 'lastModifiedSeconds'> {
  return seconds === undefined
    ? {}
    : { lastModified: imfFixdate(seconds), lastModifiedSeconds: seconds }
}
