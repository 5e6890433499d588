package mail

import (
	"bytes"
	netmail "net/mail"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"roster/crm"
	"roster/crm/demo"
	"roster/mail/demomail"
	"roster/mail/msgparse"
	"roster/store"
)

// demoNow fixes the demo mailbox's clock, so its dates (and the year in
// Diego's attachment name) are the same on every run.
var demoNow = time.Date(2025, 6, 12, 15, 0, 0, 0, time.UTC)

// TestCharsets delivers the whole demo mailbox (demomail: Latin-1 declared
// but written in Windows-1252, hand-wrapped quoted-printable, HTML-only,
// RFC 2231 attachment names, a forwarded message/rfc822, an Outlook reply
// without References, newsletters, terminal escapes in a subject) and
// msgparse's MIME fixtures (GB2312, Shift_JIS, ISO-2022-JP, UTF-7, an
// unknown charset, 8-bit bytes labelled us-ascii, encoded words in three
// charsets, broken QP and base64) through a real IMAP server, syncs, and
// reads back what roster stored.
func TestCharsets(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		a := newAccount(t, srv)
		svc, db := newServiceDB(t)
		if err := demo.Seed(svc, demoNow); err != nil {
			t.Fatal(err)
		}
		msgs := demomail.Messages(demoNow)
		for _, m := range msgs {
			var flags []imap.Flag
			for _, f := range m.Flags {
				flags = append(flags, imap.Flag(f))
			}
			a.appendAt(m.Mailbox, m.Raw, time.Time{}, flags...)
		}
		fixtures := loadFixtures(t)
		senders := map[string]bool{}
		for _, f := range fixtures {
			a.appendAt("INBOX", f.raw, time.Time{})
			if addr := strings.ToLower(f.parsed.From.Email); !f.parsed.Bulk && !senders[addr] {
				senders[addr] = true
				addCreator(t, svc, f.parsed.From.Name+" (fixture)", addr)
			}
		}

		e := New(svc, a.configFor(t, demomail.Manager, demomail.Aliases, ""), Options{})
		sum := syncOnce(t, e)
		if len(sum.Warnings) != 0 {
			t.Errorf("warnings: %v", sum.Warnings)
		}
		t.Logf("%s", sum)

		t.Run("demo mailbox", func(t *testing.T) { checkDemoMailbox(t, svc, db, msgs) })
		t.Run("messy cases", func(t *testing.T) { checkMessyCases(t, svc, db) })
		t.Run("fixtures", func(t *testing.T) { checkFixtures(t, db, fixtures) })
		t.Run("hostile subject", func(t *testing.T) {
			m := messageFrom(t, svc, db, "deals@viralboost.example", "")
			if !m.HeaderOnly || m.CreatorID != "" {
				t.Fatalf("unmatched mail: header only %v, creator %q", m.HeaderOnly, m.CreatorID)
			}
			checkNoControls(t, m)
			if !strings.Contains(m.Subject, "Quick collab question") || !strings.Contains(m.Subject, "URGENT") {
				t.Errorf("subject lost its words: %q", m.Subject)
			}
			// Made a prospect, the sender's mail gets its body on
			// the next sync, escapes and all: none must survive.
			cs, err := svc.Campaigns()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.MakeProspect("test", m.ID, cs[0].ID); err != nil {
				t.Fatal(err)
			}
			if sum := syncOnce(t, e); sum.Bodies != 1 || sum.New != 0 {
				t.Errorf("sync after MakeProspect: %s", sum)
			}
			m = messageFrom(t, svc, db, "deals@viralboost.example", "")
			checkNoControls(t, m)
			for _, want := range []string{"We guarantee 10M views for Glow in 30 days", "Book a call this week and get 50% off."} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, m.Text)
				}
			}
		})
	})
}

