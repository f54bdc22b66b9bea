/** The count of something, with its noun in the singular or plural: `1 error`, `2 errors`. */
export function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`
}
