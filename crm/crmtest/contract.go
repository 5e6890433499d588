package crmtest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"roster/crm"
)

// MailContract runs the behaviours crm.MailTx promises against the
// repositories open makes, one fresh repository per subtest. Memory and
// the bbolt store both run it, so the unit tests that use Memory can trust
// that the store answers the same. check, when not nil, runs after every
// write: the store passes one that compares its indexes with its records.
func MailContract(t *testing.T, open func(t *testing.T) crm.Repository, check func(t *testing.T, r crm.Repository)) {
	if check == nil {
		check = func(*testing.T, crm.Repository) {}
	}
	for _, c := range []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"IndexesFollowAMessage", testIndexesFollowAMessage},
		{"UnmatchedNewestFirst", testUnmatchedNewestFirst},
		{"UnmatchedFromNormalises", testUnmatchedFromNormalises},
		{"PendingBodies", testPendingBodies},
		{"PutBody", testPutBody},
		{"LocationsPerUIDValidity", testLocations},
		{"Threads", testThreads},
		{"ThreadRefs", testThreadRefs},
		{"DeleteThread", testDeleteThread},
		{"Versions", testVersions},
		{"RollbackLeavesNothing", testRollback},
		{"NotifyOnCommitOnly", testNotify},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, &harness{r: open(t), check: check})
		})
	}
}

type harness struct {
	r     crm.Repository
	check func(*testing.T, crm.Repository)
}

func (h *harness) update(t *testing.T, fn func(crm.Tx) error) {
	t.Helper()
	if err := h.r.Update(fn); err != nil {
		t.Fatal(err)
	}
	h.check(t, h.r)
}

func (h *harness) view(t *testing.T, fn func(crm.Tx) error) {
	t.Helper()
	if err := h.r.View(fn); err != nil {
		t.Fatal(err)
	}
}

// put stores each message (creating or updating it) in one transaction.
func (h *harness) put(t *testing.T, ms ...*crm.Message) {
	t.Helper()
	h.update(t, func(tx crm.Tx) error {
		for _, m := range ms {
			if err := tx.PutMessage(m); err != nil {
				return err
			}
		}
		return nil
	})
}

func (h *harness) putThread(t *testing.T, ths ...*crm.Thread) {
	t.Helper()
	h.update(t, func(tx crm.Tx) error {
		for _, th := range ths {
			if err := tx.PutThread(th); err != nil {
				return err
			}
		}
		return nil
	})
}

var day0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return day0.AddDate(0, 0, n) }

// msg is an unmatched, header-only message of account "work".
func msg(id crm.ID, from string, date time.Time) *crm.Message {
	return &crm.Message{
		ID: id, MessageID: string(id) + "@mail.example", ThreadID: "t-" + id,
		Account: "work", From: crm.Address{Email: from}, Date: date,
		Subject: "hello", Direction: crm.In, HeaderOnly: true,
		Locations: []crm.Location{},
	}
}

