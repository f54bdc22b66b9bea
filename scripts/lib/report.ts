/**
 * Printing and saving benchmark results: a plain-text table for people, and
 * JSON under results/ (git-ignored) for tools and later comparison.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** A table with a header row; numbers are right-aligned, text left-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const numeric = (text: string) => /^[-+]?[\d.,]+\s?[a-zA-Z%×]*$/.test(text)
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric(cell) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd()
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n')
}

/** Bytes as KiB or MiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** A number with a fixed count of decimals. */
export function formatNumber(value: number, decimals = 0): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : '–'
}

/** Writes `data` as results/NAME-TIMESTAMP.json and results/NAME-latest.json; returns the first path. */
export async function saveResults(folder: string, name: string, data: unknown): Promise<string> {
  const dir = resolve(folder)
  await mkdir(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const text = `${JSON.stringify(data, null, 2)}\n`
  const path = join(dir, `${name}-${stamp}.json`)
  await writeFile(path, text)
  await writeFile(join(dir, `${name}-latest.json`), text)
  return path
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
