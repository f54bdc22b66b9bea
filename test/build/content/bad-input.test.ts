import { describe, expect, it } from 'vitest'
import { problemsOf } from '../../support/fixtures.ts'

/** Every kind of bad input the build refuses, with the exact message an author sees. */

const cases: [string, Record<string, string | Uint8Array>, string[]][] = [
  [
    'a missing title',
    { 'no-title.md': '---\ndate: 2024-01-01\n---\nBody' },
    [
      '[content] no-title.md:1: title: the article has no title. Add `title: …` to the front matter, or start the file with a `# Title` line',
    ],
  ],
  [
    'an empty title',
    { 'empty-title.md': '---\ntitle: ""\ndate: 2024-01-01\n---\nBody' },
    [
      '[content] empty-title.md:2: title: is empty. Write the headline as text, like `title: "My headline"`',
    ],
  ],
  [
    'a title that is not text',
    { 'number-title.md': '---\ntitle: 42\ndate: 2024-01-01\n---\nBody' },
    [
      '[content] number-title.md:2: title: must be text. Write the headline as text, like `title: "My headline"`',
    ],
  ],
  [
    'a missing date',
    { 'no-date.md': '---\ntitle: A\n---\nBody' },
    [
      '[content] no-date.md:1: date: the article has no date. Add `date: 2024-10-22` to the front matter, or a date line like `October 22, 2024` under the title',
    ],
  ],
  [
    'a date that is not a day of the calendar',
    { 'bad-date.md': '---\ntitle: B\ndate: 2024-02-30\n---\nBody' },
    [
      '[content] bad-date.md:3: date: "2024-02-30" is not a day of the calendar. Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
    ],
  ],
  [
    'a calendar day before the year 1000 (issue 14)',
    { 'year-one.md': '---\ntitle: Y\ndate: 0001-01-01\n---\nBody' },
    [
      '[content] year-one.md:3: date: "0001-01-01" is a day of the calendar, but before the year 1000: no article is that old; check the year. Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
    ],
  ],
  [
    'a day that does not exist in year 4 either',
    { 'year-four.md': '---\ntitle: Y\ndate: 0003-02-29\n---\nBody' },
    [
      '[content] year-four.md:3: date: "0003-02-29" is not a day of the calendar. Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
    ],
  ],
  [
    'an unparsable date',
    { 'word-date.md': '---\ntitle: C\ndate: next tuesday\n---\nBody' },
    [
      '[content] word-date.md:3: date: "next tuesday" is not an ISO 8601 date. Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
    ],
  ],
  [
    'a date-time without a time zone',
    { 'zone.md': '---\ntitle: Z\ndate: 2024-01-01T10:00\n---\nBody' },
    [
      '[content] zone.md:3: date: "2024-01-01T10:00" has a time but no time zone. Use ISO 8601, like `2024-10-22` (00:00 UTC) or `2024-10-22T09:30:00+03:00`',
    ],
  ],
  [
    'a YAML syntax error',
    { 'tabs.md': '---\ntitle: T\n\tdate: 2024-01-01\n---\nBody' },
    [
      '[content] tabs.md:3: front matter: a tab indents this line. Indent with spaces: YAML does not allow tabs',
    ],
  ],
  [
    'a duplicated field',
    { 'dup-key.md': '---\ntitle: T\ntitle: U\ndate: 2024-01-01\n---\nBody' },
    [
      '[content] dup-key.md:3: front matter: `title` is given twice. Keep one of the two `title:` lines',
    ],
  ],
  [
    'front matter that is a list',
    { 'list.md': '---\n- a\n- b\n---\nBody' },
    [
      '[content] list.md:2: front matter: front matter is not a set of fields. Write one `field: value` per line between the --- lines, like `title: My article`',
    ],
  ],
  [
    'a topic whose slug is empty',
    { 'topic.md': '---\ntitle: Topic\ndate: 2024-01-01\ntopics: ["!!!"]\n---\nBody' },
    [
      '[content] topic.md:4: topics: topic "!!!" has no letters or digits to make a URL from. Name the topic with at least one letter or digit',
    ],
  ],
  [
    'a file that is not UTF-8',
    {
      'latin1.md': new Uint8Array([
        0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0x20, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a,
      ]),
    },
    ['[content] latin1.md: encoding: the file is not valid UTF-8. Save the file as UTF-8'],
  ],
  [
    'a UTF-16 file',
    { 'utf16.md': new Uint8Array([0xff, 0xfe, 0x41, 0x00]) },
    ['[content] utf16.md: encoding: the file is UTF-16, not UTF-8. Save the file as UTF-8'],
  ],
  [
    'two articles with the same slug',
    {
      'same-1.md': '---\ntitle: Same Title\ndate: 2024-01-01\n---\nBody',
      'same-2.md': '---\ntitle: Same title!\ndate: 2024-01-02\n---\nBody',
    },
    [
      '[content] same-2.md:2: slug: its URL /articles/same-title/ is already taken by same-1.md. Give one of the two articles a different `slug` in its front matter',
    ],
  ],
  [
    'two articles with the same id',
    {
      'id-1.md': '---\ntitle: Id one\nid: shared\ndate: 2024-01-01\n---\nBody',
      'id-2.md': '---\ntitle: Id two\nid: SHARED\ndate: 2024-01-01\n---\nBody',
    },
    [
      '[content] id-2.md:3: id: its id "SHARED" gives the same id as id-1.md (urn:uuid:11206e2b-d969-5851-9994-06d9d0a772bc). Give one of the two articles a different `id`; ids compare without regard to case',
    ],
  ],
  [
    'a misspelt field',
    { 'typo.md': '---\ntitle: Typo\ndate: 2024-01-01\ntopic: [a]\n---\nBody' },
    ['[content] typo.md:4: topic: is not a known field. Did you mean `topics`?'],
  ],
  [
    'a relative source URL',
    { 'source.md': '---\ntitle: Source\ndate: 2024-01-01\nsource_url: /story\n---\nBody' },
    [
      '[content] source.md:4: source_url: "/story" is not an absolute http or https URL. Give the full address of the original publication, like https://example.com/story',
    ],
  ],
  [
    'an image whose type cannot be told',
    {
      'image.md':
        '---\ntitle: Image\ndate: 2024-01-01\nimage: https://cdn.example/photo\n---\nBody',
    },
    [
      '[content] image.md:4: image: cannot tell the image type of "https://cdn.example/photo" from its name. Use an image whose path ends in .jpg, .jpeg, .png, .gif, .webp, .avif, .svg',
    ],
  ],
]

describe('bad input', () => {
  for (const [what, files, messages] of cases) {
    it(`refuses ${what} with a message naming the file, line and fix`, () => {
      expect(problemsOf(files)).toEqual(messages)
    })
  }

  it('reports every problem of every file at once', () => {
    const all = Object.assign({}, ...cases.map(([, files]) => files))
    expect(problemsOf(all)).toHaveLength(
      cases.reduce((sum, [, , messages]) => sum + messages.length, 0),
    )
  })
})
