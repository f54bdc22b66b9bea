import { describe, expect, it } from 'vitest'
import { compileContent } from '../../../src/build/content/compile-content.ts'
import { formatProblem } from '../../../src/contract/problem.ts'
import { compileFixture, markdownArticle } from '../../support/fixtures.ts'

/** The topic taxonomy (topics.yaml) and the rule that files articles under its topics. */

const TAXONOMY = `# Topics
shipping:
  name: Shipping
  description: Ports, ships & the sea lanes <between> them.
  keywords: [harbour, port, cargo ship, "container ship"]
economy:
  name: Economy
  description: Budgets, prices and jobs.
  keywords: [budget, inflation, IMF]
rights:
  name: Human Rights
  description: Rights, courts and the people who defend them.
  keywords: [UN]
`

function compileWithTaxonomy(files: Record<string, string>, taxonomy = TAXONOMY) {
  const encoder = new TextEncoder()
  return compileContent(
    Object.entries({ 'topics.yaml': taxonomy, ...files }).map(([path, text]) => ({
      path,
      bytes: encoder.encode(text),
    })),
  )
}

function topicsOf(fields: Record<string, unknown>, body: string): string[] {
  const result = compileWithTaxonomy({
    'a.md': markdownArticle({ title: 'A', date: '2024-01-01', summary: 'S.', ...fields }, body),
  })
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.content.articles[0]!.topics.map((topic) => topic.name)
}

describe('the topic rule for articles without topics', () => {
  it('files an article under every topic whose name or keyword its title or first two paragraphs mention, in taxonomy order', () => {
    expect(
      topicsOf({ title: 'Budget day at the harbour' }, 'Nothing else.\n\nStill nothing.'),
    ).toEqual(['Shipping', 'Economy'])
    expect(topicsOf({}, 'First.\n\nThe ECONOMY grows; a Cargo  Ship docks.')).toEqual([
      'Shipping',
      'Economy',
    ])
  })

  it('looks no further than the second paragraph', () => {
    expect(topicsOf({}, 'First.\n\nSecond.\n\nThe budget, in the third paragraph.')).toEqual([])
  })

  it('matches whole words and phrases only, and acronyms only in capitals', () => {
    expect(topicsOf({}, 'A passport, a budgetary rule and a container.')).toEqual([])
    expect(topicsOf({}, 'The un-named sources of the unit.')).toEqual([])
    expect(topicsOf({}, 'The UN spoke; the imf did not.')).toEqual(['Human Rights'])
    expect(topicsOf({}, 'The port’s container ship sailed.')).toEqual(['Shipping'])
  })

  it('lets listed topics win, even an empty list', () => {
    expect(topicsOf({ topics: ['Economy'] }, 'The harbour budget.')).toEqual(['Economy'])
    expect(topicsOf({ topics: [] }, 'The harbour budget.')).toEqual([])
  })

  it('names a listed topic as the taxonomy does, found by its slug or its name', () => {
    const result = compileWithTaxonomy({
      'a.md': markdownArticle(
        {
          title: 'A',
          date: '2024-01-01',
          summary: 'S.',
          topics: ['human rights', 'ECONOMY', 'Rights'],
        },
        'Body.',
      ),
    })
    expect(result.ok && result.content.articles[0]!.topics).toEqual([
      { slug: 'rights', name: 'Human Rights' },
      { slug: 'economy', name: 'Economy' },
    ])
    expect(result.warnings).toEqual([])
  })

  it('files nothing by keyword when there is no taxonomy', () => {
    const article = compileFixture({
      'a.md': markdownArticle({ title: 'Harbour budget', date: '2024-01-01' }, 'Body.'),
    }).articles[0]!
    expect(article.topics).toEqual([])
  })
})

describe('topics the taxonomy lacks', () => {
  it('are published, with a warning that suggests the closest topic', () => {
    const result = compileWithTaxonomy({
      'a.md': markdownArticle(
        { title: 'A', date: '2024-01-01', summary: 'S.', topics: ['Shiping', 'Weather', 'IMF'] },
        'Body.',
      ),
    })
    expect(result.ok).toBe(true)
    expect(result.warnings.map(formatProblem)).toEqual([
      '[content] a.md:5: warning: topics: topic "Shiping" is not in topics.yaml, so it has no description. Did you mean "Shipping"? Otherwise add `shiping:` with a name and a description to topics.yaml',
      '[content] a.md:5: warning: topics: topic "Weather" is not in topics.yaml, so it has no description. Add `weather:` with a name and a description to topics.yaml, or use one of its topics',
      '[content] a.md:5: warning: topics: topic "IMF" is not in topics.yaml, so it has no description. Did you mean "Economy"? Otherwise add `imf:` with a name and a description to topics.yaml',
    ])
    if (!result.ok) return
    expect(result.content.articles[0]!.topics).toEqual([
      { slug: 'shiping', name: 'Shiping' },
      { slug: 'weather', name: 'Weather' },
      { slug: 'imf', name: 'IMF' },
    ])
  })
})

describe('the taxonomy file', () => {
  it('carries every topic with its description into the compiled content', () => {
    const result = compileWithTaxonomy({
      'a.md': markdownArticle({ title: 'A', date: '2024-01-01', summary: 'S.' }, 'Body.'),
    })
    expect(result.ok && result.content.topics).toEqual([
      {
        slug: 'shipping',
        name: 'Shipping',
        description: 'Ports, ships & the sea lanes <between> them.',
      },
      { slug: 'economy', name: 'Economy', description: 'Budgets, prices and jobs.' },
      {
        slug: 'rights',
        name: 'Human Rights',
        description: 'Rights, courts and the people who defend them.',
      },
    ])
  })

  it('is checked, with every problem named by line', () => {
    const taxonomy = `Shipping News:
  name: Shipping
  description: Ports.
economy:
  name: Economy
  keywords: budget
rights:
  name: ""
  description: Rights.
  colour: red
`
    const result = compileWithTaxonomy({}, taxonomy)
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      '[content] topics.yaml:1: Shipping News: is not a topic slug. Write it as `shipping-news`: lower-case letters and digits joined by hyphens',
      '[content] topics.yaml:4: economy.description: is missing. Write one or two sentences about the topic, like `description: News about South Korea.`',
      '[content] topics.yaml:6: economy.keywords: must be a list. Write a list, like `keywords: [Seoul, South Korean]`',
      '[content] topics.yaml:8: rights.name: is empty. Write the name readers see, like `name: South Korea`',
      '[content] topics.yaml:10: rights.colour: is not a known field. A topic has `name`, `description`, `keywords`',
    ])
  })

  it('names YAML syntax errors and duplicate slugs by line', () => {
    const result = compileWithTaxonomy(
      {},
      'economy:\n  name: Economy\n  description: Money.\neconomy:\n  name: Again\n  description: Twice.\n',
    )
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      '[content] topics.yaml:4: topics: YAML syntax error: duplicated mapping key. Fix the YAML; use spaces, not tabs, and close every quote',
    ])
  })

  it('refuses YAML aliases, as articles do (issue 14)', () => {
    const result = compileWithTaxonomy(
      { 'a.md': markdownArticle({ title: 'A', date: '2024-01-01', summary: 'S.' }) },
      'base: &base\n  name: Base\n  description: D.\ncopy: *base\n',
    )
    if (result.ok) throw new Error('the aliased taxonomy compiled')
    expect(result.problems.map(formatProblem)).toEqual([
      '[content] topics.yaml:4: topics: YAML aliases (*name) are not allowed. Write each value out in full instead of referring to an &anchor',
    ])
  })
})
