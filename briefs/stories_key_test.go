package briefs

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"briefbot"
)

// TestStoryGroupsAgainstKey shows how the day's articles were grouped on
// the busy Reuters days of ../shared/eval/story-eval, against its key: the
// groups in rank order with how many of each key story's articles they
// hold, then where each key story's articles went. story-eval says which
// stories a briefing missed; this says why (split into fragments, joined
// to another, or ranked below the shown ones). It prints and checks
// nothing, and runs only when asked:
//
//	../shared/data/make-corpus --out /tmp/reuters
//	BRIEFBOT_STORY_KEY=../../shared/eval/dev-stories.json BRIEFBOT_BENCH_CORPUS=/tmp/reuters \
//	  BRIEFBOT_BENCH_INDEX=/tmp/reuters-index go test ./briefs -run TestStoryGroupsAgainstKey -v
func TestStoryGroupsAgainstKey(t *testing.T) {
	keyPath, corpus := os.Getenv("BRIEFBOT_STORY_KEY"), os.Getenv("BRIEFBOT_BENCH_CORPUS")
	if keyPath == "" || corpus == "" {
		t.Skip("set BRIEFBOT_STORY_KEY and BRIEFBOT_BENCH_CORPUS (see the comment)")
	}
	var key struct {
		Days map[string]struct {
			Stories []struct {
				Rank     int
				ID       string
				Articles []string
			}
		}
	}
	data, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &key); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("BRIEFBOT_BENCH_INDEX")
	if dir == "" {
		dir = t.TempDir()
	}
	br := newBriefer(t, corpus, dir)
	ctx := context.Background()
	var days []string
	for day := range key.Days {
		days = append(days, day)
	}
	sort.Strings(days)
	shown := cmp.Or(br.Stories, briefbot.DefaultStories)
	for _, day := range days {
		of := map[string]string{}
		for _, s := range key.Days[day].Stories {
			for _, a := range s.Articles {
				of[a] = fmt.Sprintf("%d:%s", s.Rank, s.ID)
			}
		}
		d, err := br.readDay(ctx, articlesOn(br.Index.Articles(), date(t, day)))
		if err != nil {
			t.Fatal(err)
		}
		stories, err := d.findStories(ctx, br.Index)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d articles, %d groups (the first %d are shown)", day, len(d.arts), len(stories), shown)
		where := map[string][]int{}
		for r, st := range stories {
			held := map[string]int{}
			for _, k := range st.arts {
				if l := of[d.arts[k].ID]; l != "" {
					held[l]++
					where[l] = append(where[l], r+1)
				}
			}
			if r >= shown && len(held) == 0 {
				continue
			}
			var hs []string
			for l, n := range held {
				hs = append(hs, fmt.Sprintf("%s×%d", l, n))
			}
			sort.Strings(hs)
			t.Logf("  %3d  %d articles, %d outlets  %-40s %s", r+1, len(st.arts), st.outlets, d.arts[st.arts[0]].Title, strings.Join(hs, " "))
		}
		for _, s := range key.Days[day].Stories {
			l := fmt.Sprintf("%d:%s", s.Rank, s.ID)
			t.Logf("  %-40s %d articles, in groups %v", l, len(s.Articles), where[l])
		}
	}
}
