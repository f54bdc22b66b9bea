import { FAVICON_PATH } from '../site/icons.ts'
import type { SiteConfig } from '../site/site-config.ts'
import { FEED_FILES, homeUrl, topicsUrl } from '../site/urls.ts'
import { COPY_SCRIPT_PATH, FEED_VIEW_TEXT } from './feed-page.ts'
import { markup } from './html.ts'

/**
 * The XSLT 1.0 stylesheet that RSS and Atom feeds reference with an
 * `<?xml-stylesheet?>` instruction, so a browser that opens a feed shows the
 * same readable page as feed-page.ts, with the same words and classes, instead
 * of raw XML. It is rendered once per site and origin, with the site's frame
 * (mirroring layout.ts) written in.
 *
 * Whitespace-only text in a stylesheet is dropped, so spaces between inline
 * elements are written as xsl:text.
 *
 * Atom titles and summaries are plain text (`type="text"`) and copied as
 * text. The RSS `description` is HTML-escaped text; `disable-output-escaping`
 * lets the browser decode that escaping exactly once. Nothing else is copied
 * unescaped, and the feed's CSP forbids inline script anyway.
 */

/** Path the stylesheet is served at. */
export const FEED_STYLESHEET_PATH = '/feed.xsl'

/** `January  February …`, each padded to 9 characters, for XSLT's substring(). */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
  .map((month) => month.padEnd(9))
  .join('')

/** Renders the feed stylesheet for one site and origin. */
export function renderFeedStylesheet(site: SiteConfig, origin: string): string {
  const xsl = markup`<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>

<xsl:variable name="isRss" select="boolean(/rss)"/>
<xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
<xsl:variable name="file">
<xsl:choose><xsl:when test="$isRss">${FEED_FILES.rss}</xsl:when><xsl:otherwise>${FEED_FILES.atom}</xsl:otherwise></xsl:choose>
</xsl:variable>
<!-- A filtered feed's address ends in a query (rss.xml?topics=a): the other formats keep it. -->
<xsl:variable name="folder" select="substring-before($self, $file)"/>
<xsl:variable name="query" select="substring-after($self, $file)"/>
<xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
<xsl:variable name="description" select="/rss/channel/description | /atom:feed/atom:subtitle"/>
<xsl:variable name="web" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
<xsl:variable name="lang" select="/rss/channel/language | /atom:feed/@xml:lang"/>

<xsl:template match="/">
<html lang="{$lang}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title><xsl:value-of select="$title"/></title>
<link rel="stylesheet" href="${origin}/style.css"/>
<link rel="icon" href="${origin}${FAVICON_PATH}"/>
<script src="${origin}${COPY_SCRIPT_PATH}" defer="defer"></script>
</head>
<body>
<header class="site-header">
<a class="site-title" href="${homeUrl(origin)}">${site.title}</a>
<nav aria-label="Site"><a href="${homeUrl(origin)}">Latest</a><xsl:text> </xsl:text><a href="${topicsUrl(origin)}">Topics</a></nav>
</header>
<main id="main">
<h1><xsl:value-of select="$title"/></h1>
<p class="lede"><xsl:value-of select="$description"/></p>
<section class="feed-about" aria-labelledby="feed-about-heading">
<h2 id="feed-about-heading">${FEED_VIEW_TEXT.heading}</h2>
<p>${FEED_VIEW_TEXT.explanation}</p>
<p class="feed-url"><code id="feed-url"><xsl:value-of select="$self"/></code><xsl:text> </xsl:text><button type="button" data-copy="feed-url" hidden="hidden">${FEED_VIEW_TEXT.copy}</button><xsl:text> </xsl:text><span class="copy-status" role="status"></span></p>
<p><xsl:choose><xsl:when test="$isRss">RSS feed; also as <a href="{$folder}${FEED_FILES.atom}{$query}">Atom</a></xsl:when><xsl:otherwise>Atom feed; also as <a href="{$folder}${FEED_FILES.rss}{$query}">RSS</a></xsl:otherwise></xsl:choose> and <a href="{$folder}${FEED_FILES.json}{$query}">JSON Feed</a>. <a href="{$web}">${FEED_VIEW_TEXT.readOnWeb}</a>.</p>
</section>
<section aria-labelledby="feed-items-heading">
<h2 id="feed-items-heading">${FEED_VIEW_TEXT.itemsHeading}</h2>
<xsl:choose>
<xsl:when test="/rss/channel/item | /atom:feed/atom:entry">
<ol class="articles"><xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/></ol>
</xsl:when>
<xsl:otherwise><p>No articles yet.</p></xsl:otherwise>
</xsl:choose>
</section>
</main>
<footer class="site-footer">
<p><a href="${homeUrl(origin)}">${site.title}</a></p>
</footer>
</body>
</html>
</xsl:template>

<xsl:template match="item">
<xsl:variable name="day" select="number(substring(pubDate, 6, 2))"/>
<xsl:variable name="month" select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(pubDate, 9, 3))) div 3 + 1"/>
<xsl:variable name="year" select="substring(pubDate, 13, 4)"/>
<li><article>
<h3 dir="auto"><a href="{link}"><xsl:value-of select="title"/></a></h3>
<p class="meta"><time datetime="{$year}-{format-number($month, '00')}-{format-number($day, '00')}"><xsl:call-template name="date"><xsl:with-param name="year" select="$year"/><xsl:with-param name="month" select="$month"/><xsl:with-param name="day" select="$day"/></xsl:call-template></time>
<xsl:for-each select="category"><xsl:choose><xsl:when test="position() = 1"> · </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose><a href="{@domain}" dir="auto"><xsl:value-of select="."/></a></xsl:for-each></p>
<p dir="auto"><xsl:value-of select="description" disable-output-escaping="yes"/></p>
</article></li>
</xsl:template>

<xsl:template match="atom:entry">
<li><article>
<h3 dir="auto"><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
<p class="meta"><time datetime="{atom:published}"><xsl:call-template name="date"><xsl:with-param name="year" select="substring(atom:published, 1, 4)"/><xsl:with-param name="month" select="number(substring(atom:published, 6, 2))"/><xsl:with-param name="day" select="number(substring(atom:published, 9, 2))"/></xsl:call-template></time>
<xsl:for-each select="atom:category"><xsl:choose><xsl:when test="position() = 1"> · </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose><a href="{@scheme}" dir="auto"><xsl:value-of select="@label"/></a></xsl:for-each></p>
<p dir="auto"><xsl:value-of select="atom:summary"/></p>
</article></li>
</xsl:template>

<!-- Dates as the pages show them: October 22, 2024 (UTC). -->
<xsl:template name="date">
<xsl:param name="year"/><xsl:param name="month"/><xsl:param name="day"/>
<xsl:value-of select="normalize-space(substring('${MONTHS}', ($month - 1) * 9 + 1, 9))"/><xsl:text> </xsl:text><xsl:value-of select="$day"/>, <xsl:value-of select="$year"/>
</xsl:template>
</xsl:stylesheet>
`
  return xsl.toString()
}
