package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
	"roster/mail/config"
)

// sendRig is one account wired for sending: an IMAP account (Sent folder)
// on srv, a go-smtp server, a store-backed service with Maya Lin as a
// prospect, and the delivery worker.
type sendRig struct {
	t      *testing.T
	acct   *account
	smtp   *testSMTP
	svc    *crm.Service
	sender *Sender
	cfg    *config.Config
	card   crm.Card
	// pauseFor, when set, is called at each outbox step.
	pauseFor func(step string, id crm.ID)
}

// smtpConfig is the TOML of account "work" with IMAP on imapAddr and SMTP
// on smtpAddr.
func smtpConfig(t testing.TB, imapAddr, imapUser, smtpAddr, smtpSecurity, caFile string) *config.Config {
	t.Helper()
	setScenarioPassword()
	ih, ip, _ := net.SplitHostPort(imapAddr)
	sh, sp, _ := net.SplitHostPort(smtpAddr)
	ca := ""
	if caFile != "" {
		ca = fmt.Sprintf("ca_file = %q\n", caFile)
	}
	body := fmt.Sprintf(`[[accounts]]
name = "work"
email = "sam@brand.example"
display_name = "Sam Rivera"
[accounts.imap]
host = %q
port = %s
security = "none"
username = %q
password_env = %q
[accounts.smtp]
host = %q
port = %s
security = %q
username = "sam@brand.example"
password_env = %q
%s`, ih, ip, imapUser, scenarioPassword, sh, sp, smtpSecurity, scenarioPassword, ca)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newSendRig(t *testing.T, srv imapServer, tlsCfg *tls.Config, security, caFile string) *sendRig {
	t.Helper()
	r := &sendRig{t: t, acct: newAccount(t, srv), smtp: newTestSMTP(t, tlsCfg)}
	r.cfg = smtpConfig(t, r.acct.addr, r.acct.user, r.smtp.addr, security, caFile)
	r.svc = newService(t)
	r.svc.SetMailRenderer(Renderer{})
	r.sender = NewSender(r.svc, r.cfg, SendOptions{
		Timeout: 10 * time.Second, Backoff: []time.Duration{time.Millisecond}, SentGrace: 300 * time.Millisecond, Unlimited: true,
		Pause: func(step string, id crm.ID) {
			if r.pauseFor != nil {
				r.pauseFor(step, id)
			}
		},
	})
	r.svc.SetSending(Accounts(r.cfg), r.sender)
	camps, _ := r.svc.Campaigns()
	card, err := r.svc.AddCreator("sam", crm.Creator{Name: "Maya Lin", Emails: []string{"maya@creator.example"},
		Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "maya.bakes", Followers: 48200}}}, camps[0].ID, crm.Prospect)
	if err != nil {
		t.Fatal(err)
	}
	r.card = card
	return r
}

func (r *sendRig) queue() crm.OutboxMail {
	r.t.Helper()
	d, err := r.svc.TemplateDraft("outreach", r.card.Deal.ID, "")
	if err != nil {
		r.t.Fatal(err)
	}
	m, err := r.svc.QueueMail("sam", d)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

func (r *sendRig) flush() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := r.sender.Flush(ctx); err != nil {
		r.t.Fatal(err)
	}
}

func (r *sendRig) mail(id crm.ID) crm.OutboxMail {
	r.t.Helper()
	m, err := r.svc.OutboxMail(id)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

// copiesInSent counts the messages in Sent carrying mid.
func (a *account) copiesInSent(mid string) int {
	a.t.Helper()
	n := 0
	a.inMailbox("Sent", func(c *imapclient.Client, _ uint32) {
		data, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: "<" + mid + ">"}}}, nil).Wait()
		if err != nil {
			a.t.Fatal(err)
		}
		n = len(data.AllUIDs())
	})
	return n
}

