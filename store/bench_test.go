package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"roster/crm"
	"roster/store"
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

// mailShape is the mail of a first sync: n messages over a roster of
// creators, three conversations each on average, a fifth of the mail from
// 2,000 senders who are nobody's creator (some of it bulk), all of it
// header-only, in one INBOX. The same data every run.
type mailShape struct {
	creators []crm.ID
	messages []crm.Message
	threads  []*crm.Thread // the thread of messages[i] is threads[threadOf[i]]
	threadOf []int
}

func newMailShape(n, creators int) *mailShape {
	rng := rand.New(rand.NewPCG(2025, 50000))
	ids := crm.NewIDGen(crm.FixedClock{T: now})
	s := &mailShape{creators: make([]crm.ID, creators)}
	for i := range s.creators {
		s.creators[i] = ids.New()
	}
	creatorThreads := make([][]int, creators)
	var unmatched []int
	for i := range n {
		m := crm.Message{
			ID:         ids.New(),
			MessageID:  fmt.Sprintf("%016x.%d@mail.example.com", rng.Uint64(), i),
			Account:    "work",
			To:         []crm.Address{{Name: "Ana", Email: "ana@agency.example"}},
			Date:       now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))),
			Subject:    "Collab for the spring launch",
			Direction:  crm.In,
			Locations:  []crm.Location{{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: uint32(i + 1)}},
			HeaderOnly: true,
		}
		var pool *[]int
		if rng.IntN(5) == 0 {
			m.From = crm.Address{Email: fmt.Sprintf("sender%d@example.org", rng.IntN(2000))}
			m.Bulk = rng.IntN(4) == 0
			pool = &unmatched
		} else {
			c := rng.IntN(creators)
			m.CreatorID = s.creators[c]
			m.From = crm.Address{Name: "Creator", Email: fmt.Sprintf("creator%d@example.com", c)}
			pool = &creatorThreads[c]
		}
		// Join one of the pool's conversations, or start one.
		if len(*pool) == 0 || rng.IntN(3) == 0 {
			s.threads = append(s.threads, &crm.Thread{ID: ids.New(), CreatorID: m.CreatorID, Subject: m.Subject})
			*pool = append(*pool, len(s.threads)-1)
		}
		ti := (*pool)[rng.IntN(len(*pool))]
		m.ThreadID = s.threads[ti].ID
		s.messages = append(s.messages, m)
		s.threadOf = append(s.threadOf, ti)
	}
	return s
}

// ingest writes the shape as sync would: batch messages per Update, each
// with its thread, its Message-ID reference and its location.
func (s *mailShape) ingest(db *store.DB, batch int) error {
	for _, th := range s.threads {
		th.Version, th.LastAt = 0, time.Time{}
	}
	for start := 0; start < len(s.messages); start += batch {
		end := min(start+batch, len(s.messages))
		if err := db.Update(func(tx crm.Tx) error {
			for i := start; i < end; i++ {
				m := s.messages[i] // a copy: every run creates at version 0
				th := s.threads[s.threadOf[i]]
				if err := tx.PutMessage(&m); err != nil {
					return err
				}
				// As crm's ingest: a thread is written when it is
				// new or its newest message changes.
				if th.Version == 0 || m.Date.After(th.LastAt) {
					th.LastAt, th.LastDirection = m.Date, m.Direction
					if err := tx.PutThread(th); err != nil {
						return err
					}
				}
				if err := tx.PutThreadRef(m.MessageID, th.ID); err != nil {
					return err
				}
				if err := tx.PutLocation(m.Locations[0], m.ID); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkIngestShape is a first sync: 50,000 messages for 5,000
// creators, written 500 per transaction into a fresh database.
func BenchmarkIngestShape(b *testing.B) {
	shape := newMailShape(50_000, 5000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := tempPath(b)
		db := openDB(b, path)
		b.StartTimer()
		if err := shape.ingest(db, 500); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		if st, err := os.Stat(path); err == nil {
			b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/50_000, "µs/msg")
}

// BenchmarkThreadsOf5000 is the board asking every card whose turn it is:
// ThreadsOf for each of 5,000 creators, in one View, after the sync
// above. cold reopens the database first, so no thread is cached.
func BenchmarkThreadsOf5000(b *testing.B) {
	shape := newMailShape(50_000, 5000)
	path := tempPath(b)
	db := openDB(b, path)
	if err := shape.ingest(db, 500); err != nil {
		b.Fatal(err)
	}
	db.Close()
	run := func(b *testing.B, db *store.DB) int {
		n := 0
		if err := db.View(func(tx crm.Tx) error {
			for _, c := range shape.creators {
				ts, err := tx.ThreadsOf(c)
				if err != nil {
					return err
				}
				n += len(ts)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatal("no threads")
		}
		return n
	}
	for _, warm := range []bool{false, true} {
		name := map[bool]string{false: "cold", true: "warm"}[warm]
		b.Run(name, func(b *testing.B) {
			db := openDB(b, path)
			threads := run(b, db) // warms the cache; cold drops it below
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if !warm {
					b.StopTimer()
					db.Close()
					db = openDB(b, path)
					b.StartTimer()
				}
				run(b, db)
			}
			b.StopTimer()
			b.ReportMetric(float64(threads), "threads")
			db.Close()
		})
	}
}
