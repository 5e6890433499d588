package msgparse

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"roster/mail/mailgen"
)

// corpusVocab is what syncCorpus's prose is made of.
var corpusVocab = mailgen.Vocabulary{
	Words: strings.Fields(`the campaign brief looks great and we would love to have you on board for
our spring launch posting schedule deliverables include one video two stories and a link in bio
usage rights for ninety days on paid social rate card engagement audience mostly women eighteen to
thirty four based in the US and UK shipping the product this week tracking number below let me know
when it arrives draft due on Friday feedback from the team script hook first three seconds
invoice net thirty payment contract attached please sign whitelisting spark ads code discount`),
	Accents: []string{"café", "naïve", "crème", "déjà vu", "Zürich", "São Paulo", "—", "“great”", "✨", "🙌"},
}

// syncCorpus builds n messages shaped like the initial sync's mail, the
// same mix as mailgen.Mailbox (which the sync benchmark serves from
// Dovecot), written by the same mailgen.Writer: threads with a growing
// quoted history, 2 to 10 KB each, incoming mail with Received/DKIM
// headers, a third multipart/alternative, a fifth UTF-8 in
// quoted-printable, and here also one in twelve carrying a base64
// attachment (a signed contract or a media kit). Lines end in CRLF as
// IMAP serves them. Deterministic for a given n; its own thread loop
// (six creators, one thread after another) keeps the bytes
// BenchmarkParse's figures were measured on (TestSyncCorpusGolden).
func syncCorpus(n int) [][]byte {
	w := &mailgen.Writer{Rand: rand.New(rand.NewPCG(50_000, 7)), Vocab: corpusVocab}
	r := w.Rand
	names := []string{"Maya Chen", "Leo Park", "Priya Raman", "Sofia Alvarez", "Jonas Weber", "Amara Okafor"}
	subjects := []string{"Collab idea", "Paid partnership", "Spring launch", "Product seeding", "Campaign brief"}
	at := time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC)
	var out [][]byte
	for t := 0; len(out) < n; t++ {
		name := names[t%len(names)]
		creator := fmt.Sprintf("creator%d@example.com", t%len(names))
		subject := subjects[r.IntN(len(subjects))] + " with GlowBrand: " + name
		var ids []string
		var th mailgen.Thread
		fromManager := true
		for k := range min(5+r.IntN(11), n-len(out)) {
			if k > 0 && r.IntN(10) < 8 {
				fromManager = !fromManager
			}
			at = at.Add(time.Duration(20+r.IntN(3*24*60)) * time.Minute)
			var h bytes.Buffer
			from, to := "Sam Rivera <"+mailgen.Manager+">", name+" <"+creator+">"
			id := fmt.Sprintf("CAM%016x.%d.%d@mail.brand.example", r.Uint64(), t, k)
			if !fromManager {
				from, to = to, from
				id = fmt.Sprintf("%016x.%d.%d@mail.example.com", r.Uint64(), t, k)
				w.Incoming(&h, creator, mailgen.Manager, at, 0)
			}
			mailgen.Header(&h, at, from, to, subject, id, ids)
			ids = append(ids, id)
			part := w.Body(&th, h.Len(), at, name)
			if r.IntN(12) == 0 {
				b := fmt.Sprintf("000000000000%016x", r.Uint64())
				data := make([]byte, 2048+r.IntN(6*1024))
				for i := range data {
					data[i] = byte(r.Uint32())
				}
				part = fmt.Sprintf("Content-Type: multipart/mixed; boundary=\"%s\"\n\n--%s\n%s\n--%s\nContent-Type: application/pdf; name=\"contract-%d.pdf\"\nContent-Disposition: attachment; filename=\"contract-%d.pdf\"\nContent-Transfer-Encoding: base64\n\n%s\n--%s--\n",
					b, b, part, b, t, t, b64(data), b)
			}
			h.WriteString(part)
			out = append(out, []byte(strings.ReplaceAll(h.String(), "\n", "\r\n")))
		}
	}
	return out
}

// TestSyncCorpusGolden pins syncCorpus's bytes, which now come mostly
// from mailgen: BenchmarkParse's figures and the equivalence tests were
// run on this mail. If a change alters it on purpose, compare
// BenchmarkParse before and after and update the hash.
func TestSyncCorpusGolden(t *testing.T) {
	h := sha256.New()
	for _, raw := range syncCorpus(240) {
		fmt.Fprintf(h, "%d\n", len(raw))
		h.Write(raw)
	}
	const want = "4d2914795a66e5b4a7952b50866933a4adcc5e5e28b492af1569443fa72ab67c"
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != want {
		t.Errorf("syncCorpus(240) hashes to %s, want %s: the parse benchmark's mail changed", got, want)
	}
}
