package mail

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"roster/crm"
)

type world struct {
	ts               *testServer
	svc              *crm.Service
	alice, bob, cara crm.ID
	uids             map[string]imap.UID
}

// newWorld is a mailbox with threads for three creators, a stranger and
// a newsletter, arranged so the hard cases happen: the reply in INBOX is
// synced before its parent in Sent, Bob writes from a +tag googlemail
// address with dots dropped, Cara is written to from an alias, two
// creators use the same subject, one message sits in two folders.
func newWorld(t *testing.T) *world {
	w := &world{ts: newTestServer(t), svc: newService(t), uids: map[string]imap.UID{}}
	w.ts.create("Sent")
	w.ts.create("Archive")
	w.ts.create("Junk")
	w.alice = addCreator(t, w.svc, "Alice", "alice@creators.example")
	w.bob = addCreator(t, w.svc, "Bob", "bob.smith@gmail.com")
	w.cara = addCreator(t, w.svc, "Cara", "cara@studio.example")
	put := func(key, mbox string, m mail) { w.uids[key] = w.ts.append(mbox, m.String()) }
	put("a2", "INBOX", mail{from: "Alice <ALICE@Creators.Example>", to: testUser, subject: "Re: Collab proposal", id: "a2@creators.example",
		inReplyTo: "<a1@brand.example>", refs: "<a1@brand.example>", date: "Tue, 04 Mar 2025 09:00:00 +0000"})
	put("b1", "INBOX", mail{from: "Bob <bobsmith+promo@googlemail.com>", to: testUser, subject: "Rates", id: "b1@gmail.com"})
	put("a3", "INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Re: Collab proposal", id: "a3@creators.example",
		inReplyTo: "(added by postmaster)", refs: "<a1@brand.example> <a2@creators.example>", date: "Wed, 05 Mar 2025 09:00:00 +0000"})
	put("a4", "INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Invoice", id: "a4@creators.example"})
	put("c2", "INBOX", mail{from: "cara@studio.example", to: "partnerships@brand.example", subject: "Re: Summer campaign", id: "c2@studio.example",
		inReplyTo: "<c1@brand.example>"})
	put("x1", "INBOX", mail{from: "Stranger <stranger@unknown.example>", to: testUser, subject: "Hello there", id: "x1@unknown.example"})
	put("n1", "INBOX", mail{from: "news@shop.example", to: testUser, subject: "Weekly deals", id: "n1@shop.example", extra: "List-Id: <deals.shop.example>\n"})
	put("a5", "INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Rates", id: "a5@creators.example"})
	put("j1", "Junk", mail{from: "alice@creators.example", to: testUser, subject: "spam?", id: "j1@creators.example"})
	put("a1", "Sent", mail{from: "Sam <" + testUser + ">", to: "alice@creators.example", subject: "Collab proposal", id: "a1@brand.example",
		date: "Mon, 03 Mar 2025 09:00:00 +0000"})
	put("c1", "Sent", mail{from: "partnerships@brand.example", to: "Cara <cara@studio.example>", subject: "Summer campaign", id: "c1@brand.example",
		date: "Sun, 02 Mar 2025 09:00:00 +0000"})
	put("b1arch", "Archive", mail{from: "Bob <bobsmith+promo@googlemail.com>", to: testUser, subject: "Rates", id: "b1@gmail.com"})
	return w
}

func (w *world) engine(t *testing.T, opts Options) *Engine {
	return New(w.svc, w.ts.config(t, ""), opts)
}

