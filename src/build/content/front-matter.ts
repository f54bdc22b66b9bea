import { z } from 'zod'
import { ARTICLE_LIMITS } from './limits.ts'

/**
 * The front-matter schema, declared once. The build validates against it and
 * the article types are derived from it, so a field cannot be documented in
 * one place and read differently in another.
 */

const text = z.string().trim().min(1, 'is empty')

const authorEntry = z.union([
  text.transform((name) => ({ name })),
  z.strictObject({ name: text, url: text.optional() }),
])

/** Front-matter fields an author may write. Unknown fields are errors: a typo must not pass silently. */
export const frontMatterSchema = z.strictObject({
  title: text
    .max(ARTICLE_LIMITS.titleLength, {
      error: (issue) =>
        `is ${String(issue.input).length} characters long; a title may have at most ${ARTICLE_LIMITS.titleLength}`,
    })
    .optional(),
  date: text.optional(),
  updated: text.optional(),
  slug: text.optional(),
  id: text.optional(),
  topics: z
    .array(text, 'must be a list of names, like [Ukraine, Russia]')
    .max(ARTICLE_LIMITS.topics, {
      error: (issue) =>
        `has ${(issue.input as unknown[]).length} topics; an article may have at most ${ARTICLE_LIMITS.topics}`,
    })
    .optional(),
  summary: text.optional(),
  author: text.optional(),
  authors: z.array(authorEntry, 'must be a list of names').optional(),
  image: text.optional(),
  image_caption: text.optional(),
  image_credit: text.optional(),
  source_url: text.optional(),
  source_name: text.optional(),
  draft: z.boolean('must be true or false').optional(),
  redirect_from: z.array(text, 'must be a list of old URLs, like [/articles/old-name/]').optional(),
  lang: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'is not a language tag')
    .optional(),
})

/** Front matter as written, after validation. */
export type FrontMatter = z.infer<typeof frontMatterSchema>

/** The names of every field the schema knows, for hints. */
export const FRONT_MATTER_FIELDS = Object.keys(frontMatterSchema.shape)
