/**
 * A minimal Hugo site over a corpus, for comparing build times: a page per
 * article, a list page per topic, and an RSS feed for the site and for every
 * topic with the newest 20 items and their full content — what our build and
 * worker publish. Hugo reads the corpus's front matter as it is (`topics` is
 * declared as a taxonomy).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const CONFIG = (contentDir: string) => `baseURL = "https://example.com/"
title = "Benchmark"
languageCode = "en"
contentDir = ${JSON.stringify(contentDir)}
disableKinds = ["sitemap", "robotsTXT", "404"]
rssLimit = 20

[taxonomies]
topic = "topics"

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
`

const BASE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body></html>
`

const SINGLE = `{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
{{ range .Params.topics }}<a href="{{ "topics/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ .Content }}</article>{{ end }}
`

const LIST = `{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 280 }}</li>{{ end }}</ul>{{ end }}
`

/** Full content in <description>, like our RSS; otherwise Hugo's own template, cut down. */
const RSS = `{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{{ .Site.Title }}{{ with .Title }} – {{ . }}{{ end }}</title><link>{{ .Permalink }}</link>
<description>{{ .Site.Title }}</description>
{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range first 20 .RegularPagesRecursive.ByDate.Reverse }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate><guid>{{ .Permalink }}</guid>
<description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>
`

/** Writes the site into `folder`, reading articles from `corpus`. */
export async function writeHugoSite(folder: string, corpus: string): Promise<void> {
  const layouts = join(folder, 'layouts', '_default')
  await mkdir(layouts, { recursive: true })
  await writeFile(join(folder, 'config.toml'), CONFIG(corpus))
  await writeFile(join(layouts, 'baseof.html'), BASE)
  await writeFile(join(layouts, 'single.html'), SINGLE)
  await writeFile(join(layouts, 'list.html'), LIST)
  await writeFile(join(layouts, 'rss.xml'), RSS)
}
