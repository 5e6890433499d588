package mailgen

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestMailboxGolden pins Mailbox's bytes: docs/PERFORMANCE.md's mail rows
// were measured on this mail. If a change to this package alters it on
// purpose, run make bench again and update the hash.
func TestMailboxGolden(t *testing.T) {
	h := sha256.New()
	var n, inbox, alt, qp int
	Mailbox(3000, 300, func(m Message) {
		fmt.Fprintf(h, "%d|%s|%s|%v|%d\n", m.Seq, m.Box, m.Date.Format(time.RFC3339Nano), m.Seen, len(m.Raw))
		h.Write(m.Raw)
		n++
		if m.Box == "INBOX" {
			inbox++
		}
		s := string(m.Raw)
		if strings.Contains(s, "multipart/alternative") {
			alt++
		}
		if strings.Contains(s, "quoted-printable") {
			qp++
		}
		if !utf8.Valid(m.Raw) || strings.Contains(s, "\r") {
			t.Fatalf("message %d is not LF-terminated UTF-8", m.Seq)
		}
	})
	const want = "6880870844c556eeacfe871bde9f5098a833d669f9bbf0940cdffe35436baa57"
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != want {
		t.Errorf("Mailbox(3000, 300) hashes to %s, want %s: the benchmark mail changed (%d messages, %d INBOX, %d alternative, %d quoted-printable)", got, want, n, inbox, alt, qp)
	}
}

// TestParagraphsCapitalizeRune checks that a paragraph opening with a
// non-ASCII word is capitalized by rune and stays UTF-8.
func TestParagraphsCapitalizeRune(t *testing.T) {
	w := &Writer{Rand: rand.New(rand.NewPCG(1, 2)), Vocab: Vocabulary{Words: []string{"über"}}}
	p := w.Paragraphs(1, false)
	if !strings.HasPrefix(p, "Über über") || !utf8.ValidString(p) {
		t.Errorf("Paragraphs = %.40q, want it to open with \"Über über\"", p)
	}
}
