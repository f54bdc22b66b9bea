/**
 * Writes a synthetic corpus of realistic articles for benchmarks and soak
 * tests: 600–1,500 words each, with headings, lists, quotes, links (absolute,
 * site-relative and lost `(#)` ones), images, 1–4 topics out of `--topics`,
 * and dates spread over several years. The same seed always gives the same
 * files, byte for byte.
 *
 *   npm run corpus -- --articles 1000 --topics 40 --out /tmp/corpus-1k [--seed 1] [--future 0] [--pictures]
 *
 * The articles name pictures at paths from the site root (`/images/…`), which
 * the build leaves as paths elsewhere when the folder lacks them. With
 * `--pictures` the folder holds them, as a newsroom's does: a JPEG, PNG or
 * WebP file of a few hundred kilobytes for each one named (AVIF ones are left
 * out: the build publishes only what every reader shows), about 2.4 GB at
 * 10,000 articles.
 *
 * Point a build at it with CONTENT_SEEDS=/tmp/corpus-1k. Hugo reads the same
 * files: `topics` is a taxonomy there too.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

/** Marks a folder as written by this script, so a rerun may empty it. */
const MARKER = '.generated-corpus'

/** The corpus spans these years; `--future` articles go after the last. */
const FIRST_DAY = Date.UTC(2019, 0, 1)
const LAST_DAY = Date.UTC(2025, 11, 31)

const WORDS = (
  'the of and to in a is that for on with as was by at from port city council minister ' +
  'report said year market energy water grid storm harbour rail budget plan vote court ' +
  'school hospital farmers prices growth talks border police trade union workers strike ' +
  'river bridge coast wind solar oil gas bank rate inflation exports imports ministry ' +
  'officials residents village region northern southern eastern western forecast data ' +
  'survey study scientists researchers community festival museum library season league ' +
  'match coach players record crowd weekend morning evening night week month decade ' +
  'reform policy law bill parliament senate election campaign candidate voters turnout ' +
  'agreement dispute summit delegation statement interview spokesperson according ' +
  'however although while because after before during since until despite across ' +
  'new old large small early late local national international public private rural ' +
  'urban digital green fresh strong weak higher lower rising falling expected planned'
).split(' ')

const TOPIC_WORDS =
  'Shipping Economy Climate Energy Transport Health Education Science Culture Sport Politics Justice Housing Farming Technology Weather Travel Labour Finance Environment Security Media Music Books Food'.split(
    ' ',
  )

const AUTHORS = [
  'Ana Lima',
  'Bo Chen',
  'Chiara Rossi',
  'Dmitri Volkov',
  'Émilie Durand',
  'Farah Haddad',
  'Grace Okafor',
  'Hiro Tanaka',
  'Ingrid Nilsson',
  'José Álvarez',
]

const IMAGE_TYPES = ['jpg', 'png', 'webp', 'avif']

/** mulberry32: a small, fast PRNG whose sequence is fixed by its seed. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Random = () => number

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!
const between = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1))

function sentence(random: Random, words: number): string {
  const list = Array.from({ length: words }, () => pick(random, WORDS))
  const first = list[0]!
  list[0] = first[0]!.toUpperCase() + first.slice(1)
  return `${list.join(' ')}.`
}

function topicNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const word = TOPIC_WORDS[index % TOPIC_WORDS.length]!
    const round = Math.floor(index / TOPIC_WORDS.length)
    return round === 0 ? word : `${word} ${round + 1}`
  })
}

/** A paragraph of about `words` words, sometimes with a link or emphasis in it. */
function paragraph(random: Random, words: number, topics: readonly string[]): string {
  const sentences: string[] = []
  let left = words
  while (left > 0) {
    const length = Math.min(left, between(random, 8, 24))
    sentences.push(sentence(random, length))
    left -= length
  }
  const roll = random()
  if (roll < 0.25) {
    const slug = pick(random, topics).toLowerCase().replace(/\s+/g, '-')
    sentences.push(`See [more on ${slug}](/topics/${slug}/).`)
  } else if (roll < 0.45) {
    sentences.push(
      `The [full report](https://example.org/reports/${between(random, 1, 99999)}) has the details.`,
    )
  } else if (roll < 0.5) {
    sentences.push('Officials [declined to comment](#).')
  } else if (roll < 0.6) {
    sentences.push(`It was, in the words of one resident, *${sentence(random, 5).slice(0, -1)}*.`)
  }
  return sentences.join(' ')
}