// TestOutboxFaults sends one mail through every failure the issue names
// and checks the state it ends in, how often the server accepted it, and
// the Sent folder.
func TestOutboxFaults(t *testing.T) {
	onBothServers(t, 12, func(t *testing.T, srv imapServer) {
		cert, _ := selfSigned(t)
		for _, c := range []struct {
			name     string
			fault    string
			once     bool
			files    bool // the provider files sent mail itself
			setup    func(r *sendRig)
			tls      bool
			state    crm.OutboxState
			attempts int
			accepted int
			copy     string // SentCopy
			errHas   string
		}{
			{name: "ok", state: crm.OutboxSent, attempts: 1, accepted: 1, copy: "appended"},
			{name: "provider files", files: true, state: crm.OutboxSent, attempts: 1, accepted: 1, copy: "server"},
			{name: "dial", setup: func(r *sendRig) {
				ln, _ := net.Listen("tcp", "127.0.0.1:0")
				_, port, _ := net.SplitHostPort(ln.Addr().String())
				ln.Close()
				fmt.Sscan(port, &r.cfg.Accounts[0].SMTP.Port)
			}, state: crm.OutboxFailed, attempts: crm.MaxAttempts, errHas: "gave up after 8 attempts: connect:"},
			{name: "tls untrusted", tls: true, state: crm.OutboxFailed, attempts: 1, errHas: "TLS: "},
			{name: "auth", fault: "auth", state: crm.OutboxFailed, attempts: 1, errHas: "login: 535 5.7.8 Username and Password not accepted"},
			{name: "rcpt 4xx", fault: "rcpt4", once: true, state: crm.OutboxSent, attempts: 2, accepted: 1, copy: "appended"},
			{name: "rcpt 5xx", fault: "rcpt5", state: crm.OutboxFailed, attempts: 1, errHas: "RCPT TO: 550 5.1.1 No such user"},
			{name: "data 4xx", fault: "data4", once: true, state: crm.OutboxSent, attempts: 2, accepted: 1, copy: "appended"},
			{name: "data 5xx", fault: "data5", state: crm.OutboxFailed, attempts: 1, errHas: "end of message: 554 5.7.1 Message rejected as spam"},
			{name: "drop before dot", fault: "drop-body", once: true, state: crm.OutboxSent, attempts: 2, accepted: 1, copy: "appended"},
			{name: "drop after dot", fault: "drop-after-dot", once: true, state: crm.OutboxInDoubt, attempts: 1, accepted: 1, errHas: "retry or cancel"},
			{name: "drop after dot, provider files", fault: "drop-after-dot", once: true, files: true, state: crm.OutboxSent, attempts: 1, accepted: 1, copy: "server"},
		} {
			t.Run(c.name, func(t *testing.T) {
				var tlsCfg *tls.Config
				security := "none"
				if c.tls {
					tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}}
					security = "tls"
				}
				r := newSendRig(t, srv, tlsCfg, security, "")
				r.smtp.setFault(c.fault, c.once)
				if c.files {
					r.smtp.fileSent = func(raw []byte) { r.acct.appendAt("Sent", raw, time.Now(), imap.FlagSeen) }
				}
				if c.fault == "drop-body" {
					first := true
					r.pauseFor = func(step string, _ crm.ID) {
						if step != "before-dot" || !first {
							return
						}
						first = false
						<-r.smtp.dropped
						time.Sleep(100 * time.Millisecond) // let the reset arrive
					}
				}
				if c.setup != nil {
					c.setup(r)
				}
				m := r.queue()
				r.flush()
				got := r.mail(m.ID)
				if got.State != c.state || got.Attempts != c.attempts {
					t.Fatalf("state %s after %d attempts (%s), want %s after %d", got.State, got.Attempts, got.LastError, c.state, c.attempts)
				}
				if n := r.smtp.count(); n != c.accepted {
					t.Errorf("server accepted %d copies, want %d", n, c.accepted)
				}
				if got.SentCopy != c.copy {
					t.Errorf("sent copy %q, want %q", got.SentCopy, c.copy)
				}
				if c.errHas != "" && !strings.Contains(got.LastError, c.errHas) {
					t.Errorf("error %q, want it to contain %q", got.LastError, c.errHas)
				}
				wantCopies := 0
				if got.State == crm.OutboxSent {
					wantCopies = 1
				} else if c.files && c.accepted > 0 {
					wantCopies = 1
				}
				if n := r.acct.copiesInSent(m.MessageID); n != wantCopies {
					t.Errorf("%d copies in Sent, want %d", n, wantCopies)
				}
				if c.accepted > 0 {
					if !bytes.Equal(r.smtp.messages()[0], normalizeCRLF(got.Raw)) {
						t.Error("the server got other bytes than the outbox holds")
					}
				}
				cd, _ := r.svc.Card(r.card.Deal.ID)
				if want := map[bool]crm.Stage{true: crm.Contacted, false: crm.Prospect}[got.State == crm.OutboxSent]; cd.Deal.Stage != want {
					t.Errorf("deal %s with the mail %s, want %s", cd.Deal.Stage, got.State, want)
				}
			})
		}
	})
}

