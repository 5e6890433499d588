package dovecottest_test

import (
	"bytes"
	"crypto/tls"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/mail/dovecottest"
)

const sam = "sam@glowbrand.example"

func users() map[string]string { return map[string]string{sam: "s3cret", "alex": "pw"} }

func TestLoginListAndCapabilities(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t, dovecottest.Options{Users: users()})
	c := s.Login(t, sam)

	caps := c.Caps()
	for _, want := range []imap.Cap{imap.CapCondStore, imap.CapIdle, imap.CapSpecialUse, imap.CapUIDPlus, imap.CapMove} {
		if !caps.Has(want) {
			t.Errorf("capability %s not advertised after login: %v", want, caps)
		}
	}

	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string][]imap.MailboxAttr{}
	for _, l := range list {
		attrs[l.Mailbox] = l.Attrs
	}
	for mbox, want := range map[string]imap.MailboxAttr{"Sent": imap.MailboxAttrSent, "Archive": imap.MailboxAttrArchive, "Trash": imap.MailboxAttrTrash, "Junk": imap.MailboxAttrJunk, "Drafts": imap.MailboxAttrDrafts} {
		if !slices.Contains(attrs[mbox], want) {
			t.Errorf("LIST %s attrs = %v, want %s (all: %v)", mbox, attrs[mbox], want, attrs)
		}
	}
	if _, ok := attrs["INBOX"]; !ok {
		t.Errorf("no INBOX in %v", attrs)
	}

	// A wrong password is refused, not crashing the instance.
	bad, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if err := bad.Login(sam, "wrong").Wait(); err == nil {
		t.Error("login with a wrong password succeeded")
	}
}

func TestTLSVerifiesWithCAFile(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t, dovecottest.Options{Users: users(), TLS: true})
	if s.CAFile == "" || s.TLSAddr == "" {
		t.Fatalf("TLS server without CAFile/TLSAddr: %+v", s)
	}
	cfg, err := s.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, dial func() (*imapclient.Client, error)) {
		t.Helper()
		c, err := dial()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, s.LogTail(10))
		}
		defer c.Close()
		if err := c.Login(sam, "s3cret").Wait(); err != nil {
			t.Fatalf("%s: login: %v", name, err)
		}
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			t.Fatalf("%s: select: %v", name, err)
		}
	}
	check("implicit TLS", func() (*imapclient.Client, error) {
		return imapclient.DialTLS(s.TLSAddr, &imapclient.Options{TLSConfig: cfg.Clone()})
	})
	check("STARTTLS", func() (*imapclient.Client, error) {
		return imapclient.DialStartTLS(s.Addr, &imapclient.Options{TLSConfig: cfg.Clone()})
	})
	check("plain on a TLS server", func() (*imapclient.Client, error) { return imapclient.DialInsecure(s.Addr, nil) })

	// Without the CA file the certificate must not verify: the test
	// above proves verification, not a disabled check.
	c, err := imapclient.DialTLS(s.TLSAddr, &imapclient.Options{TLSConfig: &tls.Config{}})
	if err == nil {
		err = c.Login(sam, "s3cret").Wait()
		c.Close()
	}
	if err == nil {
		t.Error("TLS without the CA file verified")
	}
}

const testMsg = "From: Maya Chen <maya@mayamakes.example>\r\n" +
	"To: Sam <sam@glowbrand.example>\r\n" +
	"Subject: Re: Glow serum collab\r\n" +
	"Date: Mon, 03 Mar 2025 10:15:00 +0100\r\n" +
	"Message-ID: <abc123@mayamakes.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Hi Sam — $450 for one video + 2 stories works for me.\r\n"