// checkDemoMailbox: every demo message in a synced folder is stored once,
// matched mail has its body, newsletters are bulk and out of Unmatched,
// and Trash is not synced.
func checkDemoMailbox(t *testing.T, svc *crm.Service, db *store.DB, msgs []demomail.Message) {
	unmatched, err := svc.Unmatched(1000)
	if err != nil {
		t.Fatal(err)
	}
	inUnmatched := map[string]bool{}
	for _, m := range unmatched {
		inUnmatched[m.MessageID] = true
		if m.Bulk {
			t.Errorf("bulk message in Unmatched: %s %q", m.MessageID, m.Subject)
		}
	}
	bulk := 0
	for _, dm := range msgs {
		h, err := netmail.ReadMessage(bytes.NewReader(dm.Raw))
		if err != nil {
			t.Fatal(err)
		}
		mid := crm.NormalizeMessageID(h.Header.Get("Message-ID"))
		m, ok := storedByID(t, db, mid)
		if dm.Mailbox == demomail.Trash {
			if ok {
				t.Errorf("%s from Trash was synced", mid)
			}
			continue
		}
		if !ok {
			t.Errorf("%s (%s) not stored", mid, dm.Mailbox)
			continue
		}
		if len(m.Locations) != 1 || m.Locations[0].Mailbox != dm.Mailbox {
			t.Errorf("%s: locations %+v, delivered to %s", mid, m.Locations, dm.Mailbox)
		}
		if h.Header.Get("List-Id") != "" {
			bulk++
			if !m.Bulk || m.CreatorID != "" || inUnmatched[mid] {
				t.Errorf("newsletter %q: bulk %v, creator %q, in Unmatched %v", m.Subject, m.Bulk, m.CreatorID, inUnmatched[mid])
			}
			continue
		}
		if m.Bulk {
			t.Errorf("%q marked bulk", m.Subject)
		}
		if m.CreatorID != "" && (m.HeaderOnly || strings.TrimSpace(m.Text) == "") {
			t.Errorf("%q from a creator has no body", m.Subject)
		}
		if m.CreatorID == "" && !inUnmatched[mid] {
			t.Errorf("%q (from %s) is neither a creator's nor unmatched", m.Subject, m.From.Email)
		}
		if len(m.Problems) != 0 {
			t.Errorf("%q: problems %q", m.Subject, m.Problems)
		}
	}
	if bulk != 3 {
		t.Errorf("%d newsletters outside Trash, want 3", bulk)
	}
	var strangers []string
	for _, m := range unmatched {
		strangers = append(strangers, m.From.Email)
	}
	slices.Sort(strangers)
	if want := []string{"deals@viralboost.example", "rachel.adeyemi@gmail.example", "tara@taraquinnfilms.example"}; !slices.Equal(strangers, want) {
		t.Errorf("Unmatched senders %v, want %v", strangers, want)
	}
}

