"""Reads feeds with Python's feedparser, as the reader conformance suite asks.

Input (stdin): a JSON list of {"url", "path", "contentType"}; each path holds
the bytes fetched from url. Output (stdout): a JSON list with, per feed, what
feedparser made of it and how many entries the document itself holds, counted
with the standard library's XML parser so the count does not come from
feedparser.
"""

import calendar
import json
import sys
import xml.etree.ElementTree as ElementTree

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"


def document_entries(data):
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return -1
    return sum(1 for element in root.iter() if element.tag in ("item", ATOM + "entry"))


def milliseconds(parsed):
    return None if parsed is None else calendar.timegm(parsed) * 1000


def entry_of(entry):
    content = entry.get("content") or []
    return {
        "id": entry.get("id"),
        "link": entry.get("link"),
        "title": entry.get("title"),
        "titleType": entry.get("title_detail", {}).get("type"),
        "published": milliseconds(entry.get("published_parsed")),
        # The term, which readers without a label show; the feeds give it the topic's name.
        "categories": [tag.get("term") for tag in entry.get("tags", [])],
        "authors": [author.get("name") for author in entry.get("authors", [])],
        # Media RSS first, as readers that show pictures look there; else the enclosure.
        "image": (entry.get("media_content") or [{}])[0].get("url")
        or (entry.get("enclosures") or [{}])[0].get("href"),
        "contentHtml": content[0].get("value") if content else None,
    }


def read(feed):
    with open(feed["path"], "rb") as handle:
        data = handle.read()
    parsed = feedparser.parse(
        data,
        response_headers={"content-location": feed["url"], "content-type": feed["contentType"]},
    )
    exception = parsed.get("bozo_exception")
    return {
        "url": feed["url"],
        "bozo": bool(parsed.get("bozo")),
        "bozoException": None if exception is None else f"{type(exception).__name__}: {exception}",
        "version": parsed.get("version", ""),
        "documentEntries": document_entries(data),
        "entries": [entry_of(entry) for entry in parsed.entries],
    }


def main():
    json.dump([read(feed) for feed in json.load(sys.stdin)], sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