func ids(ms []crm.Message) []crm.ID {
	out := []crm.ID{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func threadIDs(ts []crm.Thread) []crm.ID {
	out := []crm.ID{}
	for _, th := range ts {
		out = append(out, th.ID)
	}
	return out
}

// want compares ID lists, nil and empty alike.
func want(t *testing.T, what string, got []crm.ID, exp ...crm.ID) {
	t.Helper()
	if len(got) != 0 || len(exp) != 0 {
		if !slices.Equal(got, exp) {
			t.Errorf("%s = %v, want %v", what, got, exp)
		}
	}
}

// mailView is what the indexes say about the mail of testIndexes.
type mailView struct {
	byMID           crm.ID
	inT1, inT2      []crm.ID
	unmatched       []crm.ID
	fromMaya, other []crm.ID
	pending         []crm.ID
}

func (h *harness) mailView(t *testing.T, mid string) mailView {
	t.Helper()
	var v mailView
	h.view(t, func(tx crm.Tx) error {
		id, ok, err := tx.MessageByMessageID(mid)
		if err != nil {
			return err
		}
		if ok {
			v.byMID = id
		}
		for _, x := range []struct {
			thread crm.ID
			dst    *[]crm.ID
		}{{"t1", &v.inT1}, {"t2", &v.inT2}} {
			ms, err := tx.MessagesOfThread(x.thread)
			if err != nil {
				return err
			}
			*x.dst = ids(ms)
		}
		um, err := tx.Unmatched(0)
		if err != nil {
			return err
		}
		v.unmatched = ids(um)
		if v.fromMaya, err = tx.UnmatchedFrom("maya@example.com"); err != nil {
			return err
		}
		if v.other, err = tx.UnmatchedFrom("leo@example.com"); err != nil {
			return err
		}
		pb, err := tx.PendingBodies("work", 0)
		v.pending = ids(pb)
		return err
	})
	return v
}

// testIndexesFollowAMessage walks one message through what sync and the
// user do to it and checks every index after each step.
func testIndexesFollowAMessage(t *testing.T, h *harness) {
	m := msg("m1", "Maya@Example.com", day(1))
	m.ThreadID = "t1"
	other := msg("m2", "maya+news@example.com", day(2))
	other.ThreadID = "t1"
	h.put(t, m, other)

	steps := []struct {
		name   string
		change func(m *crm.Message)
		mid    string
		want   mailView
	}{
		{"new", func(*crm.Message) {}, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m1", "m2"}, unmatched: []crm.ID{"m2", "m1"}, fromMaya: []crm.ID{"m1", "m2"}}},
		{"moves thread", func(m *crm.Message) { m.ThreadID = "t2" }, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m2"}, inT2: []crm.ID{"m1"}, unmatched: []crm.ID{"m2", "m1"}, fromMaya: []crm.ID{"m1", "m2"}}},
		{"gets a creator", func(m *crm.Message) { m.CreatorID = "c1" }, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m2"}, inT2: []crm.ID{"m1"}, unmatched: []crm.ID{"m2"}, fromMaya: []crm.ID{"m2"}, pending: []crm.ID{"m1"}}},
		{"body arrives", func(m *crm.Message) { m.HeaderOnly, m.Text = false, "Hi!" }, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m2"}, inT2: []crm.ID{"m1"}, unmatched: []crm.ID{"m2"}, fromMaya: []crm.ID{"m2"}}},
		{"unlinked and bulk", func(m *crm.Message) { m.CreatorID, m.Bulk = "", true }, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m2"}, inT2: []crm.ID{"m1"}, unmatched: []crm.ID{"m2"}, fromMaya: []crm.ID{"m2"}}},
		{"not bulk, other sender, newer", func(m *crm.Message) {
			m.Bulk, m.From.Email, m.Date = false, "leo@example.com", day(3)
		}, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m2"}, inT2: []crm.ID{"m1"}, unmatched: []crm.ID{"m1", "m2"}, fromMaya: []crm.ID{"m2"}, other: []crm.ID{"m1"}}},
		{"older than m2 again", func(m *crm.Message) { m.Date = day(0) }, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m2"}, inT2: []crm.ID{"m1"}, unmatched: []crm.ID{"m2", "m1"}, fromMaya: []crm.ID{"m2"}, other: []crm.ID{"m1"}}},
		{"back to t1, header-only for a creator", func(m *crm.Message) {
			m.ThreadID, m.CreatorID, m.HeaderOnly = "t1", "c2", true
		}, "m1@mail.example", mailView{
			byMID: "m1", inT1: []crm.ID{"m1", "m2"}, unmatched: []crm.ID{"m2"}, fromMaya: []crm.ID{"m2"}, pending: []crm.ID{"m1"}}},
		{"Message-ID replaced", func(m *crm.Message) { m.MessageID = "new@mail.example" }, "m1@mail.example", mailView{
			inT1: []crm.ID{"m1", "m2"}, unmatched: []crm.ID{"m2"}, fromMaya: []crm.ID{"m2"}, pending: []crm.ID{"m1"}}},
	}
	for _, s := range steps {
		s.change(m)
		h.put(t, m)
		got := h.mailView(t, s.mid)
		if got.byMID != s.want.byMID {
			t.Errorf("%s: MessageByMessageID(%q) = %q, want %q", s.name, s.mid, got.byMID, s.want.byMID)
		}
		want(t, s.name+": MessagesOfThread(t1)", got.inT1, s.want.inT1...)
		want(t, s.name+": MessagesOfThread(t2)", got.inT2, s.want.inT2...)
		want(t, s.name+": Unmatched", got.unmatched, s.want.unmatched...)
		want(t, s.name+": UnmatchedFrom(maya)", got.fromMaya, s.want.fromMaya...)
		want(t, s.name+": UnmatchedFrom(leo)", got.other, s.want.other...)
		want(t, s.name+": PendingBodies", got.pending, s.want.pending...)
	}
	h.view(t, func(tx crm.Tx) error {
		if id, ok, _ := tx.MessageByMessageID("new@mail.example"); !ok || id != "m1" {
			t.Errorf("MessageByMessageID(new) = %q, %v", id, ok)
		}
		got, err := tx.Message("m1")
		if err != nil {
			return err
		}
		// Header-only again: a message without its body has no text.
		if got.Version != m.Version || got.Text != "" || !got.HeaderOnly || !got.Date.Equal(day(0)) || got.CreatorID != "c2" {
			t.Errorf("stored %+v", got)
		}
		return nil
	})
}

func testUnmatchedNewestFirst(t *testing.T, h *harness) {
	a := msg("m1", "ana@example.com", day(1))
	b := msg("m2", "spam@example.com", day(5))
	c := msg("m3", "bo@example.com", day(3))
	d := msg("m4", "news@example.com", day(6))
	d.Bulk = true
	e := msg("m5", "maya@example.com", day(7))
	e.CreatorID = "c1"
	f := msg("m6", "bo@example.com", day(3)) // same date as m3: later ID first
	h.put(t, a, b, c, d, e, f)

	list := func(limit int) []crm.ID {
		var out []crm.Message
		h.view(t, func(tx crm.Tx) (err error) {
			out, err = tx.Unmatched(limit)
			return err
		})
		return ids(out)
	}
	want(t, "Unmatched(0)", list(0), "m2", "m6", "m3", "m1")
	want(t, "Unmatched(2)", list(2), "m2", "m6")

	h.update(t, func(tx crm.Tx) error { return tx.PutIgnored(" Spam@Example.COM") })
	g := msg("m7", "spam+more@example.com", day(9)) // arrives after the ignore
	h.put(t, g)
	want(t, "Unmatched after ignoring spam@", list(0), "m6", "m3", "m1")
	want(t, "Unmatched(1) after ignoring spam@", list(1), "m6")
	h.view(t, func(tx crm.Tx) error {
		for addr, exp := range map[string]bool{"spam@example.com": true, "SPAM+x@example.com": true, "bo@example.com": false, "": false} {
			if got, err := tx.IsIgnored(addr); err != nil || got != exp {
				t.Errorf("IsIgnored(%q) = %v, %v", addr, got, err)
			}
		}
		// Linking an ignored address to a creator still finds its mail.
		got, err := tx.UnmatchedFrom("spam@example.com")
		want(t, "UnmatchedFrom(ignored)", got, "m2", "m7")
		return err
	})
	// Ignoring twice is harmless; an empty address is refused.
	h.update(t, func(tx crm.Tx) error { return tx.PutIgnored("spam@example.com") })
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutIgnored("  ") }); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("PutIgnored(blank) = %v", err)
	}
	// Ignored lists the sender; lifting the ignore lists its mail again,
	// the mail that came while it held included.
	h.view(t, func(tx crm.Tx) error {
		got, err := tx.Ignored()
		if !slices.Equal(got, []string{"spam@example.com"}) {
			t.Errorf("Ignored() = %q, want [spam@example.com]", got)
		}
		return err
	})
	h.update(t, func(tx crm.Tx) error { return tx.DeleteIgnored("SPAM+y@example.com") })
	want(t, "Unmatched after lifting the ignore", list(0), "m7", "m2", "m6", "m3", "m1")
	h.view(t, func(tx crm.Tx) error {
		if got, err := tx.Ignored(); len(got) != 0 || err != nil {
			t.Errorf("Ignored() after lifting = %q, %v", got, err)
		}
		return nil
	})
	if err := h.r.Update(func(tx crm.Tx) error { return tx.DeleteIgnored("spam@example.com") }); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("DeleteIgnored(not ignored) = %v, want ErrNotFound", err)
	}
	h.update(t, func(tx crm.Tx) error { return tx.PutIgnored("spam@example.com") })
	want(t, "Unmatched after ignoring again", list(0), "m6", "m3", "m1")
	// Mail that stops being unmatched leaves; mail that becomes it comes.
	e.CreatorID = ""
	c.CreatorID = "c2"
	h.put(t, e, c)
	want(t, "Unmatched after relinking", list(0), "m5", "m6", "m1")
}

func testUnmatchedFromNormalises(t *testing.T, h *harness) {
	h.put(t,
		msg("m1", "maya@gmail.com", day(1)),
		msg("m2", "M.A.Y.A@googlemail.com", day(2)),
		msg("m3", "maya@gmail.com/x", day(3)), // shares the key prefix
		msg("m4", "mayan@gmail.com", day(4)),
		msg("m5", "", day(5)),
	)
	h.view(t, func(tx crm.Tx) error {
		for addr, exp := range map[string][]crm.ID{
			"Maya+x@GMail.com": {"m1", "m2"},
			"maya@gmail.com/x": {"m3"},
			"maya":             nil,
			"":                 {"m5"},
		} {
			got, err := tx.UnmatchedFrom(addr)
			if err != nil {
				return err
			}
			want(t, "UnmatchedFrom("+addr+")", got, exp...)
		}
		return nil
	})
}

func testPendingBodies(t *testing.T, h *harness) {
	var ms []*crm.Message
	for i, acct := range []string{"work", "home", "work", "work/2", "work", "work"} {
		m := msg(crm.ID("m"+string(rune('1'+i))), "maya@example.com", day(10-i))
		m.Account, m.CreatorID = acct, "c1"
		ms = append(ms, m)
	}
	ms[4].HeaderOnly = false // has its body
	ms[5].CreatorID = ""     // unmatched: its body can wait
	h.put(t, ms...)
	h.view(t, func(tx crm.Tx) error {
		for _, c := range []struct {
			account string
			limit   int
			want    []crm.ID
		}{
			{"work", 0, []crm.ID{"m1", "m3"}},
			{"work", 1, []crm.ID{"m1"}},
			{"home", 0, []crm.ID{"m2"}},
			{"work/2", 0, []crm.ID{"m4"}},
			{"nowhere", 0, nil},
		} {
			got, err := tx.PendingBodies(c.account, c.limit)
			if err != nil {
				return err
			}
			want(t, "PendingBodies("+c.account+")", ids(got), c.want...)
		}
		return nil
	})
}

// testPutBody: a body put on a header-only message reads back with it,
// takes it off the pending list, leaves its version alone, and survives
// a later write of the message (a new location). A store that encodes
// bodies (crm.BodyEncoder) is given the body both ways: encoded ahead, as
// SetBodies gives it, and not, when PutBody encodes it itself.
func testPutBody(t *testing.T, h *harness) {
	att := []crm.Attachment{{Name: "rates.pdf", Type: "application/pdf", Size: 1234}}
	enc, _ := h.r.(crm.BodyEncoder)
	for _, id := range []crm.ID{"m2", "m1"} {
		ahead := id == "m1" && enc != nil
		m := msg(id, "maya@example.com", day(1))
		m.CreatorID = "c1"
		m.Problems = []string{"header problem"}
		h.put(t, m)
		put := func(text string) bool {
			t.Helper()
			b := &crm.Body{Text: text, Attachments: att, Problems: []string{"charset x-unknown read as UTF-8"}}
			if ahead {
				// The store's own encoding, made ahead as SetBodies
				// makes it, must read back as the fields it encodes.
				var err error
				if b.Encoded, err = enc.EncodeBody(b); err != nil {
					t.Fatal(err)
				}
			}
			var stored bool
			h.update(t, func(tx crm.Tx) (err error) {
				stored, err = tx.PutBody(m, b)
				return err
			})
			return stored
		}
		if !put("Hi Sam,\nrates attached.") {
			t.Errorf("%s (encoded ahead %v): PutBody on a header-only message stored nothing", id, ahead)
		}
		check := func(when string) {
			t.Helper()
			h.view(t, func(tx crm.Tx) error {
				got, err := tx.Message(id)
				if err != nil {
					return err
				}
				if got.HeaderOnly || got.Text != "Hi Sam,\nrates attached." || len(got.Attachments) != 1 || got.Attachments[0] != att[0] ||
					!slices.Equal(got.Problems, []string{"charset x-unknown read as UTF-8"}) || got.Version != 1 {
					t.Errorf("%s (encoded ahead %v), %s: message = %+v", id, ahead, when, got)
				}
				pending, err := tx.PendingBodies("work", 0)
				if err != nil {
					return err
				}
				want(t, when+": PendingBodies", ids(pending))
				return nil
			})
		}
		check("after PutBody")
		if put("a second copy's body") {
			t.Errorf("%s (encoded ahead %v): PutBody replaced a body already there", id, ahead)
		}
		check("after a second PutBody")
	}
	h.update(t, func(tx crm.Tx) error {
		got, err := tx.Message("m1")
		if err != nil {
			return err
		}
		got.Locations = append(got.Locations, crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: 7})
		return tx.PutMessage(&got)
	})
	h.view(t, func(tx crm.Tx) error {
		got, err := tx.Message("m1")
		if err != nil {
			return err
		}
		if got.Text == "" || got.HeaderOnly || len(got.Attachments) != 1 || len(got.Locations) != 1 || got.Version != 2 {
			t.Errorf("after a later PutMessage: %+v", got)
		}
		return nil
	})
	if err := h.r.Update(func(tx crm.Tx) error {
		_, err := tx.PutBody(msg("nope", "x@y", day(1)), &crm.Body{})
		return err
	}); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("PutBody of an unknown message = %v", err)
	}
}

func testLocations(t *testing.T, h *harness) {
	loc := func(acct, box string, validity, uid uint32) crm.Location {
		return crm.Location{Account: acct, Mailbox: box, UIDValidity: validity, UID: uid}
	}
	in := func(acct, box string) map[uint32]crm.ID {
		var out map[uint32]crm.ID
		h.view(t, func(tx crm.Tx) (err error) {
			out, err = tx.LocationsIn(acct, box)
			return err
		})
		return out
	}
	wantLocs := func(what string, got, exp map[uint32]crm.ID) {
		t.Helper()
		if len(got) != len(exp) {
			t.Errorf("%s = %v, want %v", what, got, exp)
			return
		}
		for k, v := range exp {
			if got[k] != v {
				t.Errorf("%s = %v, want %v", what, got, exp)
				return
			}
		}
	}
	h.update(t, func(tx crm.Tx) error {
		for l, m := range map[crm.Location]crm.ID{
			loc("work", "INBOX", 7, 1):       "m1",
			loc("work", "INBOX", 7, 2):       "m2",
			loc("work", "INBOX", 7, 300):     "m3",
			loc("work", "INBOX.Sub", 7, 4):   "m4",
			loc("work", "INBO", 7, 5):        "m5",
			loc("home", "INBOX", 7, 1):       "m6",
			loc("work", "Archive", 1, 9):     "m1",
			loc("work", "Archive", 2, 9):     "m2",
			loc("work", "Archive", 2, 1<<31): "m3",
		} {
			if err := tx.PutLocation(l, m); err != nil {
				return err
			}
		}
		return nil
	})
	// No state yet: everything, the higher UIDVALIDITY winning a UID.
	wantLocs("INBOX without state", in("work", "INBOX"), map[uint32]crm.ID{1: "m1", 2: "m2", 300: "m3"})
	wantLocs("Archive without state", in("work", "Archive"), map[uint32]crm.ID{9: "m2", 1 << 31: "m3"})
	wantLocs("home INBOX", in("home", "INBOX"), map[uint32]crm.ID{1: "m6"})
	wantLocs("unknown mailbox", in("work", "Trash"), nil)

	st := crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 7, UIDNext: 301, HighestModSeq: 1 << 40, Count: 3}
	h.update(t, func(tx crm.Tx) error { return tx.PutMailboxState(st) })
	h.view(t, func(tx crm.Tx) error {
		got, ok, err := tx.MailboxState("work", "INBOX")
		if err != nil || !ok || got != st {
			t.Errorf("MailboxState = %+v, %v, %v; want %+v", got, ok, err, st)
		}
		if _, ok, err := tx.MailboxState("work", "INBOX.Sub"); ok || err != nil {
			t.Errorf("MailboxState of a mailbox never synced: %v, %v", ok, err)
		}
		return nil
	})
	wantLocs("INBOX at 7", in("work", "INBOX"), map[uint32]crm.ID{1: "m1", 2: "m2", 300: "m3"})

	// The server renumbers INBOX: the old UIDs stop counting at once.
	h.update(t, func(tx crm.Tx) error {
		if err := tx.PutLocation(loc("work", "INBOX", 8, 1), "m2"); err != nil {
			return err
		}
		st.UIDValidity = 8
		return tx.PutMailboxState(st)
	})
	wantLocs("INBOX at 8", in("work", "INBOX"), map[uint32]crm.ID{1: "m2"})

	h.update(t, func(tx crm.Tx) error {
		if err := tx.DeleteLocation(loc("work", "INBOX", 8, 1)); err != nil {
			return err
		}
		return tx.DeleteLocation(loc("work", "INBOX", 8, 99)) // unknown: fine
	})
	wantLocs("INBOX after delete", in("work", "INBOX"), nil)
	wantLocs("INBOX.Sub untouched", in("work", "INBOX.Sub"), map[uint32]crm.ID{4: "m4"})

	for _, bad := range []crm.Location{loc("work", "IN\x00BOX", 1, 1), loc("", "INBOX", 1, 1), loc("work", "", 1, 1)} {
		if err := h.r.Update(func(tx crm.Tx) error { return tx.PutLocation(bad, "m1") }); !errors.Is(err, crm.ErrInvalid) {
			t.Errorf("PutLocation(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}

func testThreads(t *testing.T, h *harness) {
	// Within one transaction, reads see the writes before them.
	h.update(t, func(tx crm.Tx) error {
		for i, id := range []crm.ID{"t0", "t00"} {
			if ts, err := tx.ThreadsOf("c0"); err != nil || len(ts) != i {
				t.Errorf("ThreadsOf before put %d: %v, %v", i, threadIDs(ts), err)
			}
			if err := tx.PutThread(&crm.Thread{ID: id, CreatorID: "c0", LastAt: day(i)}); err != nil {
				return err
			}
		}
		ts, err := tx.ThreadsOf("c0")
		want(t, "ThreadsOf(c0) in the writing transaction", threadIDs(ts), "t00", "t0")
		return err
	})

	t1 := &crm.Thread{ID: "t1", CreatorID: "c1", Subject: "collab", LastAt: day(1), LastDirection: crm.Out}
	t2 := &crm.Thread{ID: "t2", CreatorID: "c1", Subject: "invoice", LastAt: day(3), LastDirection: crm.In}
	t3 := &crm.Thread{ID: "t3", CreatorID: "c2", LastAt: day(2)}
	t4 := &crm.Thread{ID: "t4", CreatorID: "c1", LastAt: day(1)} // ties t1: later ID first
	t5 := &crm.Thread{ID: "t5", LastAt: day(9)}                  // unmatched
	h.putThread(t, t1, t2, t3, t4, t5)

	of := func(c crm.ID) []crm.ID {
		var out []crm.Thread
		h.view(t, func(tx crm.Tx) (err error) {
			out, err = tx.ThreadsOf(c)
			return err
		})
		return threadIDs(out)
	}
	want(t, "ThreadsOf(c1)", of("c1"), "t2", "t4", "t1")
	want(t, "ThreadsOf(c2)", of("c2"), "t3")
	want(t, "ThreadsOf(nobody)", of("nobody"))

	t1.CreatorID, t1.LastAt = "c2", day(4) // moves to c2 and is newest there
	t4.CreatorID = ""                      // unlinked
	h.putThread(t, t1, t4)
	want(t, "ThreadsOf(c1) after moves", of("c1"), "t2")
	want(t, "ThreadsOf(c2) after moves", of("c2"), "t1", "t3")
	turn := func(c crm.ID) crm.Turn {
		var out crm.Turn
		h.view(t, func(tx crm.Tx) (err error) {
			out, err = tx.TurnOf(c)
			return err
		})
		return out
	}
	for c, wantTurn := range map[crm.ID]crm.Turn{
		"c1": {LastAt: day(3), ReplyOwed: true}, "c2": {LastAt: day(4)}, "nobody": {},
	} {
		if got := turn(c); !got.LastAt.Equal(wantTurn.LastAt) || got.ReplyOwed != wantTurn.ReplyOwed {
			t.Errorf("TurnOf(%s) = %+v, want %+v", c, got, wantTurn)
		}
	}
	// A thread's newer message moves the turn; an older thread catching
	// up past it takes the turn over.
	t2.LastAt, t2.LastDirection = day(5), crm.Out
	h.putThread(t, t2)
	if got := turn("c1"); !got.LastAt.Equal(day(5)) || got.ReplyOwed {
		t.Errorf("TurnOf(c1) after an answer = %+v", got)
	}
	t3.LastAt, t3.LastDirection = day(6), crm.In
	h.putThread(t, t3)
	if got := turn("c2"); !got.LastAt.Equal(day(6)) || !got.ReplyOwed {
		t.Errorf("TurnOf(c2) after a reply in an older thread = %+v", got)
	}

	h.view(t, func(tx crm.Tx) error {
		got, err := tx.Thread("t1")
		if err != nil {
			return err
		}
		if got.Version != 2 || got.CreatorID != "c2" || got.Subject != "collab" || !got.LastAt.Equal(day(4)) || got.LastDirection != crm.Out {
			t.Errorf("stored %+v", got)
		}
		return nil
	})
}

func testThreadRefs(t *testing.T, h *harness) {
	h.update(t, func(tx crm.Tx) error {
		// A reply arrives first: its parent is only a ghost reference.
		if err := tx.PutThreadRef("reply@x", "t1"); err != nil {
			return err
		}
		return tx.PutThreadRef("parent@x", "t1")
	})
	lookup := func(mid string) (crm.ID, bool) {
		var id crm.ID
		var ok bool
		h.view(t, func(tx crm.Tx) (err error) {
			id, ok, err = tx.ThreadByRef(mid)
			return err
		})
		return id, ok
	}
	if id, ok := lookup("parent@x"); !ok || id != "t1" {
		t.Errorf("ThreadByRef(ghost) = %q, %v", id, ok)
	}
	if _, ok := lookup("parent@X"); ok {
		t.Error("ThreadByRef matched a Message-ID it was not given; the domain normalises, not the repository")
	}
	if _, ok := lookup(""); ok {
		t.Error("ThreadByRef(\"\") found something")
	}
	// A merge re-points the references.
	h.update(t, func(tx crm.Tx) error { return tx.PutThreadRef("parent@x", "t2") })
	if id, _ := lookup("parent@x"); id != "t2" {
		t.Errorf("ThreadByRef after re-pointing = %q", id)
	}
	if id, _ := lookup("reply@x"); id != "t1" {
		t.Errorf("re-pointing one ref moved another: %q", id)
	}
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutThreadRef("", "t1") }); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("PutThreadRef(\"\") = %v", err)
	}
}

func testDeleteThread(t *testing.T, h *harness) {
	keep := &crm.Thread{ID: "t1", CreatorID: "c1", LastAt: day(1)}
	gone := &crm.Thread{ID: "t2", CreatorID: "c1", LastAt: day(2)}
	h.putThread(t, keep, gone)
	m := msg("m1", "maya@example.com", day(2))
	m.ThreadID, m.CreatorID = "t2", "c1"
	h.put(t, m)

	if err := h.r.Update(func(tx crm.Tx) error { return tx.DeleteThread("t2") }); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("deleting a thread that still holds mail: %v, want ErrInvalid", err)
	}
	// The merge: move the mail, then delete the empty thread.
	h.update(t, func(tx crm.Tx) error {
		m.ThreadID = "t1"
		if err := tx.PutMessage(m); err != nil {
			return err
		}
		return tx.DeleteThread("t2")
	})
	h.view(t, func(tx crm.Tx) error {
		if _, err := tx.Thread("t2"); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("Thread(deleted) = %v, want ErrNotFound", err)
		}
		ts, err := tx.ThreadsOf("c1")
		want(t, "ThreadsOf after delete", threadIDs(ts), "t1")
		return err
	})
	if err := h.r.Update(func(tx crm.Tx) error { return tx.DeleteThread("t2") }); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	// The ID can be used again from version 0.
	h.putThread(t, &crm.Thread{ID: "t2", LastAt: day(3)})
}

func testVersions(t *testing.T, h *harness) {
	m := msg("m1", "maya@example.com", day(1))
	h.put(t, m)
	if m.Version != 1 {
		t.Fatalf("created message at version %d", m.Version)
	}
	stale := *m
	m.Subject = "first"
	h.put(t, m)
	stale.Subject = "second"
	var ce *crm.ConflictError
	err := h.r.Update(func(tx crm.Tx) error { return tx.PutMessage(&stale) })
	if !errors.As(err, &ce) || !errors.Is(err, crm.ErrConflict) || *ce != (crm.ConflictError{Kind: "message", ID: "m1", Have: 1, Current: 2}) {
		t.Errorf("stale message: %v", err)
	}
	if stale.Version != 1 {
		t.Errorf("a refused put changed the caller's version to %d", stale.Version)
	}
	again := msg("m1", "maya@example.com", day(1))
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutMessage(again) }); !errors.As(err, &ce) || ce.Kind != "message" {
		t.Errorf("creating an existing message: %v", err)
	}
	ghost := msg("m9", "maya@example.com", day(1))
	ghost.Version = 3
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutMessage(ghost) }); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("updating a message that does not exist: %v", err)
	}
	dup := msg("m2", "leo@example.com", day(2))
	dup.MessageID = m.MessageID
	var de *crm.DuplicateError
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutMessage(dup) }); !errors.As(err, &de) || de.Owner != "m1" {
		t.Errorf("second message with m1's Message-ID: %v", err)
	}
	for _, bad := range []func(*crm.Message){
		func(m *crm.Message) { m.MessageID = "" },
		func(m *crm.Message) { m.ThreadID = "" },
		func(m *crm.Message) { m.ID = "a/b" },
	} {
		x := msg("m3", "leo@example.com", day(3))
		bad(x)
		if err := h.r.Update(func(tx crm.Tx) error { return tx.PutMessage(x) }); !errors.Is(err, crm.ErrInvalid) {
			t.Errorf("PutMessage(%+v) = %v, want ErrInvalid", x, err)
		}
	}

	th := &crm.Thread{ID: "t1", LastAt: day(1)}
	h.putThread(t, th)
	staleTh := *th
	h.putThread(t, th)
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutThread(&staleTh) }); !errors.As(err, &ce) || *ce != (crm.ConflictError{Kind: "thread", ID: "t1", Have: 1, Current: 2}) {
		t.Errorf("stale thread: %v", err)
	}

	h.view(t, func(tx crm.Tx) error {
		got, err := tx.Message("m1")
		if err != nil || got.Subject != "first" || got.Version != 2 {
			t.Errorf("after the conflict: %q v%d, %v", got.Subject, got.Version, err)
		}
		if _, err := tx.Message("nope"); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("Message(missing) = %v", err)
		}
		if _, err := tx.Thread("nope"); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("Thread(missing) = %v", err)
		}
		if _, ok, err := tx.MessageByMessageID("nope@x"); ok || err != nil {
			t.Errorf("MessageByMessageID(missing) = %v, %v", ok, err)
		}
		return nil
	})
}

