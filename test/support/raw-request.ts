/**
 * A Request whose `url` is the string workerd would hand the worker for a raw
 * HTTP request: `http://` + the Host field + the target exactly as sent
 * (`curl --path-as-is`), backslashes, `..` and an unparsable Host included.
 * The fetch API normalises any URL given to `new Request`, so the raw string
 * is set over it; headers, method and body stay the real Request's.
 */
export function rawRequest(host: string, target: string, init: RequestInit = {}): Request {
  const request = new Request('http://raw.invalid/', init)
  Object.defineProperty(request, 'url', { value: `http://${host}${target}` })
  return request
}