func normalizeCRLF(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

// TestReplySyncsBackIntoItsThread: Maya writes, roster syncs it, the
// manager replies through the outbox, and the next sync finds the reply
// (in Sent, filed by the provider or by roster) in the same thread; the
// deal moved to negotiating on Maya's mail and stays there.
// syncAsked counts the syncs asked for (crm.Syncer).
type syncAsked struct{ n int }

func (s *syncAsked) SyncNow() { s.n++ }

func TestReplySyncsBackIntoItsThread(t *testing.T) {
	onBothServers(t, 2, func(t *testing.T, srv imapServer) {
		for _, files := range []bool{false, true} {
			r := newSendRig(t, srv, nil, "none", "")
			if files {
				r.smtp.fileSent = func(raw []byte) { r.acct.appendAt("Sent", raw, time.Now(), imap.FlagSeen) }
			}
			if _, err := r.svc.MoveDeal("sam", r.card.Deal.ID, r.card.Deal.Version, crm.Contacted); err != nil {
				t.Fatal(err)
			}
			r.acct.append("INBOX", mail{from: "maya@creator.example", to: "sam@brand.example", subject: "Collab?", id: "m1@creator.example", body: "Hi Sam, what's the fee?",
				date: time.Now().Add(time.Minute).Format(time.RFC1123Z)}.String())
			eng := New(r.svc, r.cfg, Options{})
			if _, err := eng.SyncOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			cd, _ := r.svc.Card(r.card.Deal.ID)
			if cd.Deal.Stage != crm.Negotiating {
				t.Errorf("deal %s after Maya's first reply, want negotiating", cd.Deal.Stage)
			}
			convs, err := r.svc.Conversations(r.card.Creator.ID)
			if err != nil || len(convs) != 1 {
				t.Fatalf("conversations %d %v", len(convs), err)
			}
			d, err := r.svc.ReplyDraft(convs[0].Messages[0].ID, false)
			if err != nil {
				t.Fatal(err)
			}
			d.Text = "Hi Maya, $450 for one video.\n" + d.Text
			m, err := r.svc.QueueMail("sam", d)
			if err != nil {
				t.Fatal(err)
			}
			asked := &syncAsked{}
			r.svc.SetSyncer(asked)
			r.flush()
			if asked.n == 0 {
				t.Error("sending did not ask for a mail sync, so the reply would wait for the next full one to show in its thread")
			}
			if got := r.mail(m.ID); got.State != crm.OutboxSent || r.acct.copiesInSent(m.MessageID) != 1 {
				t.Fatalf("reply %s, %d copies in Sent", got.State, r.acct.copiesInSent(m.MessageID))
			}
			if _, err := eng.SyncOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			convs, _ = r.svc.Conversations(r.card.Creator.ID)
			if len(convs) != 1 || len(convs[0].Messages) != 2 {
				t.Fatalf("after the sync: %d threads (want 1 with 2 messages)", len(convs))
			}
			reply := convs[0].Messages[0]
			if reply.MessageID == "m1@creator.example" {
				reply = convs[0].Messages[1]
			}
			if reply.MessageID != m.MessageID || reply.Direction != crm.Out || reply.Subject != "Re: Collab?" || reply.InReplyTo != "m1@creator.example" {
				t.Errorf("synced reply %+v", reply)
			}
		}
	})
}

// TestFlushLeavesMailTheDailyLimitHolds: with max_per_day reached, Flush
// sends what it may and returns, leaving the rest queued for later,
// instead of passing over the outbox again and again until cancelled.
func TestFlushLeavesMailTheDailyLimitHolds(t *testing.T) {
	r := newSendRig(t, memServer{}, nil, "none", "")
	r.cfg.Accounts[0].SMTP.MaxPerDay = 1
	r.sender = NewSender(r.svc, r.cfg, SendOptions{Timeout: 10 * time.Second, Backoff: []time.Duration{time.Millisecond}, SentGrace: 300 * time.Millisecond})
	r.svc.SetSending(Accounts(r.cfg), r.sender)
	first, second := r.queue(), r.queue()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.sender.Flush(ctx); err != nil {
		t.Fatalf("Flush with the daily limit reached: %v", err)
	}
	if a, b := r.mail(first.ID).State, r.mail(second.ID).State; a != crm.OutboxSent || b != crm.OutboxQueued {
		t.Fatalf("after Flush: %s and %s, want sent and queued", a, b)
	}
}

// TestNextWakeLooksPastSkippedMail: mail a pass left queued on purpose (a
// held-back account's, or one it could not claim) must not decide the
// next wake. It once pinned the queue's earliest time to now, the worker
// then found only skipped mail due and slept an hour, and a retry due in
// minutes waited behind it.
func TestNextWakeLooksPastSkippedMail(t *testing.T) {
	r := newSendRig(t, memServer{}, nil, "none", "")
	held, later := r.queue(), r.queue()
	if _, err := r.svc.ClaimMail(later.ID); err != nil {
		t.Fatal(err)
	}
	retry := time.Now().Add(5 * time.Minute).UTC()
	if _, err := r.svc.MailDeferred(later.ID, "421 try again later", retry); err != nil {
		t.Fatal(err)
	}
	at, queued := r.sender.nextDue(skipped{mails: map[crm.ID]bool{held.ID: true}})
	if !queued || !at.Equal(r.mail(later.ID).NextAt) {
		t.Errorf("next wake %v (queued %v), want the retry at %v", at, queued, retry)
	}
	at, _ = r.sender.nextDue(skipped{})
	if at.After(time.Now()) {
		t.Errorf("with the due mail not skipped the next wake is %v, want now", at)
	}
}
