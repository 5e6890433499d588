package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"roster/crm"
)

// records generates n distinct import records, the same ones every run.
func records(n int) []crm.ImportRecord {
	rng := rand.New(rand.NewPCG(2025, 5000))
	first := []string{"Maya", "Leo", "Ana", "Sam", "Priya", "Jonas", "Ines", "Kofi", "Mei", "Tom"}
	last := []string{"Chen", "Okafor", "Silva", "Novak", "Rao", "Berg", "Costa", "Mensah", "Ito", "Reed"}
	platforms := []crm.Platform{crm.TikTok, crm.Instagram, crm.YouTube, crm.Twitch}
	tags := []string{"beauty", "fitness", "food", "gaming", "travel", "tech", "fashion"}
	out := make([]crm.ImportRecord, n)
	for i := range out {
		name := fmt.Sprintf("%s %s %d", first[rng.IntN(len(first))], last[rng.IntN(len(last))], i)
		r := crm.ImportRecord{
			Line:   i + 2,
			Name:   name,
			Emails: []string{fmt.Sprintf("creator%d@example.com", i)},
			Handles: []crm.Handle{{
				Platform:     platforms[rng.IntN(len(platforms))],
				Handle:       fmt.Sprintf("@creator_%d", i),
				Followers:    rng.Int64N(2_000_000),
				EngagementBP: rng.IntN(1200),
			}},
			Tags:   []string{tags[rng.IntN(len(tags))], tags[rng.IntN(len(tags))]},
			Source: "spreadsheet",
			Stage:  crm.BoardStages[rng.IntN(len(crm.BoardStages))],
		}
		if rng.IntN(3) == 0 {
			r.Notes = "met at the spring launch; prefers email"
		}
		out[i] = r
	}
	return out
}

// BenchmarkImport5000 imports 5,000 new creators (and their deals and
// events) into a fresh database in one transaction.
func BenchmarkImport5000(b *testing.B) {
	recs := records(5000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDB(b, tempPath(b))
		svc := crm.NewService(db, crm.FixedClock{T: now})
		b.StartTimer()
		res, err := svc.Import("bench", recs, nil, crm.ImportOptions{File: "bench.csv"})
		if err != nil || res.New != 5000 {
			b.Fatalf("%+v %v", res.Summary(), err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkBoardLoad5000 loads the board of a 5,000-creator roster: every
// deal plus its creator.
func BenchmarkBoardLoad5000(b *testing.B) {
	db := openDB(b, tempPath(b))
	svc := crm.NewService(db, crm.FixedClock{T: now})
	if _, err := svc.Import("bench", records(5000), nil, crm.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		board, err := svc.Board("")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, col := range board.Columns {
			n += len(col)
		}
		if n != 5000 {
			b.Fatalf("board shows %d cards", n)
		}
	}
}
