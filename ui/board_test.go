package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
)

func TestBoardFrames(t *testing.T) {
	m := newSeeded(t, 80, 24)
	t.Run("80x24", func(t *testing.T) { golden(t, frame(m)) })
	m.Update(tea.WindowSizeMsg{Width: 132, Height: 36})
	t.Run("132x36", func(t *testing.T) { golden(t, frame(m)) })
}

func TestEveryFrameFitsTheTerminal(t *testing.T) {
	m := newSeeded(t, 80, 24)
	for _, size := range [][2]int{{80, 24}, {60, 15}, {100, 30}, {200, 60}, {30, 10}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, keys := range [][]string{nil, {"l", "l", "l", "l"}, {"?"}, {"?", "enter"}} {
			press(t, m, keys...)
			lines := strings.Split(frame(m), "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d after %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for i, l := range lines {
				if w := len([]rune(l)); w > size[0] {
					t.Errorf("%dx%d after %v: line %d is %d cells: %q", size[0], size[1], keys, i, w, l)
				}
			}
			press(t, m, "esc", "esc")
			m.screen = screenBoard
		}
	}
}

func TestNavigationAndScrollingColumns(t *testing.T) {
	m := newSeeded(t, 80, 24)
	if m.board.col != 0 {
		t.Fatal("cursor should start in Prospect")
	}
	press(t, m, "l", "l", "l", "l", "l")
	if m.board.col != numCols-1 {
		t.Fatalf("col %d after five l", m.board.col)
	}
	s := frame(m)
	if !strings.Contains(s, "Paid") || strings.Contains(s, "Prospect") {
		t.Fatalf("at 80 columns the Paid column should scroll into view and Prospect out:\n%s", s)
	}
	press(t, m, "h", "h", "h", "h")
	press(t, m, "G")
	last := len(m.board.view[0]) - 1
	if m.board.sel[0] != last {
		t.Fatalf("G: row %d, want %d", m.board.sel[0], last)
	}
	if !strings.Contains(frame(m), "↑") {
		t.Fatal("a scrolled column should say how many cards are above")
	}
	press(t, m, "g")
	if m.board.sel[0] != 0 {
		t.Fatal("g did not go to the top")
	}
	press(t, m, "k") // at the top: stays
	if m.board.sel[0] != 0 {
		t.Fatal("k above the first card moved")
	}
}

func TestMoveCardWithKeysLogsTheMove(t *testing.T) {
	m := newSeeded(t, 120, 30)
	card, _ := m.board.selected()
	id, name := card.Deal.ID, card.Creator.Name
	press(t, m, "L")
	if m.board.col != 1 {
		t.Fatalf("cursor did not follow the card: col %d", m.board.col)
	}
	moved, _ := m.board.selected()
	if moved.Deal.ID != id || moved.Deal.Stage != crm.Contacted {
		t.Fatalf("selected %s in %s after L", moved.Creator.Name, moved.Deal.Stage)
	}
	if !strings.Contains(frame(m), name+" → contacted") {
		t.Fatalf("status line should confirm the move:\n%s", frame(m))
	}
	press(t, m, "shift+left")
	if c, _ := m.board.selected(); c.Deal.Stage != crm.Prospect || c.Deal.ID != id {
		t.Fatal("shift+left did not move the card back")
	}
	press(t, m, "enter", "4")
	s := frame(m)
	if !strings.Contains(s, "tess moved "+name+" from prospect to contacted") || !strings.Contains(s, "tess moved "+name+" from contacted to prospect") {
		t.Fatalf("activity log should say who moved what where:\n%s", s)
	}
}

func TestDeclineAsksForAReason(t *testing.T) {
	m := newSeeded(t, 120, 30)
	before, _ := m.board.total()
	card, _ := m.board.selected()
	name := card.Creator.Name
	press(t, m, "d")
	if !m.prompt.active() || !strings.Contains(frame(m), "Decline because:") {
		t.Fatalf("d should ask for a reason:\n%s", frame(m))
	}
	press(t, m, "enter")
	if !strings.Contains(frame(m), "a reason is required") {
		t.Fatal("an empty reason must be refused with a message")
	}
	press(t, m, "d")
	typeText(t, m, "rate too high")
	press(t, m, "enter")
	after, _ := m.board.total()
	if after != before-1 {
		t.Fatalf("%d cards after decline, want %d", after, before-1)
	}
	if !strings.Contains(frame(m), name+" → declined") {
		t.Fatalf("no confirmation:\n%s", frame(m))
	}
}

