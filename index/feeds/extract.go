package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ErrNotArticle means a page has too little running text to be an article
// (a front page, a video page, a paywall).
var ErrNotArticle = errors.New("the page has no article text")

// minArticleChars is the least text an extracted page must have.
const minArticleChars = 300

// maxPageElems bounds the HTML elements readability looks at: a news
// page has a few thousand; one with more than this is not an article
// page, and readability's time grows with the count.
const maxPageElems = 50000

// page is what extraction gets from an article page.
type page struct {
	Title, Author string
	Published     time.Time
	Text          string // paragraphs separated by blank lines
}

// extract finds the article in an HTML page: the body is converted to
// UTF-8 from the charset the response or the page declares, then
// readability picks the main text.
func extract(body []byte, contentType string, pageURL *url.URL) (page, error) {
	if mt, _, err := mime.ParseMediaType(contentType); contentType != "" && (err != nil || (mt != "text/html" && mt != "application/xhtml+xml")) {
		return page{}, fmt.Errorf("not an HTML page (%s)", contentType)
	}
	doc, err := parseHTML(body, contentType)
	if err != nil {
		return page{}, err
	}
	p := readability.NewParser()
	p.MaxElemsToParse = maxPageElems
	a, err := p.ParseAndMutate(doc, pageURL)
	if err != nil {
		return page{}, fmt.Errorf("extract the article: %w", err)
	}
	out := page{Title: clean(a.Title()), Author: clean(a.Byline())}
	if t, err := a.PublishedTime(); err == nil {
		out.Published = t
	}
	if a.Node != nil {
		out.Text = paragraphs(render.InnerText(a.Node))
	}
	if n := utf8.RuneCountInString(out.Text); n < minArticleChars {
		return out, fmt.Errorf("%w (%d characters)", ErrNotArticle, n)
	}
	return out, nil
}

// parseHTML parses body as HTML in the charset the content type, a byte
// order mark or a <meta> tag names (UTF-8 when the bytes are valid UTF-8,
// else windows-1252).
func parseHTML(body []byte, contentType string) (*html.Node, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return nil, fmt.Errorf("decode the page: %w", err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse the page: %w", err)
	}
	return doc, nil
}

// htmlText turns a fragment of HTML (a feed item's description or
// content) into paragraphs of plain text.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return paragraphs(s)
	}
	doc, err := html.Parse(io.MultiReader(strings.NewReader("<body>"), strings.NewReader(s)))
	if err != nil {
		return paragraphs(s)
	}
	return paragraphs(render.InnerText(doc))
}

// paragraphs tidies extracted text: each non-blank line is trimmed, inner
// runs of spaces are collapsed, and lines are separated by a blank line,
// which is how index/ reads paragraphs.
func paragraphs(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = clean(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n\n")
}

// clean collapses white space (including no-break spaces) and drops
// control characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u00a0' || r == '\t':
			return ' '
		case r < ' ' || r == '\u007f' || r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
