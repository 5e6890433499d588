package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
	"roster/mail"
)

// sam is the sending account of the UI's send tests.
var sam = crm.SendingAccount{Name: "work", DisplayName: "Sam Rivera", Email: "sam@glowbrand.example"}

// newSending is the demo board with sending set up the way main.go does
// it: the real go-mail renderer (no templates of the manager's own) and
// one account. No delivery worker runs, so queued mail stays queued.
func newSending(t *testing.T, w, h int) *Model {
	t.Helper()
	m := newSeeded(t, w, h)
	if !m.board.loaded {
		m.Update(loadBoardCmd(m.c.Svc, "")())
	}
	m.c.Svc.SetMailRenderer(mail.Renderer{TemplateDir: t.TempDir()})
	m.c.Svc.SetSending([]crm.SendingAccount{sam}, nil)
	return m
}

// withThread gives Maya Chen, the first prospect, a two-message thread
// and opens her Mail tab.
func withThread(t *testing.T, m *Model) {
	t.Helper()
	card, _ := m.board.selected()
	email := card.Creator.PrimaryEmail()
	ingestMail(t, m.c.Svc,
		mailMsg("o1@glowbrand.example", "sam@glowbrand.example", email, "Collab with Glow?", "Hi Maya, would you like to work with us?", testNow.Add(-50*time.Hour), 1),
		mailMsg("r1@x.example", email, "sam@glowbrand.example", "Re: Collab with Glow?",
			"Yes! My rate is $450.\n\nOn Mon, Sam wrote:\n> Hi Maya, would you like to work with us?", testNow.Add(-26*time.Hour), 2, "o1@glowbrand.example"),
	)
	m.Update(waitChangeCmd(m.c.Ctx, m.sub)())
	m.Update(loadBoardCmd(m.c.Svc, m.board.data.Campaign.ID)()) // the card now knows its mail
	pressSync(t, m, "enter")
	if m.screen != screenDetail || m.detail.tab != tabMail {
		t.Fatalf("enter should open Maya's Mail tab:\n%s", frame(m))
	}
}

// pressSync presses one key and waits for its command however long the
// service takes (a busy machine can take longer than run's patience);
// only for keys whose command is a service call, not a blink.
func pressSync(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			continue
		}
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				run(t, m, c)
			}
		default:
			_, next := m.Update(msg)
			run(t, m, next)
		}
	}
}