func TestFilterIsLiveAndEscRestores(t *testing.T) {
	m := newSeeded(t, 120, 30)
	all, _ := m.board.total()
	press(t, m, "/")
	typeText(t, m, "maya")
	_, shown := m.board.total()
	if shown == 0 || shown >= all {
		t.Fatalf("filter maya shows %d of %d", shown, all)
	}
	if !strings.Contains(frame(m), "Maya Chen") {
		t.Fatal("Maya Chen should match 'maya'")
	}
	press(t, m, "enter")
	if m.board.filter != "maya" || !strings.Contains(frame(m), "match /maya") {
		t.Fatal("enter should keep the filter and say so in the header")
	}
	press(t, m, "esc")
	if _, shown := m.board.total(); shown != all {
		t.Fatal("esc on the board should clear the filter")
	}
	press(t, m, "/")
	typeText(t, m, "#booktok")
	if _, shown := m.board.total(); shown != 1 {
		t.Fatalf("tag filter #booktok shows %d", shown)
	}
	press(t, m, "esc")
	if _, shown := m.board.total(); shown != all {
		t.Fatal("esc in the prompt should restore the previous filter")
	}
	press(t, m, "/")
	typeText(t, m, "zzzzqqq")
	if !strings.Contains(frame(m), "no match") {
		t.Fatal("empty columns should say no match")
	}
}

func TestHelpIsBuiltFromTheRegistry(t *testing.T) {
	m := newSeeded(t, 120, 40)
	press(t, m, "?")
	s := frame(m)
	for _, a := range m.reg.Board.Actions {
		if !strings.Contains(s, a.Help()) {
			t.Errorf("help lacks %q", a.Help())
		}
	}
	press(t, m, "j") // keys while help is open do not reach the board
	if m.board.sel[0] != 0 {
		t.Fatal("j reached the board through the help overlay")
	}
	press(t, m, "esc")
	if m.help.open {
		t.Fatal("esc should close help")
	}
}

func TestCommandLine(t *testing.T) {
	m := newSeeded(t, 120, 30)
	card, _ := m.board.selected()
	typeCommand(t, m, "move active")
	if c, _ := m.board.selected(); c.Deal.ID != card.Deal.ID || c.Deal.Stage != crm.Active {
		t.Fatal(":move active did not move the card")
	}
	typeCommand(t, m, "frobnicate")
	if !strings.Contains(frame(m), `unknown command "frobnicate"`) {
		t.Fatal("unknown command should be reported")
	}
	typeCommand(t, m, "move")
	if c, _ := m.board.selected(); c.Deal.Stage != crm.Active || !strings.Contains(frame(m), "name the stage") {
		t.Fatalf(":move without a stage must not move the card:\n%s", frame(m))
	}
	typeCommand(t, m, "move nowhere")
	if !strings.Contains(frame(m), "not a board stage") {
		t.Fatalf("bad stage should be reported:\n%s", frame(m))
	}
	typeCommand(t, m, "campaign spring glow launch")
	if m.board.data.Campaign.Name != "Spring glow launch" {
		t.Fatalf("campaign switch: on %q", m.board.data.Campaign.Name)
	}
}

func TestAddCreatorFormNamesTheBadFieldAndKeepsInput(t *testing.T) {
	m := newSeeded(t, 120, 30)
	press(t, m, "a")
	if m.screen != screenForm {
		t.Fatal("a should open the form")
	}
	typeText(t, m, "Rita Moreno")
	press(t, m, "tab")
	typeText(t, m, "rita-at-example")
	press(t, m, "ctrl+s")
	s := frame(m)
	if !strings.Contains(s, "Emails:") || !strings.Contains(s, "not an email address") || m.screen != screenForm {
		t.Fatalf("bad email should be named and the form kept:\n%s", s)
	}
	if m.form.fields[0].input.Value() != "Rita Moreno" {
		t.Fatal("the name typed was lost")
	}
	for range len("rita-at-example") {
		press(t, m, "backspace")
	}
	typeText(t, m, "rita@ritamoves.example")
	press(t, m, "tab")
	typeText(t, m, "@ritamoves")
	press(t, m, "tab")
	typeText(t, m, "12.5k")
	press(t, m, "ctrl+s")
	if m.screen != screenBoard {
		t.Fatalf("save should return to the board: %s\n%s", m.form.err, frame(m))
	}
	c, _ := m.board.selected()
	if c.Creator.Name != "Rita Moreno" || c.Creator.Followers() != 12_500 || c.Deal.Stage != crm.Prospect {
		t.Fatalf("selected after add: %+v", c.Creator)
	}
}