/** The body: about `words` words in paragraphs, with headings, a list, a quote and an image. */
function body(random: Random, words: number, topics: readonly string[]): string {
  const blocks: string[] = []
  let left = words
  let index = 0
  while (left > 0) {
    const size = Math.min(left, between(random, 40, 110))
    blocks.push(paragraph(random, size, topics))
    left -= size
    index++
    if (index % 4 === 0 && left > 0)
      blocks.push(`## ${sentence(random, between(random, 3, 7)).slice(0, -1)}`)
    if (index === 3) {
      blocks.push(
        Array.from(
          { length: between(random, 3, 6) },
          () => `- ${sentence(random, between(random, 4, 12))}`,
        ).join('\n'),
      )
    }
    if (index === 5) blocks.push(`> ${sentence(random, between(random, 12, 30))}`)
    if (index === 6 && random() < 0.5) {
      blocks.push(
        `![${sentence(random, 4).slice(0, -1)}](/images/inline-${between(random, 1, 500)}.${pick(random, IMAGE_TYPES)})`,
      )
    }
    if (index === 8 && random() < 0.4) {
      blocks.push(
        Array.from(
          { length: between(random, 2, 5) },
          (_, n) => `${n + 1}. ${sentence(random, between(random, 4, 10))}`,
        ).join('\n'),
      )
    }
  }
  return blocks.join('\n\n')
}

function yamlString(value: string): string {
  return JSON.stringify(value)
}

/** One article file: front matter and markdown body. */
function article(
  random: Random,
  index: number,
  options: { topics: readonly string[]; published: Date },
): string {
  const count = Math.min(options.topics.length, between(random, 1, 4))
  const chosen = new Set<string>()
  while (chosen.size < count) chosen.add(pick(random, options.topics))
  const topics = [...chosen]
  const title = `${sentence(random, between(random, 5, 10)).slice(0, -1)} (${index + 1})`
  const lines = [
    '---',
    `title: ${yamlString(title)}`,
    `date: ${options.published.toISOString().replace('.000Z', 'Z')}`,
    `topics: [${topics.map(yamlString).join(', ')}]`,
    `author: ${yamlString(pick(random, AUTHORS))}`,
  ]
  if (random() < 0.2) {
    const updated = new Date(options.published.getTime() + between(random, 1, 72) * 3_600_000)
    lines.push(`updated: ${updated.toISOString().replace('.000Z', 'Z')}`)
  }
  if (random() < 0.7)
    lines.push(`summary: ${yamlString(sentence(random, between(random, 15, 35)))}`)
  if (random() < 0.6) {
    lines.push(`image: /images/article-${index + 1}.${pick(random, IMAGE_TYPES)}`)
    lines.push(
      `image_caption: ${yamlString(sentence(random, between(random, 4, 10)).slice(0, -1))}`,
    )
    if (random() < 0.5) lines.push(`image_credit: ${yamlString(pick(random, AUTHORS))}`)
  }
  if (random() < 0.3) {
    lines.push(`source_url: https://news.example.org/story/${index + 1}?ref=feed&lang=en`)
    lines.push('source_name: Example News')
  }
  lines.push('---', '', body(random, between(random, 600, 1500), topics), '')
  return lines.join('\n')
}

export interface CorpusOptions {
  articles: number
  topics: number
  seed?: number
  /** How many of the articles are dated after today (default none). */
  future?: number
}

