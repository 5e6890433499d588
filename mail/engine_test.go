package mail

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"roster/crm"
	"roster/store"
)

type world struct {
	acct             *account
	svc              *crm.Service
	db               *store.DB
	alice, bob, cara crm.ID
	uids             map[string]imap.UID
}

// newWorld is a mailbox with threads for three creators, a stranger and
// a newsletter, arranged so the hard cases happen: the reply in INBOX is
// synced before its parent in Sent, Bob writes from a +tag googlemail
// address with dots dropped, Cara is written to from an alias, two
// creators use the same subject, one message sits in two folders.
func newWorld(t *testing.T, srv imapServer) *world {
	w := &world{acct: newAccount(t, srv), uids: map[string]imap.UID{}}
	w.svc, w.db = newServiceDB(t)
	w.alice = addCreator(t, w.svc, "Alice", "alice@creators.example")
	w.bob = addCreator(t, w.svc, "Bob", "bob.smith@gmail.com")
	w.cara = addCreator(t, w.svc, "Cara", "cara@studio.example")
	put := func(key, mbox string, m mail) { w.uids[key] = w.acct.append(mbox, m.String()) }
	put("a2", "INBOX", mail{from: "Alice <ALICE@Creators.Example>", to: testUser, subject: "Re: Collab proposal", id: "a2@creators.example",
		inReplyTo: "<a1@brand.example>", refs: "<a1@brand.example>", date: "Tue, 04 Mar 2025 09:00:00 +0000"})
	put("b1", "INBOX", mail{from: "Bob <bobsmith+promo@googlemail.com>", to: testUser, subject: "Rates", id: "b1@gmail.com"})
	put("a3", "INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Re: Collab proposal", id: "a3@creators.example",
		inReplyTo: "(added by postmaster)", refs: "<a1@brand.example> <a2@creators.example>", date: "Wed, 05 Mar 2025 09:00:00 +0000"})
	put("a4", "INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Invoice", id: "a4@creators.example"})
	put("c2", "INBOX", mail{from: "cara@studio.example", to: "partnerships@brand.example", subject: "Re: Summer campaign", id: "c2@studio.example",
		inReplyTo: "<c1@brand.example>"})
	// No In-Reply-To at all, only References.
	put("c3", "INBOX", mail{from: "Cara <cara@studio.example>", to: testUser, subject: "Re: Summer campaign", id: "c3@studio.example",
		refs: "<c1@brand.example> <c2@studio.example>", date: "Tue, 04 Mar 2025 11:00:00 +0000"})
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
	return New(w.svc, w.acct.config(t, ""), opts)
}

