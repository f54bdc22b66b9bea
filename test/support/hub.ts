import { createServer, type Server } from 'node:http'

/**
 * A WebSub hub on 127.0.0.1 that records the publish pings it receives. It
 * listens on the first free port of 8740-8749 (the ports this project's
 * tests may use). `delayMs` makes it slow, to stand for a hub that hangs.
 */
export interface RecordingHub {
  url: string
  /** Each ping's form fields, in arrival order. */
  pings: Record<string, string>[]
  contentTypes: string[]
  close(): Promise<void>
}

const PORTS = [8740, 8741, 8742, 8743, 8744, 8745, 8746, 8747, 8748, 8749]

function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => resolve(true))
  })
}

export async function startHub(options: { delayMs?: number } = {}): Promise<RecordingHub> {
  const pings: Record<string, string>[] = []
  const contentTypes: string[] = []
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      contentTypes.push(request.headers['content-type'] ?? '')
      pings.push(Object.fromEntries(new URLSearchParams(body)))
      const timer = setTimeout(() => {
        timers.delete(timer)
        response.writeHead(204, { Connection: 'close' }).end()
      }, options.delayMs ?? 0)
      timers.add(timer)
    })
  })
  for (const port of PORTS) {
    if (await listen(server, port)) {
      return {
        url: `http://127.0.0.1:${port}/hub`,
        pings,
        contentTypes,
        close: () =>
          new Promise((resolve) => {
            for (const timer of timers) clearTimeout(timer)
            server.closeAllConnections()
            server.close(() => resolve())
          }),
      }
    }
  }
  throw new Error('[test] no free port in 8740-8749 for the hub')
}