func conversations(t *testing.T, svc *crm.Service, c crm.ID) []crm.Conversation {
	t.Helper()
	cs, err := svc.Conversations(c)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// shape describes a creator's mail: thread subject → message ids in order.
func shape(t *testing.T, svc *crm.Service, c crm.ID) map[string][]string {
	out := map[string][]string{}
	for _, cv := range conversations(t, svc, c) {
		var ids []string
		for _, m := range cv.Messages {
			ids = append(ids, m.MessageID)
		}
		out[crm.NormalizeSubject(cv.Thread.Subject)] = ids
	}
	return out
}

func message(t *testing.T, svc *crm.Service, c crm.ID, mid string) crm.Message {
	t.Helper()
	for _, cv := range conversations(t, svc, c) {
		for _, m := range cv.Messages {
			if m.MessageID == mid {
				return m
			}
		}
	}
	t.Fatalf("message %s not found", mid)
	return crm.Message{}
}

func known(t *testing.T, svc *crm.Service, mbox string) map[uint32]crm.ID {
	t.Helper()
	k, err := svc.KnownUIDs("work", mbox)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func equalShape(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestSyncLifecycle(t *testing.T) {
	w := newWorld(t)
	e := w.engine(t, Options{})
	wantAlice := map[string][]string{
		"collab proposal": {"a1@brand.example", "a2@creators.example", "a3@creators.example"},
		"invoice":         {"a4@creators.example"},
		"rates":           {"a5@creators.example"},
	}

	t.Run("initial", func(t *testing.T) {
		sum := syncOnce(t, e)
		if sum.New != 10 || sum.Located != 1 || sum.Mailboxes != 3 || sum.Accounts != 1 {
			t.Errorf("summary: %s %+v", sum, sum)
		}
		if got := shape(t, w.svc, w.alice); !equalShape(got, wantAlice) {
			t.Errorf("alice: %v", got)
		}
		if got := shape(t, w.svc, w.bob); !equalShape(got, map[string][]string{"rates": {"b1@gmail.com"}}) {
			t.Errorf("bob (googlemail +tag, dots): %v", got)
		}
		if got := shape(t, w.svc, w.cara); !equalShape(got, map[string][]string{"summer campaign": {"c1@brand.example", "c2@studio.example"}}) {
			t.Errorf("cara (alias): %v", got)
		}
		a1 := message(t, w.svc, w.alice, "a1@brand.example")
		a2 := message(t, w.svc, w.alice, "a2@creators.example")
		c1 := message(t, w.svc, w.cara, "c1@brand.example")
		if a1.Direction != crm.Out || a2.Direction != crm.In || c1.Direction != crm.Out {
			t.Errorf("directions: %s %s %s", a1.Direction, a2.Direction, c1.Direction)
		}
		if a2.HeaderOnly || !strings.Contains(a2.Text, "Hello Re: Collab proposal") {
			t.Errorf("body not fetched: header_only=%v text=%q", a2.HeaderOnly, a2.Text)
		}
		b1 := message(t, w.svc, w.bob, "b1@gmail.com")
		if len(b1.Locations) != 2 {
			t.Errorf("b1 locations: %+v", b1.Locations)
		}
		um, err := w.svc.Unmatched(10)
		if err != nil {
			t.Fatal(err)
		}
		if len(um) != 1 || um[0].MessageID != "x1@unknown.example" {
			t.Errorf("unmatched: %+v", um)
		}
		if k := known(t, w.svc, "INBOX"); len(k) != 8 {
			t.Errorf("known INBOX UIDs: %d", len(k))
		}
		if k := known(t, w.svc, "Junk"); len(k) != 0 {
			t.Errorf("Junk must not be synced")
		}
	})

	t.Run("resync without changes fetches nothing", func(t *testing.T) {
		before := w.ts.fetches.Load()
		start := time.Now()
		sum := syncOnce(t, e)
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("no-change resync took %v", d)
		}
		if n := w.ts.fetches.Load() - before; n != 0 {
			t.Errorf("%d FETCH commands on a resync with nothing new", n)
		}
		if sum.New != 0 || sum.Located != 0 || sum.Vanished != 0 {
			t.Errorf("summary: %s", sum)
		}
	})

	t.Run("new mail", func(t *testing.T) {
		w.uids["a6"] = w.ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Re: Invoice", id: "a6@creators.example", inReplyTo: "<a4@creators.example>"}.String())
		sum := syncOnce(t, e)
		if sum.New != 1 || sum.Bodies != 1 {
			t.Errorf("summary: %s", sum)
		}
		if got := shape(t, w.svc, w.alice)["invoice"]; len(got) != 2 {
			t.Errorf("invoice thread: %v", got)
		}
	})

	t.Run("deletions", func(t *testing.T) {
		// First, middle and newest, in no particular order.
		w.ts.expunge("INBOX", w.uids["a6"], w.uids["a2"], w.uids["b1"])
		sum := syncOnce(t, e)
		if sum.Vanished != 3 || sum.New != 0 {
			t.Errorf("summary: %s", sum)
		}
		k := known(t, w.svc, "INBOX")
		if len(k) != 6 {
			t.Errorf("known INBOX UIDs after expunge: %d", len(k))
		}
		for _, key := range []string{"a6", "a2", "b1"} {
			if _, ok := k[uint32(w.uids[key])]; ok {
				t.Errorf("%s still located in INBOX", key)
			}
		}
		// History stays; only the server copy is forgotten.
		if got := shape(t, w.svc, w.alice)["collab proposal"]; len(got) != 3 {
			t.Errorf("thread lost a message: %v", got)
		}
		if b1 := message(t, w.svc, w.bob, "b1@gmail.com"); len(b1.Locations) != 1 || b1.Locations[0].Mailbox != "Archive" {
			t.Errorf("b1 locations: %+v", b1.Locations)
		}
		before := w.ts.fetches.Load()
		syncOnce(t, e)
		if n := w.ts.fetches.Load() - before; n != 0 {
			t.Errorf("resync after deletions fetched %d times", n)
		}
	})

	t.Run("uidvalidity change", func(t *testing.T) {
		before := shape(t, w.svc, w.alice)
		old, _, _ := w.svc.MailboxState("work", "INBOX")
		w.ts.recreate("INBOX")
		// One message the store has never seen, among the renumbered.
		w.ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Contract", id: "a7@creators.example"}.String())
		sum := syncOnce(t, e)
		if sum.New != 1 || sum.Bodies != 1 {
			t.Errorf("remap: %s", sum)
		}
		st, _, _ := w.svc.MailboxState("work", "INBOX")
		if st.UIDValidity == old.UIDValidity {
			t.Fatal("UIDVALIDITY did not change")
		}
		before["contract"] = []string{"a7@creators.example"}
		if after := shape(t, w.svc, w.alice); !equalShape(before, after) {
			t.Errorf("threads changed: %v → %v", before, after)
		}
		if k := known(t, w.svc, "INBOX"); len(k) != 7 {
			t.Errorf("known INBOX UIDs after remap: %d", len(k))
		}
		a3 := message(t, w.svc, w.alice, "a3@creators.example")
		if len(a3.Locations) != 1 || a3.Locations[0].UIDValidity != st.UIDValidity {
			t.Errorf("a3 locations: %+v", a3.Locations)
		}
		before2 := w.ts.fetches.Load()
		syncOnce(t, e)
		if n := w.ts.fetches.Load() - before2; n != 0 {
			t.Errorf("resync after remap fetched %d times", n)
		}
	})
}

func TestKillAndResume(t *testing.T) {
	const n = 60
	build := func(t *testing.T) *world {
		w := &world{ts: newTestServer(t), svc: newService(t)}
		w.ts.create("Sent")
		w.alice = addCreator(t, w.svc, "Alice", "alice@creators.example")
		for i := range n {
			m := mail{from: "alice@creators.example", to: testUser, subject: "Note " + itoa(i), id: "k" + itoa(i) + "@creators.example"}
			if i%3 == 1 {
				m.inReplyTo = "<k" + itoa(i-1) + "@creators.example>"
			}
			w.ts.append("INBOX", m.String())
		}
		return w
	}
	ref := build(t)
	syncOnce(t, New(ref.svc, ref.ts.config(t, ""), Options{BatchSize: 7}))
	want := shape(t, ref.svc, ref.alice)

	w := build(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := 0
	e := New(w.svc, w.ts.config(t, ""), Options{BatchSize: 7, afterBatch: func(string, string) {
		batches++
		if batches == 2 {
			cancel()
		}
	}})
	if _, err := e.SyncOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("killed sync: %v", err)
	}
	st, _, _ := w.svc.MailboxState("work", "INBOX")
	if st.UIDNext != 1 {
		t.Errorf("cursor moved past missing mail: %+v", st)
	}
	if k := known(t, w.svc, "INBOX"); len(k) == 0 || len(k) >= n {
		t.Errorf("after the kill %d messages are stored, want some", len(k))
	}
	e.opts.afterBatch = nil
	syncOnce(t, e)
	if got := shape(t, w.svc, w.alice); !equalShape(got, want) {
		t.Errorf("resumed sync differs:\n got %v\nwant %v", got, want)
	}
	if k := known(t, w.svc, "INBOX"); len(k) != n {
		t.Errorf("known: %d", len(k))
	}
	total := 0
	for _, ids := range want {
		total += len(ids)
	}
	if total != n {
		t.Errorf("reference has %d messages", total)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestHostileContent(t *testing.T) {
	ts := newTestServer(t)
	svc := newService(t)
	eve := addCreator(t, svc, "Eve", "eve@creators.example")
	ts.append("INBOX", mail{
		from:    "\"\x1b[31mEve\x1b[0m\u202e\" <eve@creators.example>",
		to:      testUser,
		subject: "\x1b]0;pwned\x07Hi \x1b]52;c;ZWNobyBwd25lZA==\x07there",
		id:      "evil@creators.example",
		body:    "line\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07 end\x9b31m",
	}.String())
	ts.append("INBOX", mail{from: "eve@creators.example", to: testUser, id: "evil2@creators.example",
		subject: "=?utf-8?q?=1B]0;title=07encoded?=", body: "ok"}.String())
	syncOnce(t, New(svc, ts.config(t, ""), Options{}))
	cs := conversations(t, svc, eve)
	n := 0
	for _, c := range cs {
		for _, m := range c.Messages {
			n++
			for _, s := range []string{m.Subject, m.From.Name, m.From.Email, m.Text, c.Thread.Subject} {
				if strings.ContainsAny(s, "\x1b\x07\u009b\u202e") {
					t.Errorf("control sequence stored: %q", s)
				}
			}
		}
	}
	if n != 2 {
		t.Fatalf("messages: %d", n)
	}
}

func TestPoisonMessage(t *testing.T) {
	for _, fallback := range []bool{true, false} {
		name := "fallback"
		if !fallback {
			name = "quarantine"
		}
		t.Run(name, func(t *testing.T) {
			ts := newTestServer(t)
			svc := newService(t)
			alice := addCreator(t, svc, "Alice", "alice@creators.example")
			for i := range 12 {
				var flags []imap.Flag
				if i == 5 {
					flags = []imap.Flag{"$Poison"}
				}
				ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "P " + itoa(i), id: "p" + itoa(i) + "@x.example"}.String(), flags...)
			}
			// The proxy turns the poisoned message's FLAGS into
			// something go-imap cannot parse, which closes the
			// connection, as a real server bug would.
			p := newFaultProxy(t, ts.addr, "$poison", "(((") // imapmemserver lower-cases flags
			var dbg syncBuffer
			e := New(svc, ts.configAt(t, p.addr, ""), Options{BatchSize: 5, noFallback: !fallback, debug: &dbg})
			defer func() {
				if t.Failed() {
					t.Log(dbg.String())
				}
			}()
			sum := syncOnce(t, e)
			if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "UID 6") {
				t.Errorf("warnings: %q", sum.Warnings)
			}
			want := 12
			if !fallback {
				want = 11
			}
			got := 0
			for _, ids := range shape(t, svc, alice) {
				got += len(ids)
			}
			if got != want {
				t.Errorf("stored %d messages, want %d (%s)", got, want, sum)
			}
			st, _, _ := svc.MailboxState("work", "INBOX")
			if st.UIDNext != 13 || st.Count != 12 {
				t.Errorf("cursor: %+v", st)
			}
			before := ts.fetches.Load()
			if sum := syncOnce(t, e); len(sum.Warnings) != 0 {
				t.Errorf("second sync warns again: %v", sum.Warnings)
			}
			if n := ts.fetches.Load() - before; n != 0 {
				t.Errorf("second sync fetched %d times", n)
			}
		})
	}
}

func TestXOAUTH2(t *testing.T) {
	ts := newTestServer(t)
	svc := newService(t)
	alice := addCreator(t, svc, "Alice", "alice@creators.example")
	ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Hi", id: "o1@x.example"}.String())
	cfg := ts.config(t, "")
	cfg.Accounts[0].IMAP.PasswordEnv = ""
	cfg.Accounts[0].IMAP.TokenCmd = "echo " + testToken
	syncOnce(t, New(svc, cfg, Options{}))
	if len(conversations(t, svc, alice)) != 1 {
		t.Fatal("nothing synced over XOAUTH2")
	}
	cfg.Accounts[0].IMAP.TokenCmd = "echo expired-token"
	_, err := New(svc, cfg, Options{}).SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "account work") || strings.Contains(err.Error(), "expired-token") {
		t.Errorf("bad token: %v", err)
	}
}