func conversations(t testing.TB, svc *crm.Service, c crm.ID) []crm.Conversation {
	t.Helper()
	cs, err := svc.Conversations(c)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// shape describes a creator's mail: thread subject → message ids in order.
func shape(t testing.TB, svc *crm.Service, c crm.ID) map[string][]string {
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

func message(t testing.TB, svc *crm.Service, c crm.ID, mid string) crm.Message {
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

func known(t testing.TB, svc *crm.Service, mbox string) map[uint32]crm.ID {
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

// storedByID reads a message by its normalised Message-ID straight from
// the store: bulk and unmatched mail has no conversation to find it in.
func storedByID(t testing.TB, db *store.DB, mid string) (crm.Message, bool) {
	t.Helper()
	var m crm.Message
	var ok bool
	err := db.View(func(tx crm.Tx) error {
		id, found, err := tx.MessageByMessageID(mid)
		if err != nil || !found {
			return err
		}
		ok = true
		m, err = tx.Message(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, ok
}

// checkLocations compares roster's locations in mbox with the server:
// every message there is known under its current UID and nothing else
// is, so no location is stale or cross-wired to another message.
func checkLocations(t testing.TB, a *account, svc *crm.Service, db *store.DB, mbox string) {
	t.Helper()
	server := a.uids(mbox)
	k := known(t, svc, mbox)
	if len(k) != len(server) {
		t.Errorf("%s: roster knows %d UIDs, the server has %d messages", mbox, len(k), len(server))
	}
	st, _, err := svc.MailboxState("work", mbox)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.validity(mbox); st.UIDValidity != v {
		t.Errorf("%s: cursor at UIDVALIDITY %d, server at %d", mbox, st.UIDValidity, v)
	}
	for mid, uid := range server {
		m, ok := storedByID(t, db, mid)
		switch {
		case !ok:
			t.Errorf("%s: %s (UID %d) not stored", mbox, mid, uid)
		case k[uint32(uid)] != m.ID:
			t.Errorf("%s: UID %d is %s on the server, roster has it as %v", mbox, uid, mid, k[uint32(uid)])
		case !slices.Contains(m.Locations, crm.Location{Account: "work", Mailbox: mbox, UIDValidity: st.UIDValidity, UID: uint32(uid)}):
			t.Errorf("%s: %s located at %+v, server UID %d", mbox, mid, m.Locations, uid)
		}
	}
}

func TestSyncLifecycle(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		testSyncLifecycle(t, srv)
	})
}

func testSyncLifecycle(t *testing.T, srv imapServer) {
	w := newWorld(t, srv)
	e := w.engine(t, Options{})
	wantAlice := map[string][]string{
		"collab proposal": {"a1@brand.example", "a2@creators.example", "a3@creators.example"},
		"invoice":         {"a4@creators.example"},
		"rates":           {"a5@creators.example"},
	}

	t.Run("initial", func(t *testing.T) {
		sum := syncOnce(t, e)
		if sum.New != 11 || sum.Located != 1 || sum.Mailboxes != 3 || sum.Accounts != 1 || sum.Bodies != 9 {
			t.Errorf("summary: %s %+v", sum, sum)
		}
		if got := shape(t, w.svc, w.alice); !equalShape(got, wantAlice) {
			t.Errorf("alice: %v", got)
		}
		if got := shape(t, w.svc, w.bob); !equalShape(got, map[string][]string{"rates": {"b1@gmail.com"}}) {
			t.Errorf("bob (googlemail +tag, dots): %v", got)
		}
		if got := shape(t, w.svc, w.cara); !equalShape(got, map[string][]string{"summer campaign": {"c1@brand.example", "c2@studio.example", "c3@studio.example"}}) {
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
		// Junk In-Reply-To: threaded by References, the junk kept out.
		if a3 := message(t, w.svc, w.alice, "a3@creators.example"); a3.ThreadID != a2.ThreadID || a3.InReplyTo != "" {
			t.Errorf("a3: thread %v (a2 %v), in-reply-to %q", a3.ThreadID, a2.ThreadID, a3.InReplyTo)
		}
		// Same subject from two creators: two threads.
		a5 := message(t, w.svc, w.alice, "a5@creators.example")
		b1 := message(t, w.svc, w.bob, "b1@gmail.com")
		if a5.ThreadID == b1.ThreadID {
			t.Error(`"Rates" from Alice and Bob merged into one thread`)
		}
		if len(b1.Locations) != 2 {
			t.Errorf("b1 locations: %+v", b1.Locations)
		}
		if n1, ok := storedByID(t, w.db, "n1@shop.example"); !ok || !n1.Bulk || n1.CreatorID != "" {
			t.Errorf("newsletter: stored %v, %+v", ok, n1)
		}
		um, err := w.svc.Unmatched(10)
		if err != nil {
			t.Fatal(err)
		}
		if len(um) != 1 || um[0].MessageID != "x1@unknown.example" {
			t.Errorf("unmatched: %+v", um)
		}
		if k := known(t, w.svc, "INBOX"); len(k) != 9 {
			t.Errorf("known INBOX UIDs: %d", len(k))
		}
		if k := known(t, w.svc, "Junk"); len(k) != 0 {
			t.Errorf("Junk must not be synced")
		}
		for _, mbox := range []string{"INBOX", "Sent", "Archive"} {
			checkLocations(t, w.acct, w.svc, w.db, mbox)
		}
	})

	t.Run("resync without changes fetches nothing", func(t *testing.T) {
		before := w.acct.fetches()
		start := time.Now()
		sum := syncOnce(t, e)
		// Its cost is measured by make bench; here the behaviour is that
		// nothing is fetched.
		t.Logf("no-change resync took %v", time.Since(start))
		if n := w.acct.fetches() - before; n != 0 {
			t.Errorf("%d FETCH commands on a resync with nothing new", n)
		}
		if sum.New != 0 || sum.Located != 0 || sum.Vanished != 0 {
			t.Errorf("summary: %s", sum)
		}
	})

	t.Run("new mail", func(t *testing.T) {
		w.uids["a6"] = w.acct.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Re: Invoice", id: "a6@creators.example", inReplyTo: "<a4@creators.example>"}.String())
		sum := syncOnce(t, e)
		if sum.New != 1 || sum.Bodies != 1 {
			t.Errorf("summary: %s", sum)
		}
		if got := shape(t, w.svc, w.alice)["invoice"]; len(got) != 2 {
			t.Errorf("invoice thread: %v", got)
		}
	})

	t.Run("deletions", func(t *testing.T) {
		// Newest, middle and first, in no particular order.
		w.acct.expunge("INBOX", false, "a6@creators.example", "a2@creators.example", "b1@gmail.com")
		sum := syncOnce(t, e)
		if sum.Vanished != 3 || sum.New != 0 {
			t.Errorf("summary: %s", sum)
		}
		k := known(t, w.svc, "INBOX")
		if len(k) != 7 {
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
		checkLocations(t, w.acct, w.svc, w.db, "INBOX")
		before := w.acct.fetches()
		syncOnce(t, e)
		if n := w.acct.fetches() - before; n != 0 {
			t.Errorf("resync after deletions fetched %d times", n)
		}
	})

	t.Run("uidvalidity change", func(t *testing.T) {
		before := shape(t, w.svc, w.alice)
		old, _, _ := w.svc.MailboxState("work", "INBOX")
		w.acct.recreate("INBOX")
		// One message the store has never seen, among the renumbered.
		w.acct.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Contract", id: "a7@creators.example"}.String())
		bodies := w.acct.bodyFetches()
		sum := syncOnce(t, e)
		if sum.New != 1 || sum.Bodies != 1 {
			t.Errorf("remap: %s", sum)
		}
		if n := w.acct.bodyFetches() - bodies; n != 1 {
			t.Errorf("remap downloaded bodies in %d FETCH commands, want 1 (the new message)", n)
		}
		st, _, _ := w.svc.MailboxState("work", "INBOX")
		if st.UIDValidity == old.UIDValidity {
			t.Fatal("UIDVALIDITY did not change")
		}
		before["contract"] = []string{"a7@creators.example"}
		if after := shape(t, w.svc, w.alice); !equalShape(before, after) {
			t.Errorf("threads changed: %v → %v", before, after)
		}
		if k := known(t, w.svc, "INBOX"); len(k) != 8 {
			t.Errorf("known INBOX UIDs after remap: %d", len(k))
		}
		a3 := message(t, w.svc, w.alice, "a3@creators.example")
		if len(a3.Locations) != 1 || a3.Locations[0].UIDValidity != st.UIDValidity {
			t.Errorf("a3 locations: %+v", a3.Locations)
		}
		checkLocations(t, w.acct, w.svc, w.db, "INBOX")
		before2 := w.acct.fetches()
		syncOnce(t, e)
		if n := w.acct.fetches() - before2; n != 0 {
			t.Errorf("resync after remap fetched %d times", n)
		}
	})

	t.Run("moved to Archive", func(t *testing.T) {
		before := shape(t, w.svc, w.alice)
		w.acct.move("INBOX", "Archive", "a4@creators.example")
		bodies := w.acct.bodyFetches()
		sum := syncOnce(t, e)
		if sum.New != 0 || sum.Located != 1 || sum.Vanished != 1 || sum.Bodies != 0 {
			t.Errorf("summary: %s", sum)
		}
		if n := w.acct.bodyFetches() - bodies; n != 0 {
			t.Errorf("a moved message was downloaded again (%d BODY.PEEK[])", n)
		}
		if a4 := message(t, w.svc, w.alice, "a4@creators.example"); len(a4.Locations) != 1 || a4.Locations[0].Mailbox != "Archive" {
			t.Errorf("a4 locations: %+v", a4.Locations)
		}
		if after := shape(t, w.svc, w.alice); !equalShape(before, after) {
			t.Errorf("threads changed: %v → %v", before, after)
		}
		checkLocations(t, w.acct, w.svc, w.db, "INBOX")
		checkLocations(t, w.acct, w.svc, w.db, "Archive")
	})
}

// TestDeletions expunges six of twelve messages (the first, a run of
// three in the middle, the last but two and the last, one of them also in
// Archive) in ascending, descending and shuffled order: the first three
// one by one, the other three in one EXPUNGE. The engine finds what
// vanished by comparing UIDs, so the order must not matter.
func TestDeletions(t *testing.T) {
	t.Parallel()
	const n = 12
	orders := []struct {
		name string
		pick []int
	}{
		{"low-to-high", []int{0, 3, 4, 5, 9, 11}},
		{"high-to-low", []int{11, 9, 5, 4, 3, 0}},
		{"random", []int{4, 11, 0, 9, 3, 5}},
	}
	id := func(i int) string { return "d" + itoa(i) + "@creators.example" }
	onBothServers(t, len(orders), func(t *testing.T, srv imapServer) {
		for _, o := range orders {
			t.Run(o.name, func(t *testing.T) {
				t.Parallel()
				a := newAccount(t, srv)
				svc, db := newServiceDB(t)
				alice := addCreator(t, svc, "Alice", "alice@creators.example")
				for i := range n {
					m := mail{from: "alice@creators.example", to: testUser, subject: "Topic " + itoa(i/2), id: id(i)}
					if i%2 == 1 {
						m.subject, m.inReplyTo = "Re: "+m.subject, "<"+id(i-1)+">"
					}
					a.append("INBOX", m.String())
					if i == 3 {
						a.append("Archive", m.String())
					}
				}
				e := New(svc, a.config(t, ""), Options{BatchSize: 4})
				if sum := syncOnce(t, e); sum.New != n || sum.Located != 1 {
					t.Fatalf("first sync: %s", sum)
				}
				want := shape(t, svc, alice)

				var ids []string
				gone := map[string]bool{}
				for _, i := range o.pick {
					ids = append(ids, id(i))
					gone[id(i)] = true
				}
				a.expunge("INBOX", false, ids[:3]...)
				a.expunge("INBOX", true, ids[3:]...)
				sum := syncOnce(t, e)
				if sum.Vanished != len(ids) || sum.New != 0 || sum.Bodies != 0 {
					t.Errorf("after deletions: %s", sum)
				}
				checkLocations(t, a, svc, db, "INBOX")
				checkLocations(t, a, svc, db, "Archive")
				for i := range n {
					m := message(t, svc, alice, id(i))
					inbox := slices.ContainsFunc(m.Locations, func(l crm.Location) bool { return l.Mailbox == "INBOX" })
					if inbox == gone[id(i)] {
						t.Errorf("%s: in INBOX %v, deleted %v", id(i), inbox, gone[id(i)])
					}
				}
				if got := shape(t, svc, alice); !equalShape(got, want) {
					t.Errorf("history changed by deletions:\n got %v\nwant %v", got, want)
				}
				st, _, _ := svc.MailboxState("work", "INBOX")
				if st.Count != n-uint32(len(ids)) {
					t.Errorf("cursor count %d, want %d", st.Count, n-len(ids))
				}

				before := a.fetches()
				if sum := syncOnce(t, e); sum.Vanished != 0 || sum.New != 0 {
					t.Errorf("resync: %s", sum)
				}
				if got := a.fetches() - before; got != 0 {
					t.Errorf("resync after deletions: %d FETCH", got)
				}
				// The smaller count must not hide new mail.
				a.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Later", id: "later@creators.example"}.String())
				if sum := syncOnce(t, e); sum.New != 1 || sum.Vanished != 0 {
					t.Errorf("new mail after deletions: %s", sum)
				}
				checkLocations(t, a, svc, db, "INBOX")
			})
		}
	})
}

// TestUIDValidityChange renumbers INBOX and Sent with the same messages
// (delivered again in reverse order): roster must relocate every message
// by Message-ID without downloading a body again, keep its threads and
// create no duplicate.
func TestUIDValidityChange(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		a := newAccount(t, srv)
		svc, db := newServiceDB(t)
		alice := addCreator(t, svc, "Alice", "alice@creators.example")
		bob := addCreator(t, svc, "Bob", "bob@creators.example")
		for i := range 9 {
			who := "alice@creators.example"
			if i%3 == 2 {
				who = "bob@creators.example"
			}
			m := mail{from: who, to: testUser, subject: "Plan " + itoa(i/3), id: "u" + itoa(i) + "@creators.example",
				date: time.Date(2025, 3, 1+i, 9, 0, 0, 0, time.UTC).Format(time.RFC1123Z)}
			a.append("INBOX", m.String())
			if i%3 == 0 {
				a.append("Sent", mail{from: testUser, to: who, subject: "Re: Plan " + itoa(i/3), id: "s" + itoa(i) + "@brand.example",
					inReplyTo: "<" + m.id + ">", date: time.Date(2025, 3, 1+i, 12, 0, 0, 0, time.UTC).Format(time.RFC1123Z)}.String())
			}
			if i == 4 {
				a.append("Archive", m.String())
			}
		}
		e := New(svc, a.config(t, ""), Options{BatchSize: 4})
		if sum := syncOnce(t, e); sum.New != 12 || sum.Bodies != 12 || sum.Located != 1 {
			t.Fatalf("first sync: %s", sum)
		}
		wantA, wantB := shape(t, svc, alice), shape(t, svc, bob)
		old := map[string]uint32{}
		for _, mbox := range []string{"INBOX", "Sent"} {
			st, _, _ := svc.MailboxState("work", mbox)
			old[mbox] = st.UIDValidity
			a.recreate(mbox)
		}

		fetches, bodies := a.fetches(), a.bodyFetches()
		sum := syncOnce(t, e)
		if sum.New != 0 || sum.Bodies != 0 || sum.Vanished != 0 || len(sum.Warnings) != 0 {
			t.Errorf("remap: %s %v", sum, sum.Warnings)
		}
		if n := a.bodyFetches() - bodies; n != 0 {
			t.Errorf("remap downloaded bodies again: %d BODY.PEEK[] commands", n)
		}
		t.Logf("remap of 2 mailboxes: %d FETCH commands (Message-IDs only)", a.fetches()-fetches)
		for _, mbox := range []string{"INBOX", "Sent"} {
			if st, _, _ := svc.MailboxState("work", mbox); st.UIDValidity == old[mbox] {
				t.Errorf("%s: cursor kept UIDVALIDITY %d", mbox, st.UIDValidity)
			}
			checkLocations(t, a, svc, db, mbox)
		}
		checkLocations(t, a, svc, db, "Archive")
		if got := shape(t, svc, alice); !equalShape(got, wantA) {
			t.Errorf("alice's threads changed:\n got %v\nwant %v", got, wantA)
		}
		if got := shape(t, svc, bob); !equalShape(got, wantB) {
			t.Errorf("bob's threads changed:\n got %v\nwant %v", got, wantB)
		}
		for _, c := range []crm.ID{alice, bob} {
			for _, cv := range conversations(t, svc, c) {
				for _, m := range cv.Messages {
					want := 1
					if m.MessageID == "u4@creators.example" {
						want = 2
					}
					if len(m.Locations) != want || m.HeaderOnly {
						t.Errorf("%s: locations %+v, header only %v", m.MessageID, m.Locations, m.HeaderOnly)
					}
				}
			}
		}

		before := a.fetches()
		if sum := syncOnce(t, e); sum.New != 0 || sum.Vanished != 0 {
			t.Errorf("resync: %s", sum)
		}
		if n := a.fetches() - before; n != 0 {
			t.Errorf("resync after remap fetched %d times", n)
		}

		// A server that rebuilt its index: new UIDVALIDITY, same UIDs.
		t.Run("in place", func(t *testing.T) {
			r, ok := srv.(inPlaceRenewer)
			if !ok {
				t.Skip("this server cannot change UIDVALIDITY in place")
			}
			st, _, _ := svc.MailboxState("work", "INBOX")
			uids := a.uids("INBOX")
			r.renewInPlace(t, a.user, "INBOX", st.UIDValidity)
			bodies := a.bodyFetches()
			if sum := syncOnce(t, e); sum.New != 0 || sum.Bodies != 0 || sum.Vanished != 0 || len(sum.Warnings) != 0 {
				t.Errorf("remap: %s %v", sum, sum.Warnings)
			}
			if n := a.bodyFetches() - bodies; n != 0 {
				t.Errorf("remap downloaded bodies again: %d BODY.PEEK[] commands", n)
			}
			if st2, _, _ := svc.MailboxState("work", "INBOX"); st2.UIDValidity == st.UIDValidity {
				t.Errorf("cursor kept UIDVALIDITY %d", st.UIDValidity)
			}
			if got := a.uids("INBOX"); !maps.Equal(got, uids) {
				t.Errorf("the server renumbered: %v → %v", uids, got)
			}
			checkLocations(t, a, svc, db, "INBOX")
			if got := shape(t, svc, alice); !equalShape(got, wantA) {
				t.Errorf("alice's threads changed:\n got %v\nwant %v", got, wantA)
			}
		})
	})
}

// TestKillAndResume cancels a first sync, as a kill would, once in the
// header pass (after the second stored batch) and once while bodies
// download (when the fourth body FETCH goes out); the sync that follows
// must end where an uninterrupted one does, without duplicates.
func TestKillAndResume(t *testing.T) {
	t.Parallel()
	onBothServers(t, 3, func(t *testing.T, srv imapServer) {
		testKillAndResume(t, srv)
	})
}

func testKillAndResume(t *testing.T, srv imapServer) {
	const n = 60
	build := func(t *testing.T) *world {
		w := &world{acct: newAccount(t, srv)}
		w.svc, w.db = newServiceDB(t)
		w.alice = addCreator(t, w.svc, "Alice", "alice@creators.example")
		for i := range n {
			m := mail{from: "alice@creators.example", to: testUser, subject: "Note " + itoa(i), id: "k" + itoa(i) + "@creators.example"}
			if i%3 == 1 {
				m.inReplyTo = "<k" + itoa(i-1) + "@creators.example>"
			}
			w.acct.append("INBOX", m.String())
		}
		return w
	}
	ref := build(t)
	syncOnce(t, New(ref.svc, ref.acct.config(t, ""), Options{BatchSize: 7}))
	want := shape(t, ref.svc, ref.alice)

	resume := func(t *testing.T, w *world, e *Engine) {
		t.Helper()
		e.opts.afterBatch = nil
		w.acct.proxy.onLine(nil)
		syncOnce(t, e)
		if got := shape(t, w.svc, w.alice); !equalShape(got, want) {
			t.Errorf("resumed sync differs:\n got %v\nwant %v", got, want)
		}
		if k := known(t, w.svc, "INBOX"); len(k) != n {
			t.Errorf("known: %d", len(k))
		}
		checkLocations(t, w.acct, w.svc, w.db, "INBOX")
		total := 0
		for _, cv := range conversations(t, w.svc, w.alice) {
			for _, m := range cv.Messages {
				total++
				if m.HeaderOnly || !strings.Contains(m.Text, "Hello ") {
					t.Errorf("%s: body missing after resume (header only %v)", m.MessageID, m.HeaderOnly)
				}
			}
		}
		if total != n {
			t.Errorf("stored %d messages, want %d", total, n)
		}
		before := w.acct.fetches()
		if sum := syncOnce(t, e); sum.New != 0 || sum.Bodies != 0 {
			t.Errorf("sync after resume: %s", sum)
		}
		if got := w.acct.fetches() - before; got != 0 {
			t.Errorf("sync after resume: %d FETCH", got)
		}
	}

	t.Run("headers", func(t *testing.T) {
		w := build(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		batches := 0
		e := New(w.svc, w.acct.config(t, ""), Options{BatchSize: 7, afterBatch: func(string, string) {
			batches++
			if batches == 1 {
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
		resume(t, w, e)
	})

	t.Run("bodies", func(t *testing.T) {
		w := build(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		bodies := 0
		w.acct.proxy.onLine(func(line string) {
			if bodyCmd.MatchString(line) {
				mu.Lock()
				bodies++
				if bodies == 4 {
					cancel()
				}
				mu.Unlock()
			}
		})
		e := New(w.svc, w.acct.config(t, ""), Options{BatchSize: 7})
		if _, err := e.SyncOnce(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("killed sync: %v", err)
		}
		// Bodies are fetched while the header pass still runs, so the
		// kill may also have cut that short; either way work is left.
		pending, err := w.svc.PendingBodies("work", 2*n)
		if err != nil {
			t.Fatal(err)
		}
		if k := known(t, w.svc, "INBOX"); len(pending) == 0 && len(k) == n {
			t.Error("nothing left to do after the kill")
		}
		resume(t, w, e)
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestHostileContent: terminal escapes (CSI, OSC 52 clipboard, OSC 0
// title, C1), BEL and bidi overrides in the From name, Subject (raw and
// RFC 2047-encoded), body, Message-ID and attachment name must all be
// stored inert.
func TestHostileContent(t *testing.T) {
	t.Parallel()
	hostile, err := os.ReadFile(filepath.Join("msgparse", "testdata", "hostile.eml"))
	if err != nil {
		t.Fatal(err)
	}
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		a := newAccount(t, srv)
		svc := newService(t)
		eve := addCreator(t, svc, "Eve", "eve@creators.example")
		evil := addCreator(t, svc, "Evil", "evil@attacker.example")
		a.append("INBOX", mail{
			from:    "\"\x1b[31mEve\x1b[0m\u202e\" <eve@creators.example>",
			to:      testUser,
			subject: "\x1b]0;pwned\x07Hi \x1b]52;c;ZWNobyBwd25lZA==\x07there",
			id:      "evil@creators.example",
			body:    "line\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07 end\x9b31m",
		}.String())
		a.append("INBOX", mail{from: "eve@creators.example", to: testUser, id: "evil2@creators.example",
			subject: "=?utf-8?q?=1B]0;title=07encoded?=", body: "ok"}.String())
		// msgparse's hostile fixture: escapes in the Message-ID, an
		// encoded From name and a right-to-left override in the
		// attachment name; its body also holds a NUL byte.
		a.appendAt("INBOX", hostile, time.Time{})
		syncOnce(t, New(svc, a.config(t, ""), Options{}))
		n := 0
		for _, c := range append(conversations(t, svc, eve), conversations(t, svc, evil)...) {
			for _, m := range c.Messages {
				n++
				if m.HeaderOnly {
					t.Errorf("%s: body not fetched", m.MessageID)
				}
				checkNoControls(t, m)
				if s := c.Thread.Subject; strings.ContainsAny(s, "\x1b\x07\u009b\u202e") {
					t.Errorf("control sequence in thread subject: %q", s)
				}
			}
		}
		if n != 3 {
			t.Fatalf("messages: %d", n)
		}
		if m := message(t, svc, eve, "evil@creators.example"); !strings.Contains(m.Subject, "Hi") || !strings.Contains(m.Subject, "there") ||
			!strings.Contains(m.Text, "line") || !strings.Contains(m.Text, "end") {
			t.Errorf("text around the escapes lost: subject %q, text %q", m.Subject, m.Text)
		}
		m := message(t, svc, evil, "evil@attacker.example")
		if m.Subject != "Urgent payment gnp.exe red" || m.From.Name != "EvilCorp" || len(m.Attachments) != 1 || m.Attachments[0].Name != "invoicefdp.exe" {
			t.Errorf("hostile fixture: subject %q, from %q, attachments %+v", m.Subject, m.From.Name, m.Attachments)
		}
		// Dovecot turns the NUL into 0x80 on APPEND (imapmemserver
		// keeps it), so its copy reads as windows-1252 and ends in "€".
		if !strings.HasPrefix(m.Text, "Hello\nClick here now\ndone C1") {
			t.Errorf("hostile fixture text: %q", m.Text)
		}
		t.Logf("hostile fixture: text %q, problems %q", m.Text, m.Problems)
	})
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
	// The failed account is not counted as synced nor its failure
	// repeated as a warning; the status bar gets the cause, not a count.
	if sum.Accounts != 0 || len(sum.Warnings) != 0 {
		t.Errorf("summary of a refused login: %s %v", sum, sum.Warnings)
	}
	if st := svc.SyncStatus(); !strings.Contains(st.LastErr, "account work: ") || !strings.Contains(st.LastErr, "refused") {
		t.Errorf("status: %q", st.LastErr)
	}
}

func TestSilentServer(t *testing.T) {
	addr := silentServer(t)
	ts := &testServer{}
	svc := newService(t)
	e := New(svc, ts.configAt(t, addr, ""), Options{CommandTimeout: 300 * time.Millisecond})
	// errTimeout is the watchdog's: the sync was cut off, not left to
	// wait for a greeting that never comes.
	_, err := e.SyncOnce(context.Background())
	if err == nil || !errors.Is(err, errTimeout) {
		t.Errorf("err = %v", err)
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

// TestIdle runs the background loop: new mail and a burst of expunges in
// INBOX reach it through IDLE, Sent through SyncNow.
func TestIdle(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		a := newAccount(t, srv)
		svc := newService(t)
		alice := addCreator(t, svc, "Alice", "alice@creators.example")
		for i := range 4 {
			a.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "First " + itoa(i), id: "i1-" + itoa(i) + "@x.example"}.String())
		}
		// A short IdleRestart exercises the renewal (DONE, IDLE) many times.
		e := New(svc, a.config(t, ""), Options{IdleRestart: 50 * time.Millisecond})
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
		count := func() int {
			n := 0
			for _, ids := range shape(t, svc, alice) {
				n += len(ids)
			}
			return n
		}
		waitUntil(t, "first sync", func() bool { return count() == 4 })
		// Let the IDLE connection settle, then deliver.
		time.Sleep(200 * time.Millisecond)
		start := time.Now()
		a.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "Second", id: "i2@x.example"}.String())
		waitUntil(t, "new mail through IDLE", func() bool { return count() == 5 })
		t.Logf("new mail stored %v after delivery", time.Since(start).Round(time.Millisecond))

		start = time.Now()
		a.expunge("INBOX", true, "i1-2@x.example", "i1-0@x.example", "i1-3@x.example")
		waitUntil(t, "expunges through IDLE", func() bool { return len(known(t, svc, "INBOX")) == 2 })
		t.Logf("3 expunges noticed %v after the EXPUNGE", time.Since(start).Round(time.Millisecond))
		if m := message(t, svc, alice, "i1-1@x.example"); len(m.Locations) != 1 {
			t.Errorf("the survivor lost its location: %+v", m.Locations)
		}

		// SyncNow picks up what IDLE does not watch (Sent).
		a.append("Sent", mail{from: testUser, to: "alice@creators.example", subject: "Third", id: "i3@x.example"}.String())
		e.SyncNow()
		waitUntil(t, "SyncNow", func() bool { return count() == 6 })
	})
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