// TestATakenEmailOrHandleFocusesItsField: the domain refuses an email or
// handle another creator has; the form says whose and puts the cursor on
// the field, wherever it was.
func TestATakenEmailOrHandleFocusesItsField(t *testing.T) {
	m := newSeeded(t, 120, 30)
	for _, c := range []struct{ email, tiktok, field string }{
		{"maya@mayamakes.example", "", "Emails"},
		{"rita@ritamoves.example", "@mayamakes", "TikTok"},
	} {
		press(t, m, "a")
		typeText(t, m, "Rita Moreno")
		press(t, m, "tab")
		typeText(t, m, c.email)
		press(t, m, "tab")
		typeText(t, m, c.tiktok)
		press(t, m, "tab", "tab")
		press(t, m, "ctrl+s")
		s := frame(m)
		if m.screen != screenForm || !strings.Contains(s, "already belongs to Maya Chen") ||
			m.form.errField < 0 || m.form.fields[m.form.focusIdx].label != c.field {
			t.Fatalf("a taken %s should focus it and say whose:\n%s", c.field, s)
		}
		press(t, m, "esc")
		if m.confirm != nil {
			press(t, m, "y")
		}
	}
}

func TestEditConflictOffersReloadOrOverwrite(t *testing.T) {
	m := newSeeded(t, 120, 30)
	press(t, m, "enter", "e")
	if m.screen != screenForm {
		t.Fatal("e should open the edit form")
	}
	// Someone else saves the same creator meanwhile.
	other := m.detail.d.Creator
	other.Source = "changed by bob"
	if _, err := m.c.Svc.UpdateCreator("bob", other); err != nil {
		t.Fatal(err)
	}
	press(t, m, "tab")
	press(t, m, "ctrl+s")
	if m.confirm == nil || !strings.Contains(frame(m), "bob saved this creator while you were editing: updated") {
		t.Fatalf("conflict not offered:\n%s", frame(m))
	}
	press(t, m, "o")
	if m.screen != screenDetail {
		t.Fatalf("overwrite should save and return to the creator: %v", m.status)
	}
	d, _ := m.c.Svc.CreatorDetail(other.ID)
	if d.Creator.Source == "changed by bob" {
		t.Fatal("overwrite did not write the form's values")
	}
	if d.Events[0].Actor != "tess" || d.Events[1].Actor != "bob" {
		t.Fatal("both saves should be in the log, bob's first")
	}
}

func TestLiveChangeFromAnotherProgramUpdatesTheBoard(t *testing.T) {
	m := newSeeded(t, 120, 30)
	other := New(Options{Service: m.c.Svc, Actor: "bob"})
	defer other.Close()
	card := m.board.data.Columns[0][0]
	if _, err := m.c.Svc.MoveDeal("bob", card.Deal.ID, card.Deal.Version, crm.Negotiating); err != nil {
		t.Fatal(err)
	}
	// The pump delivers the change; its handler loads the moved card.
	run(t, m, waitChangeCmd(m.c.Ctx, m.sub))
	found := false
	for _, c := range m.board.data.Columns[crm.Negotiating.Index()] {
		found = found || c.Deal.ID == card.Deal.ID
	}
	if !found {
		t.Fatal("a move by another program did not reach this board")
	}
}

func TestHostileNamesCannotReachTheTerminal(t *testing.T) {
	m := newSeeded(t, 120, 30)
	evil := crm.Creator{Name: "Eve\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u202eevil", Emails: []string{"eve@evil.example"}}
	if _, err := m.c.Svc.AddCreator("x", evil, m.board.data.Campaign.ID, ""); err != nil {
		t.Fatal(err)
	}
	run(t, m, m.loadBoard())
	raw := m.View().Content
	if strings.Contains(raw, "\x1b]52") || strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\u202e") {
		t.Fatal("control sequences from data reached the frame")
	}
}

