package briefs

import (
	"context"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"briefbot"
)

// benchAnswers times warm answers (the index open, every question asked
// once before timing) and reports the p50 and p99 latency of one answer,
// the CPU time one answer takes on average and its p99.
func benchAnswers(b *testing.B, an *Answerer, questions []string) {
	ctx := context.Background()
	for _, q := range questions {
		if _, err := an.Answer(ctx, briefbot.Question{Text: q}); err != nil {
			b.Fatal(err)
		}
	}
	var took, cpuTook []time.Duration
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; b.Loop(); i++ {
		t0, c0 := time.Now(), cpuTime()
		if _, err := an.Answer(ctx, briefbot.Question{Text: questions[i%len(questions)]}); err != nil {
			b.Fatal(err)
		}
		took, cpuTook = append(took, time.Since(t0)), append(cpuTook, cpuTime()-c0)
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(len(took)), "cpu-ms/op")
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(took, 0.50), "p50-ms")
	b.ReportMetric(pct(took, 0.99), "p99-ms")
	// CPU time is steadier than wall time on a loaded machine: the p99 of
	// the CPU one answer takes is near its wall-time p99 on an idle one.
	b.ReportMetric(pct(cpuTook, 0.99), "cpu-p99-ms")
}

// cpuTime is the CPU time this process has used, user and system: a steadier
// figure than wall time on a machine that is doing other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAnswerSample times answers to the dev questions over the five
// sample articles.
func BenchmarkAnswerSample(b *testing.B) {
	an := newAnswerer(b, "../articles", "")
	var qs []string
	for _, q := range devQuestions {
		qs = append(qs, q.q)
	}
	benchAnswers(b, an, qs)
}

// BenchmarkAnswerCorpus times answers over the 19k-article Reuters corpus.
// It needs the corpus:
//
//	../shared/data/make-corpus --out /tmp/reuters
//	BRIEFBOT_BENCH_CORPUS=/tmp/reuters go test ./briefs -run '^$' -bench AnswerCorpus
//
// Set BRIEFBOT_BENCH_INDEX to a folder to keep the index between runs;
// only answering is timed.
func BenchmarkAnswerCorpus(b *testing.B) {
	corpus := os.Getenv("BRIEFBOT_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set BRIEFBOT_BENCH_CORPUS to a make-corpus folder (see the comment)")
	}
	an := newAnswerer(b, corpus, os.Getenv("BRIEFBOT_BENCH_INDEX"))
	benchAnswers(b, an, []string{
		"what did the oil ministers agree?",
		"what remained unresolved in the trade talks?",
		"who took part in the OPEC meeting?",
		"when did the Bank of Japan cut its discount rate?",
		"what did Volcker say about the dollar?",
		"what are the next steps for the GATT negotiations?",
		"what is the Soviet Union's position on grain imports?",
		"how would the coffee export quotas be enforced?",
		"what about cocoa prices?",
		"What is the capital of Australia?",
	})
}