// testRollback checks that a failed transaction leaves no trace in any
// record or index, Memory's copy-on-write included.
func testRollback(t *testing.T, h *harness) {
	m := msg("m1", "maya@example.com", day(1))
	th := &crm.Thread{ID: "t-m1", CreatorID: "c1", LastAt: day(1)}
	h.put(t, m)
	h.putThread(t, th)
	boom := errors.New("boom")
	err := h.r.Update(func(tx crm.Tx) error {
		m2 := msg("m2", "leo@example.com", day(2))
		m2.CreatorID = "c1"
		th2 := *th
		th2.CreatorID = "c2"
		m1 := *m
		m1.ThreadID = "t-m2"
		loc := crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: 1}
		for _, err := range []error{
			tx.PutMessage(m2), tx.PutThread(&th2), tx.PutMessage(&m1),
			tx.PutThreadRef("m2@mail.example", "t-m2"), tx.PutLocation(loc, "m2"),
			tx.PutMailboxState(crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 1}),
			tx.PutIgnored("maya@example.com"), tx.DeleteThread("t-m1"),
		} {
			if err != nil && !errors.Is(err, crm.ErrInvalid) {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	h.check(t, h.r)
	h.view(t, func(tx crm.Tx) error {
		if _, err := tx.Message("m2"); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("rolled-back message is there: %v", err)
		}
		if _, ok, _ := tx.MessageByMessageID("m2@mail.example"); ok {
			t.Error("rolled-back Message-ID is indexed")
		}
		if got, _ := tx.Thread("t-m1"); got.CreatorID != "c1" || got.Version != 1 {
			t.Errorf("rolled-back thread change is there: %+v", got)
		}
		ts, _ := tx.ThreadsOf("c1")
		want(t, "ThreadsOf(c1)", threadIDs(ts), "t-m1")
		ms, _ := tx.MessagesOfThread("t-m1")
		want(t, "MessagesOfThread(t-m1)", ids(ms), "m1")
		if _, ok, _ := tx.ThreadByRef("m2@mail.example"); ok {
			t.Error("rolled-back thread ref is there")
		}
		if locs, _ := tx.LocationsIn("work", "INBOX"); len(locs) != 0 {
			t.Errorf("rolled-back location is there: %v", locs)
		}
		if _, ok, _ := tx.MailboxState("work", "INBOX"); ok {
			t.Error("rolled-back mailbox state is there")
		}
		if ig, _ := tx.IsIgnored("maya@example.com"); ig {
			t.Error("rolled-back ignore is there")
		}
		um, _ := tx.Unmatched(0)
		want(t, "Unmatched", ids(um), "m1")
		pb, _ := tx.PendingBodies("work", 0)
		want(t, "PendingBodies", ids(pb))
		return nil
	})
}

func testNotify(t *testing.T, h *harness) {
	sub := h.r.Feed().Subscribe()
	defer sub.Close()
	synced := crm.Event{Kind: "mail.synced", Summary: "12 new messages"}
	if err := h.r.Update(func(tx crm.Tx) error {
		tx.Notify(synced)
		return errors.New("sync failed")
	}); err == nil {
		t.Fatal("Update did not fail")
	}
	if err := h.r.View(func(tx crm.Tx) error {
		tx.Notify(synced)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sub.Ready():
		evs, _ := sub.Take()
		t.Fatalf("published without a commit: %+v", evs)
	default:
	}

	logged := crm.Event{ID: "e1", At: day(1), Actor: "ana", Kind: crm.CreatorUpdated, Summary: "renamed"}
	h.update(t, func(tx crm.Tx) error {
		tx.Notify(synced)
		return tx.AppendEvent(logged)
	})
	select {
	case <-sub.Ready():
	case <-time.After(5 * time.Second):
		t.Fatal("nothing published after the commit")
	}
	evs, reset := sub.Take()
	if reset || len(evs) != 2 || evs[0].Kind != synced.Kind || evs[1].ID != "e1" {
		t.Errorf("published %+v (reset %v), want the notice then the logged event", evs, reset)
	}
	h.view(t, func(tx crm.Tx) error {
		es, err := tx.Events(crm.EventQuery{})
		if len(es) != 1 || es[0].ID != "e1" {
			t.Errorf("log holds %+v; a notice must not be logged", es)
		}
		return err
	})
}
