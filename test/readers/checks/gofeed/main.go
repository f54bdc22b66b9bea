// Reads feeds with Go's gofeed (github.com/mmcdole/gofeed), as the reader
// conformance suite asks; built at test time in GOPATH mode from Debian's
// golang-github-mmcdole-gofeed-dev, so no module download is needed.
//
// Input (stdin): a JSON list of {"url", "path"}; each path holds the bytes
// fetched from url. Output (stdout): a JSON list with, per feed, what gofeed's
// universal parser made of it: the detected type, the title and every item.
package main

import (
	"encoding/json"
	"os"

	"github.com/mmcdole/gofeed"
)

type input struct {
	URL  string `json:"url"`
	Path string `json:"path"`
}

type item struct {
	ID          string   `json:"id"`
	Link        string   `json:"link"`
	Title       string   `json:"title"`
	Published   *int64   `json:"published"`
	Updated     *int64   `json:"updated"`
	Categories  []string `json:"categories"`
	Authors     []string `json:"authors"`
	Image       string   `json:"image"`
	ContentHTML string   `json:"contentHtml"`
}

type report struct {
	URL      string `json:"url"`
	Error    string `json:"error,omitempty"`
	FeedType string `json:"feedType"`
	Title    string `json:"title"`
	Items    []item `json:"items"`
}

// image is the item's picture as a reader built on gofeed finds it: the
// universal Image (JSON Feed's image), else the first image enclosure, else
// Media RSS media:content, which gofeed keeps as an extension.
func image(entry *gofeed.Item) string {
	if entry.Image != nil && entry.Image.URL != "" {
		return entry.Image.URL
	}
	for _, enclosure := range entry.Enclosures {
		if enclosure.URL != "" {
			return enclosure.URL
		}
	}
	for _, content := range entry.Extensions["media"]["content"] {
		if url := content.Attrs["url"]; url != "" {
			return url
		}
	}
	return ""
}

func read(feed input) report {
	result := report{URL: feed.URL, Items: []item{}}
	file, err := os.Open(feed.Path)
	if err != nil {
		result.Error = err.Error()
		return result
	}
	defer file.Close()
	parsed, err := gofeed.NewParser().Parse(file)
	if err != nil {
		result.Error = err.Error()
		return result
	}
	result.FeedType = parsed.FeedType
	result.Title = parsed.Title
	for _, entry := range parsed.Items {
		out := item{
			ID:          entry.GUID,
			Link:        entry.Link,
			Title:       entry.Title,
			Categories:  []string{},
			Authors:     []string{},
			Image:       image(entry),
			ContentHTML: entry.Content,
		}
		if entry.PublishedParsed != nil {
			ms := entry.PublishedParsed.UnixMilli()
			out.Published = &ms
		}
		if entry.UpdatedParsed != nil {
			ms := entry.UpdatedParsed.UnixMilli()
			out.Updated = &ms
		}
		out.Categories = append(out.Categories, entry.Categories...)
		for _, author := range entry.Authors {
			out.Authors = append(out.Authors, author.Name)
		}
		result.Items = append(result.Items, out)
	}
	return result
}

func main() {
	var feeds []input
	if err := json.NewDecoder(os.Stdin).Decode(&feeds); err != nil {
		os.Stderr.WriteString("gofeed reader: " + err.Error() + "\n")
		os.Exit(2)
	}
	reports := make([]report, 0, len(feeds))
	for _, feed := range feeds {
		reports = append(reports, read(feed))
	}
	if err := json.NewEncoder(os.Stdout).Encode(reports); err != nil {
		os.Stderr.WriteString("gofeed reader: " + err.Error() + "\n")
		os.Exit(2)
	}
}
