package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"roster/crm"
	rmail "roster/mail"
	"roster/mail/config"
	"roster/store"
)

// outboxPerformance measures bulk outreach: 500 templated mails planned,
// queued and sent through the real outbox (a bbolt file, every step
// committed) to a go-smtp server on loopback, without a rate limit. The
// server counts Message-IDs, so "each exactly once" is checked where it
// matters.
func outboxPerformance(t *testing.T, rep *report) {
	const n = 500
	rate, err := measureOutreach(t, n)
	if err != nil {
		t.Fatal(err)
	}
	rep.add(fmt.Sprintf("Bulk outreach of %d templated mails to a loopback SMTP server, no rate limit (plan, queue, send, each committed)", n),
		"≥ 50 mails/s, each exactly once", fmt.Sprintf("%.0f mails/s %s", rate, verdict(rate >= 50)), "perf_outbox_test.go, go-smtp counts Message-IDs")
}

// TestOutreachThroughput runs outboxPerformance's measurement alone:
// ROSTER_BENCH_OUTBOX=1 go test -run TestOutreachThroughput -v .
func TestOutreachThroughput(t *testing.T) {
	if os.Getenv("ROSTER_BENCH_OUTBOX") == "" {
		t.Skip("set ROSTER_BENCH_OUTBOX=1 to measure")
	}
	rate, err := measureOutreach(t, 500)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.0f mails/s", rate)
}

// countingSMTP accepts everything after PLAIN login and counts each
// Message-ID it receives.
type countingSMTP struct {
	mu   sync.Mutex
	seen map[string]int
}

type countingSession struct{ c *countingSMTP }

func (s countingSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s countingSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, _, _ string) error { return nil }), nil
}
func (s countingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s countingSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s countingSession) Reset()                               {}
func (s countingSession) Logout() error                        { return nil }
func (s countingSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, m.Body)
	s.c.mu.Lock()
	s.c.seen[m.Header.Get("Message-Id")]++
	s.c.mu.Unlock()
	return nil
}

func measureOutreach(t *testing.T, n int) (float64, error) {
	dir := t.TempDir()
	counter := &countingSMTP{seen: map[string]int{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return countingSession{counter}, nil }))
	srv.AllowInsecureAuth = true
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	go srv.Serve(ln)
	defer srv.Close()
	// IMAP points at a closed port: the Sent copy is not what this
	// measures, and its absence must not slow the sending down.
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closed.Close()
	_, sport, _ := net.SplitHostPort(ln.Addr().String())
	_, iport, _ := net.SplitHostPort(closed.Addr().String())
	os.Setenv("ROSTER_BENCH_PW", "x")
	cfg, err := config.Parse(filepath.Join(dir, "config.toml"), []byte(fmt.Sprintf(`[[accounts]]
name = "work"
email = "sam@brand.example"
display_name = "Sam Rivera"
[accounts.imap]
host = "127.0.0.1"
port = %s
security = "none"
password_env = "ROSTER_BENCH_PW"
[accounts.smtp]
host = "127.0.0.1"
port = %s
security = "none"
password_env = "ROSTER_BENCH_PW"
`, iport, sport)))
	if err != nil {
		return 0, err
	}
	db, err := store.Open(filepath.Join(dir, "outbox.db"), store.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	svc := crm.NewService(db, nil)
	if err := svc.Init("bench"); err != nil {
		return 0, err
	}
	svc.SetMailRenderer(rmail.Renderer{})
	sender := rmail.NewSender(svc, cfg, rmail.SendOptions{Unlimited: true, Timeout: 10 * time.Second})
	svc.SetSending(rmail.Accounts(cfg), sender)
	camps, _ := svc.Campaigns()
	for i := range n {
		c := crm.Creator{Name: fmt.Sprintf("Creator %d", i), Emails: []string{fmt.Sprintf("c%d@creator.example", i)},
			Handles: []crm.Handle{{Platform: crm.TikTok, Handle: fmt.Sprintf("c%d", i), Followers: int64(1000 + i)}}}
		if _, err := svc.AddCreator("bench", c, camps[0].ID, crm.Prospect); err != nil {
			return 0, err
		}
	}
	t0 := time.Now()
	plan, err := svc.PlanOutreach(crm.OutreachQuery{Template: "outreach"})
	if err != nil {
		return 0, err
	}
	queued, err := svc.QueueOutreach("bench", plan)
	if err != nil {
		return 0, err
	}
	if err := sender.Flush(context.Background()); err != nil {
		return 0, err
	}
	elapsed := time.Since(t0)
	if len(queued) != n {
		return 0, fmt.Errorf("queued %d of %d", len(queued), n)
	}
	counter.mu.Lock()
	defer counter.mu.Unlock()
	for _, m := range queued {
		if got := counter.seen["<"+m.MessageID+">"]; got != 1 {
			return 0, fmt.Errorf("%s arrived %d times", m.MessageID, got)
		}
	}
	if len(counter.seen) != n {
		return 0, fmt.Errorf("server got %d distinct mails, want %d", len(counter.seen), n)
	}
	return float64(n) / elapsed.Seconds(), nil
}