func outbox(t *testing.T, m *Model) []crm.OutboxMail {
	t.Helper()
	ms, err := m.c.Svc.Outbox(crm.OutboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestReplyPreviewShowsThreadingAndSendsOnY(t *testing.T) {
	m := newSending(t, 100, 34)
	withThread(t, m)
	if s := frame(m); !strings.Contains(s, "▌ ← in") {
		t.Fatalf("the newest message should be selected:\n%s", s)
	}
	pressSync(t, m, "r")
	if m.screen != screenCompose || !strings.Contains(frame(m), "Reply to") {
		t.Fatalf("r should open a reply:\n%s", frame(m))
	}
	typeText(t, m, "Thanks Maya, $450 works for us.")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.screen != screenPreview {
		t.Fatalf("ctrl+s should show the review:\n%s", s)
	}
	for _, want := range []string{
		"From         Sam Rivera <sam@glowbrand.example>",
		"Subject      Re: Collab with Glow?",
		"In-Reply-To  <r1@x.example>",
		"References   <o1@glowbrand.example> <r1@x.example>",
		"Message-ID and Date are set when the mail is queued",
		"Thanks Maya, $450 works for us.",
		"> Yes! My rate is $450.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the review lacks %q:\n%s", want, s)
		}
	}
	golden(t, s)
	if len(outbox(t, m)) != 0 {
		t.Fatal("nothing may be queued before y")
	}
	pressSync(t, m, "y")
	ms := outbox(t, m)
	if len(ms) != 1 || ms[0].InReplyTo != "r1@x.example" || ms[0].State != crm.OutboxQueued || ms[0].Kind != "reply" {
		t.Fatalf("y should queue the reply with its threading: %+v", ms)
	}
	if !strings.HasPrefix(ms[0].Text, "Thanks Maya, $450 works for us.\n") || !strings.Contains(string(ms[0].Raw), "In-Reply-To: <r1@x.example>") {
		t.Fatalf("the queued mail is not what was reviewed:\n%s", ms[0].Raw)
	}
	if m.screen != screenDetail || !strings.Contains(frame(m), "queued \"Re: Collab with Glow?\"") {
		t.Fatalf("after y the creator screen should say it is queued:\n%s", frame(m))
	}
	// The delivery's outcome reaches the status line through the feed.
	if _, err := m.c.Svc.ClaimMail(ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.c.Svc.MailDelivered(ms[0].ID, "250 OK"); err != nil {
		t.Fatal(err)
	}
	run(t, m, waitChangeCmd(m.c.Ctx, m.sub))
	if !strings.Contains(frame(m), "sent reply") {
		t.Fatalf("the status line should say the reply went:\n%s", frame(m))
	}
}

// TestReviewNoteWrapsAt80x24: the note under the headers (Message-ID and
// Date come later) is wrapped under the header values at 80 columns,
// not cut off at the screen's edge.
func TestReviewNoteWrapsAt80x24(t *testing.T) {
	m := reviewedReply(t, 80, 24, "Thanks Maya.")
	s := frame(m)
	if m.screen != screenPreview {
		t.Fatalf("ctrl+s should show the review:\n%s", s)
	}
	var note []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, strings.Repeat(" ", 1+headerLabelWidth)) && strings.TrimSpace(l) != "" {
			note = append(note, strings.TrimSpace(l))
		}
	}
	if got := strings.Join(note, " "); got != "Message-ID and Date are set when the mail is queued and stay the same on every retry." || strings.Contains(s, "…") {
		t.Fatalf("the note should be whole, wrapped under the values (got %q):\n%s", got, s)
	}
}