func TestQuitAsksWhenAFormIsDirty(t *testing.T) {
	m := newSeeded(t, 120, 30)
	press(t, m, "a")
	typeText(t, m, "Half typed")
	_, cmd := m.Update(keyMsg("ctrl+c"))
	if cmd != nil || m.confirm == nil {
		t.Fatal("ctrl+c with a dirty form should ask first")
	}
	press(t, m, "n")
	if m.screen != screenForm || m.form.fields[0].input.Value() != "Half typed" {
		t.Fatal("answering n should keep the form as it was")
	}
}

func TestDeclinedColumnFindsAndReopensDeals(t *testing.T) {
	m := newSeeded(t, 160, 40)
	declined := len(m.board.data.Declined)
	if declined == 0 {
		t.Fatal("the demo has declined deals")
	}
	if strings.Contains(frame(m), "Declined") {
		t.Fatal("the declined column should be hidden until asked for")
	}
	press(t, m, "D")
	s := frame(m)
	if !strings.Contains(s, "Declined") || m.board.col != declinedCol {
		t.Fatalf("D should show and focus the declined column:\n%s", s)
	}
	card, _ := m.board.selected()
	if !strings.Contains(s, card.Deal.DeclineReason[:10]) {
		t.Fatalf("declined cards should show their reason %q:\n%s", card.Deal.DeclineReason, s)
	}
	press(t, m, "L")
	if !strings.Contains(frame(m), "o reopens") {
		t.Fatal("moving a declined card should point to o")
	}
	press(t, m, "o")
	if len(m.board.data.Declined) != declined-1 {
		t.Fatalf("o did not reopen: %d declined", len(m.board.data.Declined))
	}
	if c, _ := m.board.selected(); c.Deal.ID != card.Deal.ID || c.Deal.Stage.Index() < 0 {
		t.Fatal("the cursor should follow the reopened card back onto the board")
	}
	press(t, m, "D")
	if m.board.col >= numCols {
		t.Fatal("hiding the declined column left the cursor in it")
	}
}

func TestABurstOfChangesReloadsTheBoardOneAtATime(t *testing.T) {
	m := newSeeded(t, 120, 30)
	first := m.applyChanges(changedMsg{reset: true})
	if first == nil || !m.reloading {
		t.Fatal("a reset should reload the board")
	}
	for range 5 {
		if cmd := m.applyChanges(changedMsg{reset: true}); cmd != nil {
			t.Fatal("a reload started while one was under way")
		}
	}
	if !m.reloadAgain {
		t.Fatal("changes during a reload must schedule one more")
	}
	// The first reload lands: the board is shown and exactly one more
	// reload starts.
	_, next := m.Update(first())
	if !m.reloading || m.reloadAgain || next == nil {
		t.Fatalf("after the first reload: reloading=%v again=%v", m.reloading, m.reloadAgain)
	}
	run(t, m, next)
	if m.reloading || m.reloadAgain {
		t.Fatal("the follow-up reload should end the burst")
	}
}

// TestALedgerChangeReloadsTheBoardNotEveryOpenCreator: a payment changes
// the money the board's header sums, so the board reloads; a creator open
// in another session reloads only when the payment is theirs. A deal
// declined or reopened moves the header's money too.
func TestALedgerChangeReloadsTheBoardNotEveryOpenCreator(t *testing.T) {
	m := newSeeded(t, 120, 30)
	press(t, m, "enter")
	open := m.detail.creatorID()
	var other *crm.Card
	for _, col := range m.board.data.Columns {
		for i := range col {
			if col[i].Creator.ID != open {
				other = &col[i]
			}
		}
	}
	if m.screen != screenDetail || other == nil {
		t.Fatalf("want a creator open and another on the board:\n%s", frame(m))
	}
	for _, c := range []struct {
		creator    crm.ID
		deal       crm.ID
		wantDetail bool
		kind       crm.EventKind
	}{{other.Creator.ID, other.Deal.ID, false, crm.PaymentRecorded}, {open, m.board.dealsOfCreator(open)[0], true, crm.PaymentRecorded},
		{other.Creator.ID, other.Deal.ID, false, crm.DealDeclined}, {other.Creator.ID, other.Deal.ID, false, crm.DealReopened}} {
		m.reloading, m.reloadAgain = false, false
		ev := crm.Event{Kind: c.kind, CreatorID: c.creator, DealID: c.deal}
		var board, detail bool
		for _, msg := range results(t, m.applyChanges(changedMsg{events: []crm.Event{ev}})) {
			switch msg.(type) {
			case boardLoadedMsg:
				board = true
			case detailLoadedMsg:
				detail = true
			}
		}
		if !board || detail != c.wantDetail {
			t.Errorf("%s of %s: board reloaded %v, open creator reloaded %v (want true, %v)", c.kind, c.creator, board, detail, c.wantDetail)
		}
	}
}

