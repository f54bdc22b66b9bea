// Loaded before the content build (`--import` in package.json's build:content). Node.js then
// keeps the build's modules in its compile cache (in the system's temporary folder), types
// stripped and compiled, and the build's threads, which load their modules each, find them
// there too (they are given the environment variable): a build neither strips nor compiles its
// code again, which took about 0.25 s and 25 MB. JavaScript, so that nothing is stripped
// before the cache is on. The cache is keyed by each file's bytes and the Node.js version; a
// folder it cannot write to only leaves it off.
//
// The Node.js check comes first: `npm run build:content` has no pre-script (it would cost every
// build a process), and an older Node.js would otherwise stop at the build's first TypeScript
// module, or at the import below, with an error that does not say what to do.
import '../check-node.cjs'
import module from 'node:module'

const { directory } = module.enableCompileCache()
if (directory) process.env.NODE_COMPILE_CACHE = directory