func TestBracketsSelectAnOlderMessageToReplyTo(t *testing.T) {
	m := newSending(t, 100, 34)
	withThread(t, m)
	press(t, m, "[")
	if s := frame(m); !strings.Contains(s, "▌ → out") {
		t.Fatalf("[ should select the previous message:\n%s", s)
	}
	// New mail arriving meanwhile does not move the selection.
	card, _ := m.board.selected()
	ingestMail(t, m.c.Svc, mailMsg("r2@x.example", card.Creator.PrimaryEmail(), "sam@glowbrand.example", "Re: Collab with Glow?",
		"Also, can the serum arrive by Friday?", testNow.Add(-time.Hour), 3, "r1@x.example"))
	run(t, m, waitChangeCmd(m.c.Ctx, m.sub))
	run(t, m, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	if s := frame(m); !strings.Contains(s, "Also, can the serum") || !strings.Contains(s, "▌ → out") {
		t.Fatalf("the selection should stay on the chosen message when mail arrives:\n%s", s)
	}
	pressSync(t, m, "r")
	if m.compose.base.InReplyTo != "o1@glowbrand.example" {
		t.Fatalf("r should answer the selected message, got In-Reply-To %q", m.compose.base.InReplyTo)
	}
}

func TestComposeNamesABadAddressAndKeepsTheText(t *testing.T) {
	m := newSending(t, 100, 30)
	withThread(t, m)
	press(t, m, "c")
	if m.chooser == nil || !strings.Contains(frame(m), "blank mail") || !strings.Contains(frame(m), "outreach") {
		t.Fatalf("c should offer a blank mail or a template:\n%s", frame(m))
	}
	pressSync(t, m, "enter")
	if m.screen != screenCompose || m.compose.focus != fieldSubject {
		t.Fatalf("a blank mail should open on its subject:\n%s", frame(m))
	}
	typeText(t, m, "Samples")
	press(t, m, "shift+tab")
	typeText(t, m, "bob@")
	press(t, m, "tab", "tab")
	typeText(t, m, "Sending the serum today.")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.screen != screenCompose || !strings.Contains(s, `Cc: "bob@" is not an email address`) {
		t.Fatalf("a bad Cc should be named and keep the screen:\n%s", s)
	}
	golden(t, s)
	if v := m.compose.values(); v[fieldSubject] != "Samples" || v[fieldBody] != "Sending the serum today." || v[fieldCc] != "bob@" {
		t.Fatalf("what was typed should be kept: %q", v)
	}
	// esc on an edited mail asks first; n keeps it.
	press(t, m, "esc")
	if m.confirm == nil {
		t.Fatal("esc should ask before discarding an edited mail")
	}
	press(t, m, "n")
	if m.screen != screenCompose {
		t.Fatal("n should keep the mail")
	}
}

func TestTemplateThatCannotRenderQueuesNothing(t *testing.T) {
	m := newSending(t, 100, 30)
	withThread(t, m)
	pressSync(t, m, "c", "4") // blank, follow-up, outreach, terms-confirmation
	s := frame(m)
	if m.screen != screenDetail || !strings.Contains(s, "template terms-confirmation not used") || !strings.Contains(s, "Maya Chen") {
		t.Fatalf("a template that refuses should say why, naming the creator:\n%s", s)
	}
	if !strings.Contains(m.status, "{{.Terms") {
		t.Fatalf("the refusal should name the field: %s", m.status)
	}
	if len(outbox(t, m)) != 0 {
		t.Fatal("nothing may be queued")
	}
	// A template that renders opens compose filled in.
	pressSync(t, m, "c", "3")
	if m.screen != screenCompose || !strings.Contains(m.compose.body.Value(), "Hi Maya,") {
		t.Fatalf("the outreach template should fill in compose:\n%s", frame(m))
	}
}

func TestEditorTextRoundTrip(t *testing.T) {
	to := []crm.Address{{Name: "Maya Chen", Email: "maya@studio.example"}}
	text := editableText("Sam Rivera <sam@glowbrand.example>", to, nil, "Re: rates", "Hello\n\n> quoted\n")
	e, err := parseEditable(text)
	if err != nil {
		t.Fatal(err)
	}
	if e.from == nil || e.from.Email != "sam@glowbrand.example" || len(e.to) != 1 || e.to[0] != to[0] || e.cc != nil ||
		e.subject != "Re: rates" || e.body != "Hello\n\n> quoted\n" {
		t.Fatalf("round trip lost something: %+v", e)
	}
	for text, want := range map[string]string{
		"From: sam@glowbrand.example\nTo: maya@studio.example\nBcc: boss@x.example\n\nHi": `line 3: roster does not set the header "Bcc"`,
		"To: maya@studio.example\nthis is not a header\n\nHi":                             `line 2: "this is not a header" is not a header line`,
		"Subject: x\nTo: maya@, ana@x.example\n\nHi":                                      "line 2: To:",
		"From: nobody\nTo: maya@studio.example\n\nHi":                                     "line 1: From:",
	} {
		if _, err := parseEditable(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", text, err, want)
		}
	}
}

// reviewedReply is a w×h screen on the review of a reply to Maya's
// thread saying text.
func reviewedReply(t *testing.T, w, h int, text string) *Model {
	t.Helper()
	m := newSending(t, w, h)
	withThread(t, m)
	pressSync(t, m, "r")
	typeText(t, m, text)
	press(t, m, "ctrl+s")
	return m
}

// editorWrites ends an $EDITOR run that left text in path, as the
// editor's exit message does.
func editorWrites(t *testing.T, m *Model, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	m.Update(editorDoneMsg{path: path})
}

func TestEditorResultGoesToTheReviewOrIsKept(t *testing.T) {
	m := reviewedReply(t, 100, 30, "Hi")
	// What the editor wrote comes back through its exit message.
	path := filepath.Join(t.TempDir(), "mail.eml")
	good := "From: Sam Rivera <sam@glowbrand.example>\nTo: Maya Chen <maya@chen.example>\nCc: ana@x.example\nSubject: Re: Collab, rates\n\nEdited in vi.\n"
	editorWrites(t, m, path, good)
	s := frame(m)
	if m.screen != screenPreview || !strings.Contains(s, "Subject      Re: Collab, rates") || !strings.Contains(s, "Cc           ana@x.example") ||
		!strings.Contains(s, "Edited in vi.") || !strings.Contains(s, "In-Reply-To  <r1@x.example>") {
		t.Fatalf("the editor's text should be reviewed, threading kept:\n%s", s)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("the temp file should be removed")
	}
	bad := "From: Sam Rivera <sam@glowbrand.example>\nTo: maya@chen.example\nX-Priority 1\n\nEdited again, with care.\n"
	editorWrites(t, m, path, bad)
	if m.screen != screenPreview || m.compose.kept != bad || !strings.Contains(m.status, "line 3") || !strings.Contains(m.status, "kept") {
		t.Fatalf("a malformed header should be named and the text kept: status %q", m.status)
	}
	if strings.Contains(frame(m), "Edited again") {
		t.Fatal("the review must still show the last good draft, not the unread text")
	}
}

func TestRemoteRefusesTheEditor(t *testing.T) {
	m := newSending(t, 100, 30)
	m.c.Remote = true
	withThread(t, m)
	pressSync(t, m, "r")
	press(t, m, "ctrl+s", "e")
	if m.screen != screenPreview || !strings.Contains(frame(m), "no external editor over ssh") {
		t.Fatalf("over ssh e should explain and stay:\n%s", frame(m))
	}
}

// stateMails queues one mail per creator and moves each to a state.
func stateMails(t *testing.T, svc *crm.Service) {
	t.Helper()
	b, err := svc.Board("")
	if err != nil {
		t.Fatal(err)
	}
	states := []crm.OutboxState{crm.OutboxQueued, crm.OutboxSending, crm.OutboxSent, crm.OutboxFailed, crm.OutboxInDoubt, crm.OutboxCancelled}
	for i, st := range states {
		c := b.Columns[0][i]
		d, err := svc.ComposeDraft(c.Creator.ID, c.Deal.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		d.Subject, d.Text = "Hello "+string(st), "Body of the "+string(st)+" mail.\n"
		om, err := svc.QueueMail("tess", d)
		if err != nil {
			t.Fatal(err)
		}
		if st == crm.OutboxQueued {
			continue
		}
		if st == crm.OutboxCancelled {
			if _, err := svc.CancelMail("tess", om.ID); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := svc.ClaimMail(om.ID); err != nil {
			t.Fatal(err)
		}
		switch st {
		case crm.OutboxSent:
			_, err = svc.MailDelivered(om.ID, "250 2.0.0 OK queued as 4F2A")
		case crm.OutboxFailed:
			_, err = svc.MailFailed(om.ID, "550 5.1.1 no such user")
		case crm.OutboxInDoubt:
			_, err = svc.MailInDoubt(om.ID, "no answer to the final dot")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestOutboxListsEveryStateAndRetries(t *testing.T) {
	m := newSending(t, 120, 20)
	stateMails(t, m.c.Svc)
	pressSync(t, m, "O")
	s := frame(m)
	if m.screen != screenOutbox {
		t.Fatalf("O should open the outbox:\n%s", s)
	}
	for _, want := range []string{"· queued", "→ sending", "✓ sent", "✗ failed", "? in-doubt", "– cancelled", "550 5.1.1 no such user", "Hello failed"} {
		if !strings.Contains(s, want) {
			t.Errorf("the outbox lacks %q", want)
		}
	}
	golden(t, s)
	// Newest first: the cancelled mail was queued last.
	press(t, m, "enter")
	if s := frame(m); !strings.Contains(s, "Hello cancelled") || !strings.Contains(s, "Message-ID") {
		t.Fatalf("enter should show the mail in full:\n%s", s)
	}
	press(t, m, "esc", "j", "j")
	if om, _ := m.outbox.selected(); om.State != crm.OutboxFailed {
		t.Fatalf("selected %s, want the failed mail", om.State)
	}
	press(t, m, "r")
	if m.confirm == nil {
		t.Fatal("retry should ask first")
	}
	pressSync(t, m, "y")
	if om, _ := m.outbox.selected(); om.State != crm.OutboxQueued || !strings.Contains(frame(m), "is now queued") {
		t.Fatalf("y should put the failed mail back in the queue:\n%s", frame(m))
	}
	press(t, m, "k", "x")
	pressSync(t, m, "y") // the in-doubt mail above it
	if om, _ := m.outbox.selected(); om.State != crm.OutboxCancelled {
		t.Fatalf("x then y should cancel, got %s", om.State)
	}
	// Another program's change reaches the open outbox through the feed.
	b, _ := m.c.Svc.Board("")
	d, _ := m.c.Svc.ComposeDraft(b.Columns[0][7].Creator.ID, "", "")
	d.Subject, d.Text = "From elsewhere", "x\n"
	if _, err := m.c.Svc.QueueMail("ana", d); err != nil {
		t.Fatal(err)
	}
	m.Update(waitChangeCmd(m.c.Ctx, m.sub)())
	m.Update(loadOutboxCmd(m.c.Svc)())
	if !strings.Contains(frame(m), "From elsewhere") {
		t.Fatalf("the outbox should refresh on outbox events:\n%s", frame(m))
	}
	m.c.Svc.ReportOutbox(crm.OutboxStatus{Running: true, Done: 3, Total: 41, Failed: 1})
	if !strings.Contains(frame(m), "✉ sending 3/41, 1 failed") {
		t.Fatalf("the worker's progress should show in the header:\n%s", frame(m))
	}
}

func TestMarksAndTheOutreachStepper(t *testing.T) {
	m := newSending(t, 120, 36)
	b := m.board.data
	// Past Maya Chen, the first prospect: she is negotiating in another
	// campaign, which outreach skips (TestOutreachSkipsCreatorsInTalks).
	p0, p1 := b.Columns[0][1], b.Columns[0][2]
	contacted := b.Columns[1][0]
	press(t, m, "j", "space", "space")
	if got := m.markedDeals(); len(got) != 2 || got[0] != p0.Deal.ID || got[1] != p1.Deal.ID {
		t.Fatalf("space should mark two cards, got %v", got)
	}
	if s := frame(m); strings.Count(s, "✓") < 2 {
		t.Fatalf("marked cards should show a mark:\n%s", s)
	}
	press(t, m, "l", "space") // a contacted creator: skipped, counted
	// Marks survive a reload while their deals exist.
	m.Update(loadBoardCmd(m.c.Svc, m.board.data.Campaign.ID)())
	if len(m.markedDeals()) != 3 {
		t.Fatalf("marks lost on reload: %v", m.markedDeals())
	}
	press(t, m, "b")
	if m.chooser == nil {
		t.Fatalf("b should ask for the template:\n%s", frame(m))
	}
	pressSync(t, m, "2") // follow-up, outreach, terms-confirmation
	s := frame(m)
	if m.screen != screenOutreach || !strings.Contains(s, "1 of 2") || !strings.Contains(s, "1 skipped (1 already contacted in this campaign)") ||
		!strings.Contains(s, "Hi "+strings.Fields(p0.Creator.Name)[0]+",") {
		t.Fatalf("the stepper should show the first of 2 mails and the skipped count:\n%s", s)
	}
	golden(t, s)
	press(t, m, "n")
	if s := frame(m); !strings.Contains(s, "2 of 2") || !strings.Contains(s, p1.Creator.PrimaryEmail()) {
		t.Fatalf("n should show the second mail:\n%s", s)
	}
	press(t, m, "tab")
	if s := frame(m); !strings.Contains(s, contacted.Creator.Name) || !strings.Contains(s, "already contacted") {
		t.Fatalf("tab should list the skipped creator and why:\n%s", s)
	}
	press(t, m, "y")
	if m.confirm == nil || !strings.Contains(frame(m), "Queue 2 mails") {
		t.Fatalf("y should ask once, naming the count:\n%s", frame(m))
	}
	pressSync(t, m, "y")
	if n := len(outbox(t, m)); n != 2 || m.screen != screenBoard || !strings.Contains(frame(m), "queued 2 outreach mails") {
		t.Fatalf("y y should queue both (%d queued):\n%s", n, frame(m))
	}
	if len(m.markedDeals()) != 0 {
		t.Fatal("marks should clear once their mail is queued")
	}
	press(t, m, "space", "M")
	if len(m.markedDeals()) != 0 {
		t.Fatal("M should clear every mark")
	}
}

func TestOutreachTakesTheFilterWhenNothingIsMarked(t *testing.T) {
	m := newSending(t, 120, 36)
	press(t, m, "b")
	if m.chooser != nil || !strings.Contains(frame(m), "mark cards with space") {
		t.Fatalf("b with no marks and no filter should say what to do:\n%s", frame(m))
	}
	m.board.setFilter(m.board.data.Columns[0][0].Creator.Name)
	pressSync(t, m, "b", "2")
	if m.screen != screenOutreach || !strings.Contains(frame(m), "matching /") {
		t.Fatalf("b should take the filtered cards:\n%s", frame(m))
	}
}

// TestOutreachSkipsCreatorsInTalks: Maya Chen negotiates in another
// campaign; outreach to her here is skipped, and the stepper's summary
// and its tab list say why.
func TestOutreachSkipsCreatorsInTalks(t *testing.T) {
	m := newSending(t, 120, 36)
	press(t, m, "space", "j", "space", "b")
	pressSync(t, m, "2")
	s := frame(m)
	if m.screen != screenOutreach || !strings.Contains(s, "1 of 1") || !strings.Contains(s, "1 skipped (1 in talks in another campaign)") {
		t.Fatalf("Maya Chen should be skipped as in talks elsewhere:\n%s", s)
	}
	press(t, m, "tab")
	if s := frame(m); !strings.Contains(s, "Maya Chen") || !strings.Contains(s, "negotiating in") {
		t.Fatalf("tab should name Maya Chen and where she is in talks:\n%s", s)
	}
}

// TestOutreachAsksWhichAccountWhenThereAreSeveral: with two sending
// accounts the manager picks the one the mail goes out from.
func TestOutreachAsksWhichAccountWhenThereAreSeveral(t *testing.T) {
	m := newSending(t, 120, 36)
	team := crm.SendingAccount{Name: "team", DisplayName: "Glow Partnerships", Email: "partners@glowbrand.example"}
	m.c.Svc.SetSending([]crm.SendingAccount{sam, team}, nil)
	press(t, m, "j", "space", "b") // past Maya Chen, in talks elsewhere
	pressSync(t, m, "2")
	if m.chooser == nil || !strings.Contains(frame(m), "from which account?") || !strings.Contains(frame(m), "partners@glowbrand.example") {
		t.Fatalf("with two accounts the outreach should ask which one:\n%s", frame(m))
	}
	pressSync(t, m, "2")
	if m.screen != screenOutreach || len(m.outreach.plan.Drafts) != 1 || m.outreach.plan.Drafts[0].From.Email != "partners@glowbrand.example" {
		t.Fatalf("the plan should go out from the chosen account: %+v\n%s", m.outreach.plan.Drafts, frame(m))
	}
}

// TestReviewKeepsTheDraftAgainstCommands: on the review screen `:outbox`
// is refused like the O key, and help lists only what works there, so
// nothing leads away from (and silently drops) the mail being reviewed.
func TestReviewKeepsTheDraftAgainstCommands(t *testing.T) {
	m := newSending(t, 100, 34)
	withThread(t, m)
	pressSync(t, m, "r")
	typeText(t, m, "Deal.")
	press(t, m, "ctrl+s")
	typeCommand(t, m, "outbox")
	if m.screen != screenPreview {
		t.Fatalf(":outbox left the review:\n%s", frame(m))
	}
	press(t, m, "?")
	if s := frame(m); strings.Contains(s, ":outbox") || !strings.Contains(s, ":quit") {
		t.Fatalf("help on the review should list only what works there:\n%s", s)
	}
}

// TestOutboxGoesBackWhereOWasPressed: esc on the outbox returns to the
// screen O was pressed on (the board, a creator, the unmatched mail), and
// through a report to what the report was opened from, never in a
// circle.
func TestOutboxGoesBackWhereOWasPressed(t *testing.T) {
	m := newSending(t, 100, 30)
	stateMails(t, m.c.Svc)
	back := func(from string, want screen, keys ...string) {
		t.Helper()
		pressSync(t, m, "O")
		if m.screen != screenOutbox {
			t.Fatalf("O from %s should open the outbox:\n%s", from, frame(m))
		}
		press(t, m, keys...)
		if m.screen != want {
			t.Fatalf("back from the outbox opened on %s: screen %v, want %v:\n%s", from, m.screen, want, frame(m))
		}
	}
	back("the board", screenBoard, "esc")
	pressSync(t, m, "enter")
	back("a creator", screenDetail, "enter", "esc", "esc") // esc closes an open mail first
	if m.detail.name() == "" {
		t.Fatal("the creator should still be open")
	}
	pressSync(t, m, "#")
	back("a creator's report", screenDetail, "esc")
	pressSync(t, m, "O", "#")
	back("a report opened from the outbox", screenDetail, "esc")
	press(t, m, "esc")
	pressSync(t, m, "u")
	back("the unmatched mail", screenUnmatched, "q")
}

func TestAddressErrorsNameTheAddressInPlainWords(t *testing.T) {
	for typed, want := range map[string]string{
		"bob@":                         `"bob@" is not an email address`,
		"maya@x.example, bob@":         `"bob@" is not an email address`,
		"Maya <maya@x.example":         `"Maya <maya@x.example" is not an address`,
		"maya@x.example bob@y.example": `"maya@x.example bob@y.example" is not an email address`,
		// A comma inside a quoted name does not end the address.
		`"Chen, Maya" <maya@x.example>, bob@`: `"bob@" is not an email address`,
	} {
		_, err := parseAddrs(0, typed)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "angle-addr") {
			t.Errorf("%q: %v, want %q", typed, err, want)
		}
	}
}

// TestSendRefusedWhileEditorTextHasAProblem: after $EDITOR wrote a line
// roster cannot read, the review still shows the last good draft; y must
// not send that draft and drop the edit silently.
func TestSendRefusedWhileEditorTextHasAProblem(t *testing.T) {
	m := reviewedReply(t, 100, 30, "Hi")
	path := filepath.Join(t.TempDir(), "mail.eml")
	bad := "From: Sam Rivera <sam@glowbrand.example>\nTo: Maya Chen <maya@chen.example>\nCc: broken@@\nSubject: Re: Collab with Glow?\n\nHi\n"
	editorWrites(t, m, path, bad)
	if !strings.Contains(m.status, "line 3") {
		t.Fatalf("the bad Cc line should be named: %q", m.status)
	}
	pressSync(t, m, "y")
	if n := len(outbox(t, m)); n != 0 {
		t.Fatalf("y sent the old draft while the edited text had a problem: %d queued", n)
	}
	if m.screen != screenPreview || !strings.Contains(m.status, "not sent") || !strings.Contains(m.status, "e ") || !strings.Contains(m.status, "esc") {
		t.Fatalf("y should be refused saying e fixes the text and esc discards it: %q", m.status)
	}
	if m.compose.kept != bad {
		t.Fatal("the edited text must still be kept")
	}
}

// failedMail queues a mail to the board's first creator and fails it, as
// the delivery worker would, reporting the pass.
func failedMail(t *testing.T, m *Model, subject string) {
	t.Helper()
	svc := m.c.Svc
	card, _ := m.board.selected()
	d, err := svc.ComposeDraft(card.Creator.ID, card.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	d.Subject, d.Text = subject, "Hello.\n"
	om, err := svc.QueueMail("tess", d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ClaimMail(om.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MailFailed(om.ID, "550 5.1.1 no such user"); err != nil {
		t.Fatal(err)
	}
	svc.ReportOutbox(crm.OutboxStatus{Done: 1, Total: 1, Failed: 1, LastErr: "550 5.1.1 no such user"})
	deliverChanges(t, m)
}

// deliverChanges hands the model what the change feed holds, as the
// change pump would, and runs the loads they start (not the pump again:
// a pump left waiting would take the next changes).
func deliverChanges(t *testing.T, m *Model) {
	t.Helper()
	run(t, m, m.applyChanges(waitChangeCmd(m.c.Ctx, m.sub)().(changedMsg)))
}

// TestHeaderUnsentCountFollowsCancelAndRetry: the header's count of mail
// not sent is what the outbox holds, so a cancel or retry in O clears it
// instead of leaving the worker's last pass on screen.
func TestHeaderUnsentCountFollowsCancelAndRetry(t *testing.T) {
	for _, c := range []struct{ key, state string }{{"x", "cancelled"}, {"r", "queued"}} {
		t.Run(c.state, func(t *testing.T) {
			m := newSending(t, 140, 20)
			failedMail(t, m, "Hello "+c.state)
			if s := frame(m); !strings.Contains(s, "1 not sent (O)") {
				t.Fatalf("the header should count the failed mail:\n%s", s)
			}
			pressSync(t, m, "O")
			press(t, m, c.key)
			pressSync(t, m, "y")
			deliverChanges(t, m)
			s := frame(m)
			if !strings.Contains(s, "is now "+c.state) {
				t.Fatalf("%s then y should make the mail %s:\n%s", c.key, c.state, s)
			}
			if strings.Contains(s, "not sent") {
				t.Fatalf("the header still counts the mail as not sent after it was %s:\n%s", c.state, s)
			}
		})
	}
}

// TestComposeToDoNotContactAsksFirst: c to a creator marked Do not
// contact asks, naming the flag, before any mail is written; n writes
// nothing, y goes on. A reply to their own mail is not asked about.
func TestComposeToDoNotContactAsksFirst(t *testing.T) {
	for _, from := range []string{"board", "detail"} {
		t.Run(from, func(t *testing.T) {
			m := newSending(t, 120, 30)
			card, _ := m.board.selected()
			d, err := m.c.Svc.CreatorDetail(card.Creator.ID)
			if err != nil {
				t.Fatal(err)
			}
			cr := d.Creator
			cr.DoNotContact = true
			if _, err := m.c.Svc.UpdateCreator("tess", cr); err != nil {
				t.Fatal(err)
			}
			deliverChanges(t, m)
			if from == "detail" {
				pressSync(t, m, "enter")
			}
			press(t, m, "c")
			if m.confirm == nil || m.chooser != nil || !strings.Contains(frame(m), "Do not contact") {
				t.Fatalf("c to a Do not contact creator should ask first, naming the flag:\n%s", frame(m))
			}
			press(t, m, "n")
			if m.confirm != nil || m.chooser != nil || m.screen == screenCompose {
				t.Fatalf("n should write nothing:\n%s", frame(m))
			}
			press(t, m, "c", "y")
			if m.chooser == nil {
				t.Fatalf("y should go on to blank mail or a template:\n%s", frame(m))
			}
		})
	}
}
