package demomail_test

import (
	"bytes"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"roster/mail/demomail"
)

var now = time.Date(2025, 3, 5, 15, 30, 0, 0, time.UTC)

func start(t *testing.T) *demomail.Server {
	t.Helper()
	s, err := demomail.Start(now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func login(t *testing.T, s *demomail.Server, opts *imapclient.Options) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.IMAPAddr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIMAPServesTheDemoMailbox(t *testing.T) {
	s := start(t)
	want := map[string]uint32{}
	for _, m := range demomail.Messages(now) {
		want[m.Mailbox]++
	}

	bad, err := imapclient.DialInsecure(s.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if err := bad.Login(s.User, "wrong").Wait(); err == nil {
		t.Error("login with a wrong password succeeded")
	}

	c := login(t, s, nil)
	if caps := c.Caps(); !caps.Has(imap.CapSpecialUse) || !caps.Has(imap.CapIdle) || !caps.Has(imap.CapUIDPlus) {
		t.Errorf("caps = %v", caps)
	}

	// A plain LIST carries the special-use attributes, as Gmail's and
	// Dovecot's do; LIST-STATUS gives the counts in the same round trip.
	list, err := c.List("", "*", &imap.ListOptions{ReturnStatus: &imap.StatusOptions{NumMessages: true, UIDValidity: true, UIDNext: true}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]imap.MailboxAttr{demomail.Sent: imap.MailboxAttrSent, demomail.Archive: imap.MailboxAttrArchive, demomail.Trash: imap.MailboxAttrTrash}
	var names []string
	for _, l := range list {
		names = append(names, l.Mailbox)
		if a, ok := attrs[l.Mailbox]; ok && !slices.Contains(l.Attrs, a) {
			t.Errorf("%s attrs %v, want %s", l.Mailbox, l.Attrs, a)
		}
		if l.Status == nil || l.Status.NumMessages == nil {
			t.Errorf("%s: no LIST-STATUS", l.Mailbox)
			continue
		}
		if got := *l.Status.NumMessages; got != want[l.Mailbox] || got == 0 {
			t.Errorf("%s has %d messages, want %d (non-zero)", l.Mailbox, got, want[l.Mailbox])
		}
	}
	if !slices.Equal(names, []string{"Archive", "INBOX", "Sent", "Trash"}) {
		t.Errorf("mailboxes = %v", names)
	}
	special, err := c.List("", "*", &imap.ListOptions{SelectSpecialUse: true}).Collect()
	if err != nil || len(special) != 3 {
		t.Errorf("LIST (SPECIAL-USE) = %d mailboxes, %v; want 3", len(special), err)
	}

	for _, mbox := range names {
		checkMailbox(t, c, mbox)
	}
}

// checkMailbox fetches everything the sync engine will ask for and
// checks each message parses and has a Message-ID.
func checkMailbox(t *testing.T, c *imapclient.Client, mbox string) {
	t.Helper()
	if _, err := c.Select(mbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	body := &imap.FetchItemBodySection{Peek: true}
	var all imap.UIDSet
	all.AddRange(1, 0) // 1:*
	msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true, Envelope: true, InternalDate: true,
		RFC822Size: true, BodyStructure: &imap.FetchItemBodyStructure{Extended: true}, BodySection: []*imap.FetchItemBodySection{body}}).Collect()
	if err != nil {
		t.Fatalf("%s: %v", mbox, err)
	}
	for _, m := range msgs {
		raw := m.FindBodySection(body)
		pm, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Errorf("%s UID %d: %v", mbox, m.UID, err)
			continue
		}
		id := pm.Header.Get("Message-ID")
		if id == "" || m.Envelope == nil || "<"+m.Envelope.MessageID+">" != id {
			t.Errorf("%s UID %d: Message-ID %q, envelope %+v", mbox, m.UID, id, m.Envelope)
		}
		if d, err := pm.Header.Date(); err != nil || !d.Equal(m.InternalDate) {
			t.Errorf("%s UID %d: Date %v (%v), INTERNALDATE %v", mbox, m.UID, d, err, m.InternalDate)
		}
		if m.BodyStructure == nil || m.RFC822Size != int64(len(raw)) {
			t.Errorf("%s UID %d: no BODYSTRUCTURE or size %d != %d", mbox, m.UID, m.RFC822Size, len(raw))
		}
		if (mbox == demomail.Sent) != demomail.OwnAddress(m.Envelope.From[0].Addr()) {
			t.Errorf("%s UID %d from %s", mbox, m.UID, m.Envelope.From[0].Addr())
		}
	}
}

const outgoing = "From: Sam Rivera <sam@glowbrand.example>\r\n" +
	"To: Maya Chen <maya@mayamakes.example>\r\n" +
	"Subject: Re: Glow x Maya: Spring Glow serum launch\r\n" +
	"Date: Wed, 05 Mar 2025 10:00:00 -0500\r\n" +
	"Message-ID: <sent-by-roster-1@glowbrand.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"$400 + 10% for 1 TikTok + 1 story works. Serum ships today.\r\n"

func TestSMTPFilesIntoSent(t *testing.T) {
	s := start(t)
	c := login(t, s, nil)
	before, err := c.Status(demomail.Sent, &imap.StatusOptions{NumMessages: true, UIDNext: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}

	send := func(user, pass, from string) error {
		sc, err := smtp.Dial(s.SMTPAddr)
		if err != nil {
			t.Fatal(err)
		}
		defer sc.Close()
		if user != "" {
			if err := sc.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
				return err
			}
		}
		return sc.SendMail(from, []string{"maya@mayamakes.example"}, strings.NewReader(outgoing))
	}
	if err := send("", "", demomail.Manager); err == nil {
		t.Error("unauthenticated submission accepted")
	}
	if err := send(s.User, "wrong", demomail.Manager); err == nil {
		t.Error("wrong password accepted")
	}
	if err := send(s.User, s.Password, "someone@else.example"); err == nil {
		t.Error("mail from a foreign address accepted")
	}
	if err := send(s.User, s.Password, demomail.Aliases[0]); err != nil {
		t.Fatalf("send from alias: %v", err)
	}

	after, err := c.Status(demomail.Sent, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if *after.NumMessages != *before.NumMessages+1 {
		t.Fatalf("Sent went from %d to %d messages", *before.NumMessages, *after.NumMessages)
	}
	if _, err := c.Select(demomail.Sent, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	body := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(before.UIDNext), &imap.FetchOptions{Flags: true, BodySection: []*imap.FetchItemBodySection{body}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch new Sent message: %v, %d", err, len(msgs))
	}
	if got := string(msgs[0].FindBodySection(body)); got != outgoing {
		t.Errorf("Sent copy differs:\n%q", got)
	}
	if !slices.Contains(msgs[0].Flags, imap.FlagSeen) {
		t.Errorf("Sent copy flags %v, want \\Seen", msgs[0].Flags)
	}
}

// A message delivered while a client idles is announced, as the live
// sync expects.
func TestAppendWakesIdle(t *testing.T) {
	s := start(t)
	exists := make(chan uint32, 8)
	c := login(t, s, &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				exists <- *d.NumMessages
			}
		},
	}})
	sel, err := c.Select(demomail.Inbox, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	idle, err := c.Idle()
	if err != nil {
		t.Fatal(err)
	}
	reply := strings.Replace(outgoing, "From: Sam Rivera <sam@glowbrand.example>\r\nTo: Maya Chen <maya@mayamakes.example>",
		"From: Maya Chen <maya@mayamakes.example>\r\nTo: Sam Rivera <sam@glowbrand.example>", 1)
	if err := s.Append(demomail.Inbox, []byte(reply)); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-exists:
		if n != sel.NumMessages+1 {
			t.Errorf("EXISTS %d, want %d", n, sel.NumMessages+1)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no EXISTS while idling")
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
	if err := idle.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := s.Append("Nope", []byte(reply)); err == nil {
		t.Error("append to a missing mailbox succeeded")
	}
}
