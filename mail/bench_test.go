package mail

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

const (
	benchMessages = 5000
	benchCreators = 500
)

// benchServer fills INBOX and Sent with benchMessages messages of about
// 1.5 KB exchanged with benchCreators creators, in threads of up to four.
func benchServer(b *testing.B) *testServer {
	ts := newTestServer(b)
	ts.create("Sent")
	para := strings.Repeat("Thanks for the brief, the numbers look good and we can post next week. ", 14)
	base := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range benchMessages {
		c := i % benchCreators
		thread := i / benchCreators
		pos := thread % 4
		creator := fmt.Sprintf("creator%d@creators.example", c)
		m := mail{
			subject: fmt.Sprintf("Campaign %d", thread/4),
			id:      fmt.Sprintf("m%d@bench.example", i),
			date:    base.Add(time.Duration(i) * time.Minute).Format(time.RFC1123Z),
			body:    para,
		}
		if pos > 0 {
			m.subject = "Re: " + m.subject
			m.inReplyTo = fmt.Sprintf("<m%d@bench.example>", i-benchCreators)
			m.refs = m.inReplyTo
		}
		mbox := "INBOX"
		if pos%2 == 0 {
			m.from, m.to, mbox = testUser, creator, "Sent"
		} else {
			m.from, m.to = creator, testUser
		}
		ts.append(mbox, m.String())
	}
	return ts
}

func benchService(b *testing.B) *crm.Service {
	svc := newService(b)
	for c := range benchCreators {
		addCreator(b, svc, fmt.Sprintf("Creator %d", c), fmt.Sprintf("creator%d@creators.example", c))
	}
	return svc
}

// BenchmarkSyncInitial is a first sync of 5,000 messages with 500
// creators into an empty store: header pass, threading, bodies.
func BenchmarkSyncInitial(b *testing.B) {
	ts := benchServer(b)
	cfg := ts.config(b, "")
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		svc := benchService(b)
		e := New(svc, cfg, Options{})
		b.StartTimer()
		start := time.Now()
		sum, err := e.SyncOnce(context.Background())
		total += time.Since(start)
		if err != nil || sum.New != benchMessages || sum.Bodies != benchMessages {
			b.Fatalf("%s %v", sum, err)
		}
	}
	b.ReportMetric(float64(benchMessages*b.N)/total.Seconds(), "msgs/s")
}

// BenchmarkResyncNoChange is a sync that finds nothing new: STATUS per
// mailbox and no FETCH. "connect" includes dialing, LOGIN and LOGOUT, as
// `roster sync --once` does; "kept" reuses the connection, as Run does.
func BenchmarkResyncNoChange(b *testing.B) {
	ts := benchServer(b)
	svc := benchService(b)
	e := New(svc, ts.config(b, ""), Options{})
	if _, err := e.SyncOnce(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Run("connect", func(b *testing.B) {
		before := ts.fetches.Load()
		for b.Loop() {
			if _, err := e.SyncOnce(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		if n := ts.fetches.Load() - before; n != 0 {
			b.Fatalf("%d FETCH commands", n)
		}
	})
	b.Run("kept", func(b *testing.B) {
		pool := map[string]*session{}
		defer func() {
			for _, s := range pool {
				s.logout()
			}
		}()
		e.syncAll(context.Background(), nil, pool)
		before := ts.fetches.Load()
		for b.Loop() {
			if _, failed := e.syncAll(context.Background(), nil, pool); len(failed) > 0 {
				b.Fatal(failed)
			}
		}
		if n := ts.fetches.Load() - before; n != 0 {
			b.Fatalf("%d FETCH commands", n)
		}
	})
}
