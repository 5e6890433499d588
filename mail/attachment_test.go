package mail

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
)

// contractPDF is the attachment the tests save: binary bytes, so a
// transfer decoding that is off by one byte shows.
var contractPDF = append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte{0, 1, 2, 0xff, '\r', '\n'}, 400)...)

// withAttachment is a message from Alice with contractPDF attached, the
// way mail clients send it (base64, RFC 2231 name).
func withAttachment(id string) string {
	b64 := base64.StdEncoding.EncodeToString(contractPDF)
	var lines []string
	for len(b64) > 76 {
		lines = append(lines, b64[:76])
		b64 = b64[76:]
	}
	lines = append(lines, b64)
	return "From: Alice <alice@creators.example>\nTo: " + testUser + "\nSubject: Signed contract\n" +
		"Date: Thu, 06 Mar 2025 09:00:00 +0000\nMessage-ID: <" + id + ">\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n" +
		"--b\nContent-Type: text/plain; charset=utf-8\n\nSigned, see attached.\n" +
		"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''Vertrag%20M%C3%A4rz.pdf\n" +
		"Content-Transfer-Encoding: base64\n\n" + strings.Join(lines, "\n") + "\n--b--\n"
}

// syncedAttachment syncs a mailbox holding Alice's signed contract and
// returns the stored message and its one attachment.
func syncedAttachment(t *testing.T, srv imapServer, opts Options) (*world, *Engine, crm.Message, crm.Attachment) {
	t.Helper()
	w := &world{acct: newAccount(t, srv)}
	w.svc, w.db = newServiceDB(t)
	w.alice = addCreator(t, w.svc, "Alice", "alice@creators.example")
	w.acct.append("INBOX", withAttachment("contract@creators.example"))
	e := New(w.svc, w.acct.config(t, ""), opts)
	syncOnce(t, e)
	m := message(t, w.svc, w.alice, "contract@creators.example")
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "Vertrag März.pdf" || m.Attachments[0].Size != int64(len(contractPDF)) {
		t.Fatalf("synced attachments: %+v", m.Attachments)
	}
	return w, e, m, m.Attachments[0]
}

// TestFetchAttachment: the bytes the sender attached come back from the
// server, on demand, without the message being marked read.
func TestFetchAttachment(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w, e, m, a := syncedAttachment(t, srv, Options{})
		ctx := fetchCtx(t)
		got, err := e.FetchAttachment(ctx, m, a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, contractPDF) {
			t.Fatalf("got %d bytes, not the %d attached", len(got), len(contractPDF))
		}
		if seen := w.acct.seen("INBOX"); seen != 0 {
			t.Errorf("fetching the attachment marked %d messages \\Seen", seen)
		}
	})
}

// TestFetchAttachmentRefusals: each way the attachment cannot be had is
// said in a sentence naming why.
func TestFetchAttachmentRefusals(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w, e, m, a := syncedAttachment(t, srv, Options{})
		ctx := fetchCtx(t)

		gone := m
		gone.Account = "old"
		if _, err := e.FetchAttachment(ctx, gone, a); err == nil || !strings.Contains(err.Error(), `account "old"`) {
			t.Errorf("unknown account: %v", err)
		}
		other := a
		other.Size++
		if _, err := e.FetchAttachment(ctx, m, other); err == nil || !strings.Contains(err.Error(), "no longer holds the attachment Vertrag März.pdf") {
			t.Errorf("attachment not in the message: %v", err)
		}
		lost := m
		lost.Locations = nil
		if _, err := e.FetchAttachment(ctx, lost, a); err == nil || !strings.Contains(err.Error(), "no longer has this message") {
			t.Errorf("no known copy: %v", err)
		}

		// Over the bound: refused, unread.
		small := New(w.svc, w.acct.config(t, ""), Options{maxWhole: 1000})
		if _, err := small.FetchAttachment(ctx, m, a); err == nil || !strings.Contains(err.Error(), "over the 1000 B roster reads") {
			t.Errorf("message over the bound: %v", err)
		}

		// Renumbered since the sync saw it: the copy is not where it was.
		w.acct.recreate("INBOX")
		if _, err := e.FetchAttachment(ctx, m, a); err == nil || !strings.Contains(err.Error(), "no longer has this message") {
			t.Errorf("after a UIDVALIDITY change: %v", err)
		}
		// The next sync finds it again; then it is expunged.
		syncOnce(t, e)
		m = message(t, w.svc, w.alice, "contract@creators.example")
		if _, err := e.FetchAttachment(ctx, m, a); err != nil {
			t.Fatalf("after resync: %v", err)
		}
		w.acct.expunge("INBOX", false, "contract@creators.example")
		if _, err := e.FetchAttachment(ctx, m, a); err == nil || !strings.Contains(err.Error(), "no longer has this message") {
			t.Errorf("expunged: %v", err)
		}
	})
}

// seen counts the messages in mbox flagged \Seen.
func (a *account) seen(mbox string) int {
	a.t.Helper()
	n := 0
	a.inMailbox(mbox, func(c *imapclient.Client, count uint32) {
		if count == 0 {
			return
		}
		got, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{Flags: true}).Collect()
		if err != nil {
			a.t.Fatal(err)
		}
		for _, m := range got {
			if slices.Contains(m.Flags, imap.FlagSeen) {
				n++
			}
		}
	})
	return n
}