func TestLoginRefused(t *testing.T) {
	ts := newTestServer(t)
	svc := newService(t)
	cfg := ts.config(t, "")
	t.Setenv("ROSTER_TEST_IMAP_PW", "wrong-password")
	sum, err := New(svc, cfg, Options{}).SyncOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "login as "+testUser+" refused") || strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("err = %v", err)
	}
	if len(sum.Warnings) != 1 {
		t.Errorf("warnings: %v", sum.Warnings)
	}
}

func TestSilentServer(t *testing.T) {
	addr := silentServer(t)
	ts := &testServer{}
	svc := newService(t)
	e := New(svc, ts.configAt(t, addr, ""), Options{CommandTimeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := e.SyncOnce(context.Background())
	if err == nil || !errors.Is(err, errTimeout) {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	st := svc.SyncStatus()
	if st.LastErr == "" || st.Running {
		t.Errorf("status: %+v", st)
	}
}

func TestSpecialUseFolders(t *testing.T) {
	ts := newTestServer(t)
	ts.create("Sent")
	ts.create("Outbox Copies")
	ts.create("Spam")
	ts.specialUse(map[string][]imap.MailboxAttr{"Outbox Copies": {imap.MailboxAttrSent}, "Spam": {imap.MailboxAttrJunk}})
	svc := newService(t)
	alice := addCreator(t, svc, "Alice", "alice@creators.example")
	ts.append("Outbox Copies", mail{from: testUser, to: "alice@creators.example", subject: "Out", id: "s1@brand.example"}.String())
	ts.append("Sent", mail{from: testUser, to: "alice@creators.example", subject: "Not this", id: "s2@brand.example"}.String())
	ts.append("Spam", mail{from: "alice@creators.example", to: testUser, subject: "Spam", id: "s3@x.example"}.String())
	sum := syncOnce(t, New(svc, ts.config(t, ""), Options{}))
	if got := shape(t, svc, alice); !equalShape(got, map[string][]string{"out": {"s1@brand.example"}}) {
		t.Errorf("folders by attribute: %v (%s)", got, sum)
	}

	// A configured list replaces discovery; unknown names warn.
	svc2 := newService(t)
	alice2 := addCreator(t, svc2, "Alice", "alice@creators.example")
	sum = syncOnce(t, New(svc2, ts.config(t, `folders = ["Sent", "Spam", "Nope"]`), Options{}))
	if got := shape(t, svc2, alice2); len(got) != 2 || len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], `"Nope"`) {
		t.Errorf("configured folders: %v %v", got, sum.Warnings)
	}
}

func TestIdle(t *testing.T) {
	ts := newTestServer(t)
	ts.create("Sent")
	svc := newService(t)
	alice := addCreator(t, svc, "Alice", "alice@creators.example")
	ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "First", id: "i1@x.example"}.String())
	// A short IdleRestart exercises the renewal (DONE, IDLE) many times.
	e := New(svc, ts.config(t, ""), Options{IdleRestart: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not stop")
		}
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	count := func() int {
		n := 0
		for _, ids := range shape(t, svc, alice) {
			n += len(ids)
		}
		return n
	}
	waitFor("first sync", func() bool { return count() == 1 })
	// Let the IDLE connection settle, then deliver.
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Second", id: "i2@x.example"}.String())
	waitFor("new mail through IDLE", func() bool { return count() == 2 })
	t.Logf("new mail stored %v after delivery", time.Since(start).Round(time.Millisecond))

	// SyncNow picks up what IDLE does not watch (Sent).
	ts.append("Sent", mail{from: testUser, to: "alice@creators.example", subject: "Third", id: "i3@x.example"}.String())
	e.SyncNow()
	waitFor("SyncNow", func() bool { return count() == 3 })
}

