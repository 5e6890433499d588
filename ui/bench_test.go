package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
	"roster/crm/crmtest"
)

// genBoard makes a campaign board of n cards spread over the stages, with
// deterministic names, handles and activity times.
func genBoard(n int) crm.Board {
	r := rand.New(rand.NewPCG(1, 2))
	first := []string{"Maya", "Leo", "Priya", "Sofia", "Jonas", "Amara", "Ethan", "Hana", "Lucas", "Zara", "Noah", "Isabella", "Kai", "Olivia"}
	last := []string{"Chen", "Park", "Raman", "Alvarez", "Weber", "Okafor", "Brooks", "Sato", "Moreau", "Ahmed", "Fischer", "Rossi"}
	plats := []crm.Platform{crm.TikTok, crm.Instagram, crm.YouTube}
	b := crm.Board{Campaign: crm.Campaign{ID: "c1", Name: "General"}}
	for i := range n {
		name := fmt.Sprintf("%s %s %d", first[r.IntN(len(first))], last[r.IntN(len(last))], i)
		c := crm.Card{
			Creator: crm.Creator{ID: crm.ID(fmt.Sprintf("cr%06d", i)), Version: 1, Name: name,
				Emails:  []string{fmt.Sprintf("creator%d@example.com", i)},
				Handles: []crm.Handle{{Platform: plats[i%3], Handle: fmt.Sprintf("creator_%d", i), Followers: int64(r.IntN(900_000) + 1000)}},
				Tags:    []string{[]string{"beauty", "food", "fitness", "travel"}[i%4]}},
			Deal: crm.Deal{ID: crm.ID(fmt.Sprintf("d%06d", i)), Version: 1, CampaignID: "c1", Stage: crm.BoardStages[r.IntN(numCols)],
				UpdatedAt: testNow.Add(-time.Duration(r.IntN(90*24)) * time.Hour)},
		}
		i := c.Deal.Stage.Index()
		b.Columns[i] = append(b.Columns[i], c)
	}
	for i := range b.Columns {
		crm.SortCards(b.Columns[i])
	}
	return b
}

func benchModel(b *testing.B, n, w, h int) *Model {
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: testNow})
	m := New(Options{Service: svc, Actor: "bench"})
	b.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(boardLoadedMsg{board: genBoard(n)})
	_ = m.View()
	return m
}

// reportLatency adds median and p99 of per-operation samples.
func reportLatency(b *testing.B, samples []time.Duration) {
	slices.Sort(samples)
	b.ReportMetric(float64(samples[len(samples)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(samples[len(samples)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkBoardKey5000 measures key press to rendered frame on a board of
// 5,000 cards: one navigation key through Update, then View, the work the
// program does before the renderer diffs cells.
func BenchmarkBoardKey5000(b *testing.B) {
	m := benchModel(b, 5000, 120, 40)
	keys := []tea.KeyPressMsg{keyMsg("j"), keyMsg("j"), keyMsg("l"), keyMsg("j"), keyMsg("k"), keyMsg("h"), keyMsg("G"), keyMsg("g")}
	samples := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		m.Update(keys[i%len(keys)])
		_ = m.View()
		samples = append(samples, time.Since(t0))
	}
	reportLatency(b, samples)
}

// BenchmarkFilterKey5000 measures one typed character of a live `/`
// filter over 5,000 cards, including the re-filter and the frame.
func BenchmarkFilterKey5000(b *testing.B) { benchFilterKeys(b, "maya ch") }

// BenchmarkFilterTypoKey5000 is BenchmarkFilterKey5000 with words no card
// holds, which the filter matches within an edit of every card's words.
func BenchmarkFilterTypoKey5000(b *testing.B) { benchFilterKeys(b, "majya chne") }

// benchFilterKeys types filter, a key at a time, into a live `/` filter
// over 5,000 cards, deleting it again once typed.
func benchFilterKeys(b *testing.B, filter string) {
	m := benchModel(b, 5000, 120, 40)
	m.Update(keyMsg("/"))
	word := []rune(filter)
	samples := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if i%(len(word)+1) == len(word) {
			for range len(word) {
				m.Update(keyMsg("backspace"))
			}
		} else {
			r := word[i%(len(word)+1)]
			m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		_ = m.View()
		samples = append(samples, time.Since(t0))
	}
	reportLatency(b, samples)
}

// BenchmarkFirstFrame5000 measures building a program's model and drawing
// its first board frame from 5,000 loaded cards (the store's load is
// measured by store's BenchmarkBoardLoad5000).
func BenchmarkFirstFrame5000(b *testing.B) {
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: testNow})
	board := genBoard(5000)
	for b.Loop() {
		m := New(Options{Service: svc, Actor: "bench"})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.Update(boardLoadedMsg{board: board})
		_ = m.View()
		m.Close()
	}
}