// results runs cmd and its batches and returns their messages without
// applying them.
func results(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, results(t, c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// typeFields types values into the open form's fields from the focused
// one on, tab between them.
func typeFields(t *testing.T, m *Model, values ...string) {
	t.Helper()
	for i, v := range values {
		if i > 0 {
			press(t, m, "tab")
		}
		typeText(t, m, v)
	}
}

// TestUnknownFollowersShowNoCountOrTier: a handle saved with the
// followers left empty has no audience known; card, profile and form say
// nothing rather than "0 followers · nano".
func TestUnknownFollowersShowNoCountOrTier(t *testing.T) {
	m := newSeeded(t, 120, 40)
	press(t, m, "a")
	typeFields(t, m, "Zed Quinn", "zed@quinn.example", "@zedq") // name, emails, TikTok; followers left empty
	press(t, m, "ctrl+s")
	c, ok := m.board.selected()
	if m.screen != screenBoard || !ok || c.Creator.Name != "Zed Quinn" {
		t.Fatalf("the creator should be added and selected: %s\n%s", m.form.err, frame(m))
	}
	card := strings.Join(m.renderCard(c, 28, true, testNow), "\n")
	if !strings.Contains(card, "TT @zedq") || strings.Contains(card, " 0") || strings.Contains(card, "nano") {
		t.Fatalf("the card should show the handle with no count or tier:\n%s", card)
	}
	pressSync(t, m, "enter")
	s := frame(m)
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "@zedq") && (strings.Contains(l, "0 followers") || strings.Contains(l, "nano")) {
			t.Fatalf("the profile should not give 0 followers or a tier:\n%s", s)
		}
		if strings.Contains(l, "Tier") && strings.Contains(l, "nano") {
			t.Fatalf("the profile's tier should be unknown:\n%s", s)
		}
	}
	screenHas(t, s, "profile", "@zedq", "followers unknown")
	press(t, m, "e")
	focusField(t, m, "  followers")
	if v := m.form.fields[m.form.focusIdx].input.Value(); v != "" {
		t.Fatalf("the edit form shows followers %q, want empty", v)
	}
}

// TestActivityLogWrapsLongEntries: at 80 columns a long entry (a decline
// reason) wraps under its text instead of being cut: the log keeps why.
func TestActivityLogWrapsLongEntries(t *testing.T) {
	m := newSeeded(t, 80, 30)
	press(t, m, "d")
	typeText(t, m, "went quiet after the brief and the agency asked for twice the rate with exclusivity on every platform")
	press(t, m, "enter", "D")
	m.board.col = declinedCol
	press(t, m, "enter", "4")
	s := oneLine(frame(m))
	if !strings.Contains(s, "exclusivity on every platform") {
		t.Fatalf("the whole reason should be in the log:\n%s", frame(m))
	}
}

// TestActivityLogWrapsALongActorOnce: an actor wider than the log's text
// column wraps with the entry and is written once, within the width.
func TestActivityLogWrapsALongActorOnce(t *testing.T) {
	m := newSeeded(t, 80, 30)
	actor := "partners-team@glowbrand.example"
	m.detail.d.Events = []crm.Event{{At: testNow, Actor: actor, Summary: "moved Maya Chen from contacted to negotiating"}}
	const w = 30
	lines := m.detail.activityLines(m.c, w)
	text := ""
	for _, l := range lines {
		plain := ansi.Strip(l)
		if ansi.StringWidth(plain) > w {
			t.Errorf("%q is wider than %d", plain, w)
		}
		text += strings.TrimSpace(plain[min(len(plain), 16):])
	}
	if strings.Count(text, "glowbra") != 1 || !strings.Contains(text, "negotiating") {
		t.Fatalf("the actor should be written once, the entry whole:\n%s", strings.Join(lines, "\n"))
	}
}