/** The corpus as file paths (relative, with forward slashes) and contents. */
export function generateCorpus(options: CorpusOptions): Map<string, string> {
  const random = createRandom(options.seed ?? 1)
  const topics = topicNames(options.topics)
  const future = options.future ?? 0
  const files = new Map<string, string>()
  const span = LAST_DAY - FIRST_DAY
  const today = Date.now()
  for (let index = 0; index < options.articles; index++) {
    const isFuture = index >= options.articles - future
    // Minutes so that articles rarely share an instant; future ones land 1–30 days ahead.
    const published = isFuture
      ? new Date(Math.ceil(today / 86_400_000) * 86_400_000 + between(random, 1, 30) * 86_400_000)
      : new Date(FIRST_DAY + Math.floor((random() * span) / 60_000) * 60_000)
    const year = published.getUTCFullYear()
    files.set(
      `${year}/article-${String(index + 1).padStart(5, '0')}.md`,
      article(random, index, { topics, published }),
    )
  }
  return files
}

/**
 * Writes a picture for each JPEG, PNG and WebP file the articles name: one
 * made of each type (1200×800, the PNG 600×400; noise over a gradient, which
 * compresses as a photograph does), the same bytes for every file of a type.
 */
async function writePictures(
  out: string,
  files: ReadonlyMap<string, string>,
): Promise<{ files: number; bytes: number }> {
  const named = new Set<string>()
  for (const text of files.values())
    for (const match of text.matchAll(/\/(images\/[\w.-]+\.(?:jpg|png|webp))\b/g))
      named.add(match[1]!)
  const { default: sharp } = await import('sharp')
  const [width, height] = [1200, 800]
  const pixels = Buffer.alloc(width * height * 3)
  const random = createRandom(1)
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = ((i % (width * 3)) / 6 + Math.floor(random() * 48)) & 255
  const image = () => sharp(pixels, { raw: { width, height, channels: 3 } })
  const made: Record<string, Buffer> = {
    jpg: await image().jpeg({ quality: 80 }).toBuffer(),
    png: await image().resize(600, 400).png({ compressionLevel: 9 }).toBuffer(),
    webp: await image().webp({ quality: 75 }).toBuffer(),
  }
  await mkdir(join(out, 'images'), { recursive: true })
  let bytes = 0
  for (const path of [...named].sort()) {
    const picture = made[path.slice(path.lastIndexOf('.') + 1)]!
    await writeFile(join(out, path), picture)
    bytes += picture.byteLength
  }
  return { files: named.size, bytes }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '1000' },
      topics: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      future: { type: 'string', default: '0' },
      out: { type: 'string' },
      pictures: { type: 'boolean', default: false },
    },
  })
  const articles = Number(values.articles)
  const topics = Number(values.topics)
  const seed = Number(values.seed)
  const future = Number(values.future)
  if (!values.out) {
    console.error('[corpus] --out: missing. Name the folder to write, like `--out /tmp/corpus-1k`')
    return 2
  }
  for (const [name, value, low] of [
    ['articles', articles, 1],
    ['topics', topics, 1],
    ['seed', seed, 0],
    ['future', future, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < low) {
      console.error(`[corpus] --${name}: "${value}" is not a whole number of at least ${low}.`)
      return 2
    }
  }
  const out = resolve(values.out)
  const existing = await readdir(out).catch(() => [] as string[])
  if (existing.length > 0 && !existing.includes(MARKER)) {
    console.error(
      `[corpus] ${out}: the folder is not empty and was not written by this script. Choose an empty or new folder`,
    )
    return 2
  }
  await rm(out, { recursive: true, force: true })
  const files = generateCorpus({ articles, topics, seed, future: Math.min(future, articles) })
  const folders = new Set([...files.keys()].map((path) => path.slice(0, path.lastIndexOf('/'))))
  for (const folder of folders) await mkdir(join(out, folder), { recursive: true })
  await writeFile(
    join(out, MARKER),
    `articles=${articles} topics=${topics} seed=${seed} future=${future}${values.pictures ? ' pictures' : ''}\n`,
  )
  for (const [path, text] of files) await writeFile(join(out, path), text)
  const pictures = values.pictures ? await writePictures(out, files) : undefined
  console.log(
    `[corpus] ${files.size} articles over ${topics} topics written to ${out}${pictures ? `, with ${pictures.files} pictures (${(pictures.bytes / 2 ** 20).toFixed(0)} MiB)` : ''}`,
  )
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main()
