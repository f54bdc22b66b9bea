import * as yaml from 'js-yaml'

/**
 * Front matter as an author would write it by hand: one `field: value` per
 * line, lists in brackets, quotes only where YAML needs them. Whatever the
 * value holds (colons, `#`, quotes, curly quotes, a leading dash), it reads
 * back as the same text with the parser the build uses.
 */

/** A field's value: text, a list of texts, or true/false. */
export type FieldValue = string | readonly string[] | boolean

/** Reads a YAML fragment the way the build reads front matter (the JSON schema: no guessing). */
function readsBackAs(fragment: string): unknown {
  try {
    return (yaml.load(`v: ${fragment}`, { schema: yaml.JSON_SCHEMA }) as { v?: unknown }).v
  } catch {
    return undefined
  }
}

/** Text as a plain YAML scalar when it reads back unchanged, otherwise double-quoted. */
function formatText(text: string, inList: boolean): string {
  const plain = !/^\s|\s$|\n|\t/.test(text) && (!inList || !/[,[\]{}]/.test(text))
  if (plain && text !== '') {
    const read = readsBackAs(inList ? `[${text}]` : text)
    if (inList ? Array.isArray(read) && read.length === 1 && read[0] === text : read === text) {
      return text
    }
  }
  // A JSON string is a valid YAML double-quoted scalar with the same escapes.
  return JSON.stringify(text)
}

function formatValue(value: FieldValue): string {
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return formatText(value, false)
  return `[${value.map((item) => formatText(item, true)).join(', ')}]`
}

/**
 * Writes front matter, `---` lines included, with the fields in the order
 * given. `comments` are written as `# …` lines before the closing `---`.
 */
export function writeFrontMatter(
  fields: readonly (readonly [string, FieldValue])[],
  comments: readonly string[] = [],
): string {
  const lines = fields.map(([name, value]) => `${name}: ${formatValue(value)}`)
  return ['---', ...lines, ...comments.map((comment) => `# ${comment}`), '---', ''].join('\n')
}