func TestChooseFolders(t *testing.T) {
	l := func(name string, attrs ...imap.MailboxAttr) *imap.ListData {
		return &imap.ListData{Mailbox: name, Delim: '.', Attrs: attrs}
	}
	cases := []struct {
		name       string
		gmail      bool
		list       []*imap.ListData
		configured []string
		want       []string
		idle       string
	}{
		{"gmail", true, []*imap.ListData{l("INBOX"), l("[Gmail]", imap.MailboxAttrNoSelect), l("[Gmail]/All Mail", imap.MailboxAttrAll), l("[Gmail]/Sent Mail", imap.MailboxAttrSent)},
			nil, []string{"[Gmail]/All Mail"}, "[Gmail]/All Mail"},
		{"gmail by name", true, []*imap.ListData{l("INBOX"), l("[Google Mail]/All Mail")}, nil, []string{"[Google Mail]/All Mail"}, "[Google Mail]/All Mail"},
		{"attributes", false, []*imap.ListData{l("INBOX"), l("Sent"), l("Gesendete Objekte", imap.MailboxAttrSent), l("Arch", imap.MailboxAttrArchive), l("Trash", imap.MailboxAttrTrash)},
			nil, []string{"INBOX", "Gesendete Objekte", "Arch"}, "INBOX"},
		{"names under INBOX", false, []*imap.ListData{l("INBOX"), l("INBOX.Sent Items"), l("INBOX.Drafts", imap.MailboxAttrDrafts)},
			nil, []string{"INBOX", "INBOX.Sent Items"}, "INBOX"},
		{"icloud", false, []*imap.ListData{l("INBOX"), l("Sent Messages")}, nil, []string{"INBOX", "Sent Messages"}, "INBOX"},
		{"no sent", false, []*imap.ListData{l("INBOX"), l("Junk", imap.MailboxAttrJunk)}, nil, []string{"INBOX"}, "INBOX"},
		{"configured", false, []*imap.ListData{l("INBOX"), l("Partners"), l("Sent")}, []string{"partners", "inbox"}, []string{"Partners", "INBOX"}, "INBOX"},
		{"configured no inbox", false, []*imap.ListData{l("Partners")}, []string{"Partners"}, []string{"Partners"}, "Partners"},
	}
	for _, c := range cases {
		got, idle, _ := chooseFolders(c.gmail, c.list, c.configured)
		if !slices.Equal(got, c.want) || idle != c.idle {
			t.Errorf("%s: got %v idle %q, want %v idle %q", c.name, got, idle, c.want, c.idle)
		}
	}
}

