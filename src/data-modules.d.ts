/**
 * Data modules: wrangler's default module rule imports a `.bin` file as its
 * bytes (https://developers.cloudflare.com/workers/wrangler/bundling/).
 */
declare module '*.bin' {
  const bytes: ArrayBuffer
  export default bytes
}