// The expected strings are the demo's own words (mail/demomail's
// threads_*.go), encoded there by the renderers in messy.go.
func checkMessyCases(t *testing.T, svc *crm.Service, db *store.DB) {
	t.Run("latin-1 with windows-1252 quotes", func(t *testing.T) {
		m := messageFrom(t, svc, db, "isabella@bellacucina.example", "il primo reel")
		if want := "Re: Bella Cucina × Glow: il primo reel è online"; m.Subject != want {
			t.Errorf("subject %q, want %q", m.Subject, want)
		}
		for _, want := range []string{
			"il primo reel è online! “Tiramisù al matcha” – https://www.instagram.example/reel/C8bellaCucina/",
			"The second reel (“Pasta verde”) goes live next week",
			"ha scritto:",
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text lacks %q:\n%s", want, m.Text)
			}
		}
		checkNoControls(t, m)
	})
	t.Run("quoted-printable soft breaks", func(t *testing.T) {
		m := messageFrom(t, svc, db, "noah.fischer@proton.example", "the hand thing")
		for _, want := range []string{
			"Thanks for reaching out — and ha, yes, the hand thing is very real after a day of sanding 😂",
			"a 60–90 second integration inside a full build video is $800.",
			"I invoice in USD, or €740 if that's easier for your finance team.",
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text lacks %q:\n%s", want, m.Text)
			}
		}
		if qpLeft := regexp.MustCompile(`=[0-9A-F]{2}|=\n|=$`).FindString(m.Text); qpLeft != "" {
			t.Errorf("quoted-printable left in the text (%q):\n%s", qpLeft, m.Text)
		}
	})
	t.Run("html only", func(t *testing.T) {
		m := messageFrom(t, svc, db, "mia@miajohansson.example", "story frames")
		for _, want := range []string{
			"Here’s my plan for the launch — all drafts are in this folder <https://drive.example/folders/1MiaSpringGlow>",
			"Story frame 1: unboxing",
			"Morning routine video (45s)",
			"Could you approve the story frames by",
			"@miaj.skin",
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text lacks %q:\n%s", want, m.Text)
			}
		}
		for _, tag := range []string{"<p", "<td", "<br", "<a ", "</", "style", "font-family", "&nbsp;", "&amp;"} {
			if strings.Contains(m.Text, tag) {
				t.Errorf("HTML %q left in the text:\n%s", tag, m.Text)
			}
		}
	})
	t.Run("attachments", func(t *testing.T) {
		for _, c := range []struct {
			from, text string
			want       crm.Attachment
		}{
			// RFC 2231 continued UTF-8 filename (and an RFC 2047 name=).
			{"diego@diegoplays.example", "Media kit attached", crm.Attachment{Name: "Diego Ramírez – Media Kit 2025.pdf", Type: "application/pdf"}},
			{"sofia.alvarez@gmail.example", "", crm.Attachment{Name: "Invoice-SA-0031.pdf", Type: "application/pdf"}},
			// Forward as attachment.
			{"fatima@fatimamodest.example", "The tracking hasn't moved", crm.Attachment{Name: "Your Glow order #GB-48213 has shipped.eml", Type: "message/rfc822"}},
		} {
			m := messageWith(t, svc, db, c.from, func(m crm.Message) bool { return len(m.Attachments) > 0 })
			if len(m.Attachments) != 1 || m.Attachments[0].Name != c.want.Name || m.Attachments[0].Type != c.want.Type || m.Attachments[0].Size <= 0 {
				t.Errorf("%s: attachments %+v, want %+v", c.from, m.Attachments, c.want)
			}
			if !strings.Contains(m.Text, c.text) {
				t.Errorf("%s: text lacks %q:\n%s", c.from, c.text, m.Text)
			}
		}
	})
	t.Run("outlook reply without references", func(t *testing.T) {
		amara := creatorByEmail(t, db, "amara.okafor@outlook.example")
		cs := conversations(t, svc, amara)
		if len(cs) != 1 {
			t.Fatalf("%d threads with Amara, want 1", len(cs))
		}
		var orphan *crm.Message
		for i, m := range cs[0].Messages {
			if strings.Contains(m.Text, "$950 for the Reel + TikTok is fine") {
				orphan = &cs[0].Messages[i]
			}
		}
		if orphan == nil || orphan.InReplyTo != "" || len(orphan.References) != 0 {
			t.Errorf("the reply without In-Reply-To/References is not in the thread: %+v", orphan)
		}
	})
}

// messageFrom finds the one message from addr whose subject or text
// contains part.
func messageFrom(t *testing.T, svc *crm.Service, db *store.DB, addr, part string) crm.Message {
	t.Helper()
	return messageWith(t, svc, db, addr, func(m crm.Message) bool {
		return strings.Contains(m.Subject, part) || strings.Contains(m.Text, part)
	})
}

func messageWith(t *testing.T, svc *crm.Service, db *store.DB, addr string, ok func(crm.Message) bool) crm.Message {
	t.Helper()
	var all []crm.Message
	if id, found := lookupCreator(t, db, addr); found {
		for _, cv := range conversations(t, svc, id) {
			all = append(all, cv.Messages...)
		}
	} else {
		um, err := svc.Unmatched(1000)
		if err != nil {
			t.Fatal(err)
		}
		all = um
	}
	var hits []crm.Message
	for _, m := range all {
		if strings.EqualFold(m.From.Email, addr) && ok(m) {
			hits = append(hits, m)
		}
	}
	if len(hits) != 1 {
		t.Fatalf("%d messages from %s match, want 1", len(hits), addr)
	}
	return hits[0]
}

