// Refuses a Node.js older than the project needs, in one line, before npm or
// wrangler print a stack of warnings. Run by `npm run dev`, `deploy` and `test`
// (their pre-scripts) and by `build:content` (imported first by
// scripts/lib/enable-compile-cache.mjs); `npm install` is stopped earlier by npm itself
// (engine-strict in .npmrc). CommonJS and no recent syntax, so that it runs,
// and says what to do, on every Node.js since 16.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
// One home for the floor: engines.node in package.json, like ">=22.18".
const wanted = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node
const floor = wanted
  .replace(/^>=\s*/, '')
  .split('.')
  .map(Number)
const actual = process.versions.node.split('.').map(Number)

function isOlder(version, than) {
  for (let i = 0; i < than.length; i++) {
    const a = version[i] || 0
    const b = than[i] || 0
    if (a !== b) return a < b
  }
  return false
}

function readRecommended() {
  try {
    return fs.readFileSync(path.join(root, '.node-version'), 'utf8').trim()
  } catch (_) {
    return floor.join('.')
  }
}

// The build packs documents with Zstandard (src/build/prerender/pack-file.ts), which node:zlib
// has from 22.15 and 23.8, and runs its TypeScript as Node.js strips it (package.json's
// build:content), without a flag from 22.18 and 23.6: a 23.0–23.7 passes the floor without them.
const canStripTypes = Boolean(process.features?.typescript)
if (
  isOlder(actual, floor) ||
  typeof require('node:zlib').zstdCompressSync !== 'function' ||
  !canStripTypes
) {
  const recommended = readRecommended()
  console.error(
    `[node] Node.js ${process.versions.node} is too old: this project needs ${floor.join('.')} or newer (wrangler refuses older than 22.12, and the build needs Zstandard in node:zlib and TypeScript type stripping). Install Node.js ${recommended}, the version in .node-version (\`nvm install ${recommended}\`), and run the command again.`,
  )
  process.exit(1)
}
