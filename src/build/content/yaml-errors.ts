/**
 * js-yaml's errors in plain words, with the fix. js-yaml says where the
 * parser gave up ("bad indentation of a mapping entry"); an author needs to
 * know what in their line YAML read as syntax, and what to type instead.
 * Almost always it is an unquoted value holding `: `, ` #` or a leading
 * indicator character (YAML 1.2, section 7.3.3: plain scalars), or a quote
 * left open.
 */

export interface YamlErrorText {
  message: string
  hint: string
  /** The line (0-based, in the lines given) the mistake is on, when not where the parser stopped. */
  line?: number
}

/** `key: value` on one line of front matter. */
const FIELD_LINE = /^(\s*)([A-Za-z_][\w-]*):[ \t]+(.+?)\s*$/

/** Characters a plain (unquoted) value may not start with (YAML 1.2, section 5.3, c-indicator). */
const INDICATORS = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '[', '{', '"', "'"])

/** What in an unquoted value YAML reads as syntax, in words; undefined when nothing does. */
function syntaxInPlainValue(value: string): string | undefined {
  if (value.includes(': ')) return '": ", which YAML reads as the start of another field'
  if (/\s#/.test(value)) return '" #", which YAML reads as the start of a comment'
  const first = value[0] ?? ''
  if (INDICATORS.has(first)) return `"${first}" at its start, which YAML reads as syntax`
  return undefined
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

function isClosedQuote(value: string): boolean {
  const quote = value[0]
  return (quote === '"' || quote === "'") && value.length > 1 && value.endsWith(quote)
}

/**
 * The plain-words message and fix for a YAML error at `line` (0-based, in
 * `lines`), or undefined when none of the known causes fits; the caller then
 * falls back to js-yaml's own reason.
 */
export function explainYamlError(
  reason: string,
  lines: readonly string[],
  line: number | undefined,
): YamlErrorText | undefined {
  const at = line === undefined ? undefined : lines[line]
  if (/tab characters/i.test(reason)) {
    return {
      message: 'a tab indents this line',
      hint: 'Indent with spaces: YAML does not allow tabs',
    }
  }
  const field = at === undefined ? undefined : FIELD_LINE.exec(at)
  if (/duplicated mapping key/.test(reason) && field) {
    return {
      message: `\`${field[2]}\` is given twice`,
      hint: `Keep one of the two \`${field[2]}:\` lines`,
    }
  }
  // A quote left open swallows the lines after it; the parser stops a line or more later.
  for (let index = line ?? -1; index >= 0 && index >= (line ?? 0) - 3; index--) {
    const candidate = FIELD_LINE.exec(lines[index] ?? '')
    const value = candidate?.[3] ?? ''
    const quote = value[0]
    if ((quote === '"' || quote === "'") && !value.slice(1).includes(quote)) {
      return {
        message: `the value of \`${candidate?.[2]}\` opens a ${quote === '"' ? 'double' : 'single'} quote and does not close it`,
        hint: `Close it at the end of the value, like \`${candidate?.[2]}: ${value}${quote}\``,
        line: index,
      }
    }
  }
  if (field) {
    const [, , key, value = ''] = field
    const syntax = isClosedQuote(value) ? undefined : syntaxInPlainValue(value)
    if (syntax) {
      return {
        message: `the value of \`${key}\` is not quoted and holds ${syntax}`,
        hint: `Quote the value: \`${key}: ${quoted(value)}\``,
      }
    }
  }
  return undefined
}