func lookupCreator(t *testing.T, db *store.DB, addr string) (crm.ID, bool) {
	t.Helper()
	var id crm.ID
	var ok bool
	if err := db.View(func(tx crm.Tx) (err error) {
		id, ok, err = tx.CreatorByEmail(addr)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id, ok
}

func creatorByEmail(t *testing.T, db *store.DB, addr string) crm.ID {
	t.Helper()
	id, ok := lookupCreator(t, db, addr)
	if !ok {
		t.Fatalf("no creator %s", addr)
	}
	return id
}

// checkNoControls fails on terminal control characters (C0 but tab and
// newline, DEL, C1) or bidi overrides in anything roster shows.
func checkNoControls(t *testing.T, m crm.Message) {
	t.Helper()
	fields := []string{m.Subject, m.From.Name, m.From.Email, m.Text, m.MessageID}
	for _, a := range m.Attachments {
		fields = append(fields, a.Name)
	}
	for _, s := range fields {
		for _, r := range s {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || crm.IsBidiControl(r) {
				t.Errorf("%s: control character %U stored in %q", m.MessageID, r, s)
				break
			}
		}
	}
}

// fixture is one of msgparse's test messages with what msgparse makes of
// it locally.
type fixture struct {
	name   string
	raw    []byte
	parsed crm.ParsedMessage
}

// loadFixtures reads msgparse's MIME fixtures that have a Message-ID to
// find them by. hostile.eml is TestHostileContent's.
func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("msgparse", "testdata", "*.eml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out []fixture
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".eml")
		if name == "hostile" {
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
		pm, err := msgparse.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if crm.NormalizeMessageID(pm.MessageIDRaw) == "" {
			continue
		}
		out = append(out, fixture{name, raw, pm})
	}
	return out
}

// checkFixtures compares what roster stored after the round trip through
// the server with msgparse's reading of the same bytes, and spells out
// the charset cases (texts from msgparse/fixtures_test.go).
func checkFixtures(t *testing.T, db *store.DB, fixtures []fixture) {
	exact := map[string][2]string{ // name → subject, text
		"latin1_smartquotes": {"“Café” collab", "I’m in – the fee is €500.\n“Great” café shoot, naïve lighting."},
		"usascii_8bit":       {"Rates", "Renée here – it’s fine."},
		"unknown_charset":    {"Qapla' and more", "Qapla'! café\n\nHi +AOk- there"},
		"gb2312":             {"合作报价", "你好！我们很高兴与您合作。报价：五千元。"},
		"shift_jis":          {"Re: collab", "こんにちは。コラボの件、ありがとうございます。"},
		"iso2022jp":          {"撮影のご案内", "お世話になっております。撮影は三月十五日です。"},
		"subject_mixed":      {"Résumé — 🎉 コラボ", "Body."},
	}
	seen := 0
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			m, ok := storedByID(t, db, crm.NormalizeMessageID(f.parsed.MessageIDRaw))
			if !ok {
				t.Fatal("not stored")
			}
			if f.parsed.Bulk {
				if !m.Bulk || m.CreatorID != "" {
					t.Errorf("bulk %v creator %q", m.Bulk, m.CreatorID)
				}
				return
			}
			if m.HeaderOnly {
				t.Fatal("body not fetched")
			}
			if want := crm.SanitizeText(f.parsed.Text); m.Text != want {
				t.Errorf("text differs from a local parse:\n got %q\nwant %q", m.Text, want)
			}
			if want := crm.SanitizeLine(f.parsed.Subject); m.Subject != want {
				t.Errorf("subject %q, a local parse gives %q", m.Subject, want)
			}
			if !reflect.DeepEqual(m.Attachments, f.parsed.Attachments) {
				t.Errorf("attachments %+v, a local parse gives %+v", m.Attachments, f.parsed.Attachments)
			}
			if !slices.Equal(m.Problems, f.parsed.Problems) {
				t.Errorf("problems %q, a local parse gives %q", m.Problems, f.parsed.Problems)
			}
			if x, ok := exact[f.name]; ok {
				seen++
				if m.Subject != x[0] || m.Text != x[1] {
					t.Errorf("got subject %q text %q, want %q %q", m.Subject, m.Text, x[0], x[1])
				}
			}
			checkNoControls(t, m)
		})
	}
	if seen != len(exact) {
		t.Errorf("%d of the %d charset fixtures checked", seen, len(exact))
	}
}
