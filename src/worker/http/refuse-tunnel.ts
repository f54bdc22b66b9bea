/**
 * CONNECT (RFC 9110 section 9.3.6) asks the server to open a tunnel. This
 * site proxies nothing. workerd hands a CONNECT to the worker's `connect`
 * handler, and answers it with a 500 of its own when there is none; the
 * handler below ends the tunnel at once, before a byte goes through it.
 * Cloudflare's edge does not pass CONNECT on to Workers at all.
 */

/** The worker's `connect` handler: closes the client's socket without reading or writing. */
export async function refuseTunnel(socket: Socket): Promise<void> {
  await socket.close().catch(() => undefined)
}