func TestAppendFetchRoundTrip(t *testing.T) {
	t.Parallel()
	for _, storage := range []string{"maildir", "sdbox"} {
		t.Run(storage, func(t *testing.T) {
			s := dovecottest.Start(t, dovecottest.Options{Users: users(), Storage: storage})
			s.Append(t, sam, "INBOX", []byte(testMsg))
			s.Append(t, sam, "Sent", []byte(strings.Replace(testMsg, "abc123", "def456", 1)))
			s.Append(t, sam, "Clients/Maya", []byte(testMsg)) // created on demand

			c := s.Login(t, sam)
			sel, err := c.Select("INBOX", &imap.SelectOptions{CondStore: true}).Wait()
			if err != nil {
				t.Fatal(err)
			}
			if sel.NumMessages != 1 || sel.HighestModSeq == 0 {
				t.Fatalf("INBOX: %d messages, HIGHESTMODSEQ %d; want 1 and CONDSTORE", sel.NumMessages, sel.HighestModSeq)
			}
			body := &imap.FetchItemBodySection{Peek: true}
			msgs, err := c.Fetch(imap.UIDSetNum(1), &imap.FetchOptions{UID: true, Envelope: true, InternalDate: true, ModSeq: true, BodySection: []*imap.FetchItemBodySection{body}}).Collect()
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 {
				t.Fatalf("fetched %d messages", len(msgs))
			}
			m := msgs[0]
			if got := m.FindBodySection(body); !bytes.Equal(got, []byte(testMsg)) {
				t.Errorf("body round trip:\n%q\nwant\n%q", got, testMsg)
			}
			if m.Envelope.MessageID != "abc123@mayamakes.example" || m.Envelope.Subject != "Re: Glow serum collab" {
				t.Errorf("envelope = %+v", m.Envelope)
			}
			want := time.Date(2025, 3, 3, 9, 15, 0, 0, time.UTC)
			if !m.InternalDate.Equal(want) {
				t.Errorf("INTERNALDATE = %v, want the Date header %v", m.InternalDate, want)
			}
			if m.ModSeq == 0 {
				t.Error("no MODSEQ")
			}
			for mbox, want := range map[string]uint32{"Sent": 1, "Clients/Maya": 1} {
				st, err := c.Status(mbox, &imap.StatusOptions{NumMessages: true}).Wait()
				if err != nil {
					t.Fatal(err)
				}
				if *st.NumMessages != want {
					t.Errorf("%s has %d messages, want %d", mbox, *st.NumMessages, want)
				}
			}
		})
	}
}

// Two instances in one binary get their own ports, directories and mail.
func TestInstancesAreIndependent(t *testing.T) {
	t.Parallel()
	a := dovecottest.Start(t, dovecottest.Options{Users: users()})
	b := dovecottest.Start(t, dovecottest.Options{Users: users()})
	if a.Addr == b.Addr || a.Dir == b.Dir {
		t.Fatalf("instances share %s / %s", a.Addr, a.Dir)
	}
	a.Append(t, sam, "INBOX", []byte(testMsg))
	for s, want := range map[*dovecottest.Server]uint32{a: 1, b: 0} {
		c := s.Login(t, sam)
		st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if *st.NumMessages != want {
			t.Errorf("%s INBOX has %d messages, want %d", s.Addr, *st.NumMessages, want)
		}
	}
}

// IDLE must deliver a new message to a waiting client, which is what
// roster's live sync relies on.
func TestIdleSeesAppend(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t, dovecottest.Options{Users: users()})
	got := make(chan uint32, 4)
	c, err := imapclient.DialInsecure(s.Addr, &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				got <- *d.NumMessages
			}
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(sam, "s3cret").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	idle, err := c.Idle()
	if err != nil {
		t.Fatal(err)
	}
	s.Append(t, sam, "INBOX", []byte(testMsg))
	select {
	case n := <-got:
		if n != 1 {
			t.Errorf("EXISTS %d, want 1", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no EXISTS during IDLE\n%s", s.LogTail(10))
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
	if err := idle.Wait(); err != nil {
		t.Fatal(err)
	}
}
