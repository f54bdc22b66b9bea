import { connect } from 'node:net'

/**
 * HTTP/1.1 spoken byte by byte over a socket, so that requests no fetch API
 * lets through reach the runtime as sent: a target with backslashes or `..`
 * (`curl --path-as-is`), two Host fields, a Host of `a b`, `OPTIONS *`,
 * CONNECT, a GET with a body.
 */

export interface RawResponse {
  status: number
  /** Header fields in order, names lowercased. */
  headers: [string, string][]
  body: Buffer
  /** The first value of a header, or null. */
  header(name: string): string | null
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < data.length) {
    const end = data.indexOf('\r\n', offset)
    if (end < 0) break
    const size = Number.parseInt(data.subarray(offset, end).toString('latin1'), 16)
    if (!size) break
    parts.push(data.subarray(end + 2, end + 2 + size))
    offset = end + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** Parses one HTTP/1.1 response, read until the server closed the connection. */
export function parseRawResponse(data: Buffer, method: string): RawResponse {
  const split = data.indexOf('\r\n\r\n')
  const head = data.subarray(0, split < 0 ? data.length : split).toString('latin1')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0)
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
  })
  const header = (name: string) => headers.find(([key]) => key === name)?.[1] ?? null
  let body = split < 0 ? Buffer.alloc(0) : data.subarray(split + 4)
  if (method === 'HEAD' || status === 204 || status === 304) body = Buffer.alloc(0)
  else if (header('transfer-encoding')?.includes('chunked')) body = decodeChunked(body)
  return { status, headers, body, header }
}

/**
 * Sends `head` (the request line and header lines, without the blank line
 * that ends them) and `body` to 127.0.0.1:port on a fresh connection, with
 * `Connection: close`, and reads the whole response.
 */
export function sendRaw(
  port: number,
  head: string,
  body: Uint8Array = new Uint8Array(),
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const method = head.split(' ', 1)[0]!
  return new Promise((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      fail(new Error(`[raw-http] no complete answer to ${JSON.stringify(head.split('\r\n')[0])}`))
    }, timeoutMs)
    socket.on('connect', () => {
      // No half-close after the body: a client keeps its side open until the answer is read.
      // Head and content in one write, as curl sends them.
      socket.write(
        Buffer.concat([Buffer.from(`${head}\r\nConnection: close\r\n\r\n`, 'latin1'), body]),
      )
    })
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      // A reset after the answer (or instead of one) ends the exchange; status 0 says there was none.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        done(parseRawResponse(Buffer.concat(chunks), method))
      } else fail(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      done(parseRawResponse(Buffer.concat(chunks), method))
    })
  })
}
