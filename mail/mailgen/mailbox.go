// Package mailgen generates mail shaped like a talent manager's real
// mailbox: threads with a growing quoted history, 2 to 10 KB a message,
// incoming mail with Received and DKIM headers, a third
// multipart/alternative, a fifth UTF-8 in quoted-printable. It exists so
// that benchmarks (make bench's Dovecot mailbox) and corpus tests
// (msgparse's parse benchmark and equivalence tests) run on realistic mail
// that is the same on every run, written once instead of once per package.
//
// Only tests may import it: its mail is deterministic filler, and no
// non-test code of roster may depend on it (TestOnlyTestsImport checks).
// Its output is pinned by golden hashes here and in msgparse: the figures
// in docs/PERFORMANCE.md were measured on exactly this mail, so a change
// that alters a byte of it means measuring again.
package mailgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Manager is the address of the generated mailbox's owner: the benchmark
// logs in as this user, and every thread is between it and a creator.
const Manager = "manager@brand.example"

// Message is one message of Mailbox and where it belongs, so a caller can
// file it as a delivery agent would.
type Message struct {
	Seq  int    // 0.. in generation order, for unique file names
	Box  string // "INBOX" (from a creator) or "Sent" (from the manager)
	Date time.Time
	Seen bool
	Raw  []byte // LF line endings, as a Maildir stores mail
}

// mailboxVocab is what Mailbox's prose is made of.
var mailboxVocab = Vocabulary{
	Words: strings.Fields(`the campaign brief looks great and we would love to have you on board for
our spring launch posting schedule deliverables include one video two stories and a link in bio
usage rights for ninety days on paid social rate card engagement audience mostly women eighteen to
thirty four based in the US and UK shipping the product this week tracking number below let me know
when it arrives draft due on Friday feedback from the team script hook first three seconds
invoice net thirty payment contract attached please sign whitelisting spark ads code discount
affiliate commission happy to jump on a call next week thanks so much looking forward`),
	Accents: []string{"café", "naïve", "crème", "déjà vu", "Zürich", "São Paulo", "piñata", "—", "“great”", "✨", "🙌", "über"},
}

// Mailbox generates the n messages exchanged between Manager and creators
// creator0@example.com .. creator{creators-1}@example.com that make bench
// syncs from Dovecot, deterministic for given n and creators, and hands
// each to emit in order. Conversations are threads of 5 to 15 messages
// with Message-ID, In-Reply-To and References, starting at random times
// over two years; a thread opens with the manager's outreach and then
// mostly alternates, so about half the mail is from creators (INBOX) and
// half from the manager (Sent). One incoming message in twenty is unseen.
// Each message is written by Writer.Body.
func Mailbox(n, creators int, emit func(Message)) {
	w := &Writer{Rand: rand.New(rand.NewPCG(50_000, 7)), Vocab: mailboxVocab}
	r := w.Rand
	first := []string{"Maya", "Leo", "Priya", "Sofia", "Jonas", "Amara", "Ethan", "Hana", "Lucas", "Zara", "Noah", "Isabella", "Kai", "Olivia", "Mateo", "Chloe"}
	last := []string{"Chen", "Park", "Raman", "Alvarez", "Weber", "Okafor", "Brooks", "Sato", "Moreau", "Ahmed", "Fischer", "Rossi", "Nakamura", "Bennett"}
	subjects := []string{"Collab idea", "Paid partnership", "Spring launch", "Your recent video", "Product seeding", "Campaign brief", "Quick question", "Gifting + paid post", "Summer series", "Affiliate program"}
	brands := []string{"GlowBrand", "Glow Skin", "Glow Active", "Glow Home"}
	base := time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC)
	span := 2 * 365 * 24 * time.Hour
	seq := 0
	for t := 0; seq < n; t++ {
		c := t % creators
		name := first[(c*7)%len(first)] + " " + last[(c*11)%len(last)]
		creator := fmt.Sprintf("creator%d@example.com", c)
		length := min(5+r.IntN(11), n-seq)
		subject := fmt.Sprintf("%s with %s: %s", subjects[r.IntN(len(subjects))], brands[r.IntN(len(brands))], name)
		at := base.Add(time.Duration(r.Int64N(int64(span))))
		var ids []string
		var th Thread
		fromManager := true
		for k := range length {
			if k > 0 {
				if r.IntN(10) < 8 {
					fromManager = !fromManager
				}
				at = at.Add(time.Duration(20+r.IntN(3*24*60)) * time.Minute)
			}
			var id string
			var h bytes.Buffer
			from, to := fmt.Sprintf("Sam Rivera <%s>", Manager), fmt.Sprintf("%s <%s>", name, creator)
			quoting := name
			if fromManager {
				id = fmt.Sprintf("CAM%016x.%d.%d@mail.brand.example", r.Uint64(), t, k)
			} else {
				id = fmt.Sprintf("%016x.%d.%d@mail.example.com", r.Uint64(), t, k)
				from, to = to, from
				quoting = "Sam Rivera"
				w.Incoming(&h, creator, Manager, at, 3*time.Second)
			}
			Header(&h, at, from, to, subject, id, ids)
			if fromManager {
				h.WriteString("X-Mailer: roster-perf\n")
			}
			ids = append(ids, id)
			body := w.Body(&th, h.Len(), at, quoting)
			box := "INBOX"
			if fromManager {
				box = "Sent"
			}
			emit(Message{Seq: seq, Box: box, Date: at, Seen: fromManager || r.IntN(20) != 0, Raw: append(h.Bytes(), body...)})
			seq++
		}
	}
}