func TestSummaryString(t *testing.T) {
	s := Summary{Accounts: 2, Mailboxes: 4, New: 120, Located: 3, Bodies: 110, Vanished: 1, Duration: 1234 * time.Millisecond}
	if got := s.String(); got != "synced 2 accounts, 4 mailboxes: 120 new, 3 copies, 110 bodies, 1 vanished in 1.2s" {
		t.Errorf("got %q", got)
	}
	s = Summary{Accounts: 1, Mailboxes: 1, Located: 1, Bodies: 1, Duration: 42 * time.Millisecond, Warnings: []string{"x"}}
	if got := s.String(); got != "synced 1 account, 1 mailbox: 0 new, 1 copy, 1 body, 0 vanished in 42ms (1 warning)" {
		t.Errorf("got %q", got)
	}
}

func TestIdleReconnects(t *testing.T) {
	ts := newTestServer(t)
	p := newFaultProxy(t, ts.addr, "", "")
	svc := newService(t)
	alice := addCreator(t, svc, "Alice", "alice@creators.example")
	e := New(svc, ts.configAt(t, p.addr, ""), Options{CommandTimeout: 2 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	count := func() int { return len(conversations(t, svc, alice)) }
	waitUntil(t, "first sync", func() bool { return svc.SyncStatus().LastSync.After(time.Time{}) })
	p.drop()
	ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "After the outage", id: "r1@x.example"}.String())
	// The IDLE connection comes back after its backoff (about 2 s) and
	// asks for a sync, which reconnects the worker too.
	waitUntil(t, "mail after reconnect", func() bool { return count() == 1 })
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestProgressThrottled(t *testing.T) {
	svc := newService(t)
	sub := svc.Subscribe()
	defer sub.Close()
	p := newProgress(svc)
	start := time.Now()
	for i := range 100000 {
		p.set("headers", "work", "INBOX", i, 100000)
	}
	elapsed := time.Since(start)
	events, _ := sub.Take()
	n := 0
	for _, ev := range events {
		if ev.Kind == crm.SyncProgress {
			n++
		}
	}
	if limit := int(elapsed/progressEvery) + 2; n > limit {
		t.Errorf("%d reports in %v (limit %d)", n, elapsed, limit)
	}
	if st := svc.SyncStatus(); !st.Running || st.Phase != "headers" {
		t.Errorf("status: %+v", st)
	}
}
