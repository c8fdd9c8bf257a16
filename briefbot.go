// Package briefbot holds the domain types every layer of briefbot reads:
// articles, the snippets quoted from them, answers to questions and daily
// briefings. They are plain structs with no behaviour that needs a database,
// a search engine or Discord; index/ produces them, briefs/ assembles them and
// bot/ and cmd/bot present them.
package briefbot

import (
	"encoding/json"
	"strings"
	"time"
)

// DateLayout is how a calendar day is written everywhere in briefbot.
const DateLayout = "2006-01-02"

// Article is one news article as ingested from a file.
type Article struct {
	// ID is stable for the life of the file: its path relative to the
	// articles folder, with forward slashes.
	ID string
	// Path is the file's path as the user named the folder (for example
	// "articles/000_ac1cda042dc121b7.md").
	Path      string
	Title     string
	Source    string // the outlet; empty when unknown
	URL       string
	Author    string
	Published time.Time
	// AlsoIn names other outlets that carried the same (syndicated) story.
	AlsoIn []string
}

// Outlet is the name shown for the article's outlet.
func (a Article) Outlet() string {
	if a.Source == "" {
		return "unknown outlet"
	}
	return a.Source
}

// From reports whether the article comes from the outlet a filter names,
// or was also carried by it: the outlet's whole name or its first words,
// ignoring case ("NENC" names "NENC Media Group").
func (a Article) From(outlet string) bool {
	if NamesOutlet(outlet, a.Source) {
		return true
	}
	for _, o := range a.AlsoIn {
		if NamesOutlet(outlet, o) {
			return true
		}
	}
	return false
}

// NamesOutlet reports whether filter names the outlet called name: all of
// it, or its first words, ignoring case.
func NamesOutlet(filter, name string) bool {
	f := strings.ToLower(strings.Join(strings.Fields(filter), " "))
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	return f != "" && (n == f || strings.HasPrefix(n, f+" "))
}

// Day is the article's publication date as YYYY-MM-DD.
func (a Article) Day() string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.Format(DateLayout)
}

type articleJSON struct {
	ID        string   `json:"id"`
	Path      string   `json:"path"`
	Title     string   `json:"title"`
	Source    string   `json:"source"`
	Published string   `json:"published"`
	URL       string   `json:"url,omitempty"`
	Author    string   `json:"author,omitempty"`
	AlsoIn    []string `json:"also_in,omitempty"`
}

// MarshalJSON writes the article as the JSON contract describes it, with the
// publication date as YYYY-MM-DD.
func (a Article) MarshalJSON() ([]byte, error) {
	return json.Marshal(articleJSON{a.ID, a.Path, a.Title, a.Source, a.Day(), a.URL, a.Author, a.AlsoIn})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Article) UnmarshalJSON(b []byte) error {
	var j articleJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Article{ID: j.ID, Path: j.Path, Title: j.Title, Source: j.Source, URL: j.URL, Author: j.Author, AlsoIn: j.AlsoIn}
	if j.Published != "" {
		t, err := time.Parse(DateLayout, j.Published)
		if err != nil {
			t, err = time.Parse(time.RFC3339, j.Published)
		}
		if err != nil {
			return err
		}
		a.Published = t
	}
	return nil
}

// Snippet is one sentence quoted verbatim from an article.
type Snippet struct {
	// Text is exactly the bytes Start:End of the article's file.
	Text    string  `json:"text"`
	Article Article `json:"article"`
	// Position is the sentence's number within its article, from 0.
	Position int     `json:"position"`
	Start    int     `json:"start"`
	End      int     `json:"end"`
	Score    float64 `json:"score"`
	// Outlets says how many outlets make the point this snippet stands
	// for, when that is known (briefings); 0 otherwise.
	Outlets int `json:"outlets,omitempty"`
	// Of is how many outlets were in play when Outlets is set.
	Of int `json:"of,omitempty"`
	// Label names what the quote stands for, when a briefing section
	// says (the person or organisation in "Who's involved").
	Label string `json:"label,omitempty"`
	// Explain says why the snippet ranked where it did, when asked for.
	Explain *Explanation `json:"explain,omitempty"`
}

// Explanation breaks a snippet's score into its parts.
type Explanation struct {
	Matched    []string           `json:"matched,omitempty"`
	Cues       []string           `json:"cues,omitempty"`
	Entities   []string           `json:"entities,omitempty"`
	Components map[string]float64 `json:"components"`
}

// Question is what a user asks, with the filters that narrow it.
type Question struct {
	Text   string
	Source string    // only this outlet, when set
	Since  time.Time // only articles published on or after this day, when set
	Until  time.Time // only articles published on or before this day, when set
	// Limit is the most snippets to show; 0 means the default.
	Limit int
	// Explain asks for each snippet's score breakdown.
	Explain bool
}

// Point is a group of snippets that make the same point.
type Point struct {
	Label string `json:"label"`
	// Outlets is how many distinct outlets among the answer's articles
	// carry the point; Of is how many outlets were in play.
	Outlets int `json:"outlets"`
	Of      int `json:"of"`
	// Snippets indexes into Answer.Snippets.
	Snippets []int `json:"snippets"`
}

// Answer is briefbot's reply to a question.
type Answer struct {
	Question string    `json:"question"`
	Snippets []Snippet `json:"snippets"`
	Points   []Point   `json:"points,omitempty"`
	// Kind is the question type that was recognised ("unresolved", "who",
	// ..., or "free").
	Kind string `json:"kind,omitempty"`
	// Searched is how many articles the question was asked of.
	Searched int `json:"searched"`
	// NoAnswer is set when nothing in the corpus answers the question.
	NoAnswer bool `json:"no_answer,omitempty"`
}

// Brief is the daily briefing for one day: its main stories, most
// covered first.
type Brief struct {
	Date     string  `json:"date"`
	Articles int     `json:"articles"`
	Stories  []Story `json:"stories"`
	// Markets is the one line of routine figures (a market report) a
	// busy day may end with, when there is room.
	Markets *Section `json:"markets,omitempty"`
}

// Story is one event the day's articles cover.
type Story struct {
	Title    string `json:"title"`
	Articles int    `json:"articles"`
	Outlets  int    `json:"outlets"`
	// Status is "new", or "continuing" when the day before had articles
	// about it too.
	Status   string    `json:"status"`
	Sections []Section `json:"sections"`
}

// Section is one titled part of a story.
type Section struct {
	Title    string    `json:"title"`
	Snippets []Snippet `json:"snippets"`
	// Note is said instead of snippets when the section is empty.
	Note string `json:"note,omitempty"`
}
