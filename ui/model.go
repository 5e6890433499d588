package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
)

// readyDelay is how long after the first board load OnReady runs: a few
// frames, enough for the board to be drawn first.
const readyDelay = 150 * time.Millisecond

// readyMsg says the first board has had time to reach the screen.
type readyMsg struct{}

type screen int

const (
	screenBoard screen = iota
	screenDetail
	screenForm
	screenNotes
	screenUnmatched
	screenCompose
	screenPreview
	screenOutbox
	screenOutreach
	screenPager
)

// Model is the root of one roster program. It owns the screens, the
// overlays (help, prompt, confirm), layout and the status line, and routes
// messages: overlays first, then the focused screen's actions, then the
// global ones.
type Model struct {
	c         *Common
	reg       Registry
	title     string
	screen    screen
	board     boardModel
	detail    detailModel
	form      formModel
	notes     notesModel
	unmatched unmatchedModel
	pager     pagerModel
	prompt    promptModel
	help      helpModel
	confirm   *confirmModel
	sendState // compose, review, outbox, outreach and marks (send.go)

	campaignName string
	campaigns    []crm.Campaign
	status       string
	statusErr    bool
	sub          *crm.Subscription
	quitting     bool
	// stylesGen counts style rebuilds, so cached renderings know to redraw.
	stylesGen int
	onReady   func()
	// reloading is set while a change-driven board reload runs; changes
	// that arrive meanwhile set reloadAgain, so a burst of commits (a mail
	// sync storing batch after batch) costs one reload at a time, not one
	// per commit.
	reloading, reloadAgain bool
	// placed is the Place last told to Presence; others is what the
	// other sessions have open, by creator.
	placed Place
	others map[crm.ID][]Visitor
	// syncNote is what the status line said of the last sync (sync.go).
	syncNote syncNote
}

// New builds a program's root model. It subscribes to the service's change
// feed at once so nothing committed between now and the first frame is
// missed; Close ends the subscription.
func New(opts Options) *Model {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	actor := opts.Actor
	if actor == "" {
		actor = "me"
	}
	title := opts.Title
	if title == "" {
		title = "roster"
	}
	c := &Common{Ctx: ctx, Svc: opts.Service, Actor: actor, Remote: opts.Remote, NoColor: opts.NoColor,
		Presence: opts.Presence, DownloadDir: opts.DownloadDir, isDark: true, Width: 80, Height: 24}
	c.Styles = NewStyles(true, opts.NoColor)
	m := &Model{c: c, reg: NewRegistry(), title: title, campaignName: opts.Campaign, onReady: opts.OnReady}
	m.sub = opts.Service.Subscribe()
	m.detail = newDetail()
	return m
}

// Close releases the model's change-feed subscription. Call it after the
// program ends.
func (m *Model) Close() {
	if m.sub != nil {
		m.sub.Close()
	}
}

// Init loads the board, asks the terminal for its background so light
// terminals get light styles, and starts the change pump.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadBoard(), tea.RequestBackgroundColor, waitChangeCmd(m.c.Ctx, m.sub), waitPresenceCmd(m.c.Ctx, m.c.Presence))
}

func (m *Model) loadBoard() tea.Cmd {
	svc, name := m.c.Svc, m.campaignName
	var id crm.ID
	if m.board.loaded {
		id = m.board.data.Campaign.ID
	}
	if name != "" && id == "" {
		return func() tea.Msg {
			c, err := svc.CampaignByName(name)
			if err != nil {
				return boardLoadedMsg{err: err}
			}
			return loadBoardCmd(svc, c.ID)()
		}
	}
	return loadBoardCmd(svc, id)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.syncPresence()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		if m.screen == screenForm {
			m.form.setWidth(msg.Width)
		}
		if m.screen == screenNotes {
			m.notes.setSize(msg.Width, msg.Height-4)
		}
		if m.screen == screenCompose {
			m.compose.setSize(msg.Width, msg.Height-4)
		}
		m.prompt.setWidth(msg.Width)
		return m, nil
	case tea.BackgroundColorMsg:
		m.c.isDark = msg.IsDark()
		m.c.Styles = NewStyles(m.c.isDark, m.c.NoColor)
		m.stylesGen++
		return m, nil
	case tea.KeyPressMsg:
		var cmds []tea.Cmd
		for _, k := range keyPresses(msg) {
			cmds = append(cmds, m.handleKey(k))
		}
		return m, tea.Batch(cmds...)
	case tea.PasteMsg:
		return m, m.forwardText(msg)
	}
	return m, m.handleResult(msg)
}

// handleResult applies the results of commands and live changes.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.sendResult(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case boardLoadedMsg:
		var again tea.Cmd
		if m.reloading {
			m.reloading = false
			if m.reloadAgain {
				m.reloadAgain = false
				again = m.reloadBoard()
			}
		}
		return tea.Batch(m.applyBoard(msg), again)
	case readyMsg:
		if ready := m.onReady; ready != nil {
			m.onReady = nil
			ready()
		}
		return nil
	case cardsLoadedMsg:
		keep, _ := m.board.selectedDeal()
		for _, id := range msg.gone {
			m.board.remove(id)
		}
		for _, c := range msg.cards {
			m.board.upsert(c)
		}
		m.board.rebuild(keep)
		return nil
	case dealSavedMsg:
		if msg.err != nil {
			return m.saveFailed(msg.err, "card", m.reload())
		}
		m.board.upsert(msg.card)
		if m.screen == screenBoard {
			m.board.selectDeal(msg.card.Deal.ID)
		}
		m.setStatus(fmt.Sprintf("%s → %s", sanitize(msg.card.Creator.Name), msg.card.Deal.Stage))
		if m.screen == screenDetail && m.detail.creatorID() == msg.card.Creator.ID {
			return loadDetailCmd(m.c.Svc, msg.card.Creator.ID)
		}
		return nil
	case dealConflictMsg:
		return m.dealConflict(msg)
	case conflictByMsg:
		m.conflictNamed(msg)
		return nil
	case detailLoadedMsg:
		if msg.err != nil {
			m.setErr(msg.err)
			if errors.Is(msg.err, crm.ErrNotFound) {
				m.screen = screenBoard
			}
			return nil
		}
		m.detail.setDetail(msg.detail, m.board.data.Campaign.ID)
		m.detail.setMail(msg.convs)
		return nil
	case creatorSavedMsg:
		return m.creatorSaved(msg)
	case ledgerVersionMsg:
		return m.saveOverCurrent(msg)
	case termsSavedMsg:
		return m.termsSaved(msg)
	case termsDraftMsg:
		return m.termsDraftReady(msg)
	case dueLoadedMsg:
		return m.dueLoaded(msg)
	case reportMsg:
		return m.reportReady(msg)
	case bodyFetchedMsg:
		return m.bodyFetched(msg)
	case backupExistsMsg:
		m.confirmBackupOverwrite(msg.path)
		return nil
	case ignoredLoadedMsg:
		return m.ignoredLoaded(msg)
	case unmatchedLoadedMsg:
		if msg.err != nil {
			m.setErr(msg.err)
			return nil
		}
		m.unmatched.set(msg.msgs, messageID)
		return nil
	case changedMsg:
		return tea.Batch(m.applyChanges(msg), waitChangeCmd(m.c.Ctx, m.sub))
	case syncAskedMsg:
		m.syncAsked(msg)
		return nil
	case presenceMsg:
		m.others = m.c.Presence.Others()
		return waitPresenceCmd(m.c.Ctx, m.c.Presence)
	case statusMsg:
		if msg.err != nil {
			m.setErr(msg.err)
		} else {
			m.setStatus(msg.text)
		}
		return nil
	}
	return m.forwardText(msg)
}

// applyChanges refreshes what a committed change touched: the affected
// cards (or the whole board after a large change) and the open creator.
func (m *Model) applyChanges(msg changedMsg) tea.Cmd {
	var cmds []tea.Cmd
	deals := map[crm.ID]bool{}
	creators := map[crm.ID]bool{}
	mail := false
	// A ledger change, or a deal declined or reopened, moves the money
	// the board's header sums over every deal (a declined deal's terms
	// are not committed), so the whole board reloads (coalesced; these
	// are rare next to mail); unlike a reset it touches one creator, so
	// nothing else does.
	money, syncMoved := false, false
	for _, e := range msg.events {
		switch e.Kind {
		case crm.SyncProgress:
			// The header reads the latest status when drawn; the status
			// line hears of a sync's end.
			syncMoved = true
			continue
		case crm.MailChanged:
			mail = true
		}
		if e.DealID != "" {
			deals[e.DealID] = true
		}
		if e.CreatorID != "" {
			creators[e.CreatorID] = true
		}
		if e.Kind == crm.CampaignCreated || e.Kind == crm.CampaignUpdated {
			msg.reset = true
		}
		money = money || ledgerEvent(e.Kind) || e.Kind == crm.DealDeclined || e.Kind == crm.DealReopened
	}
	for id := range creators {
		for _, d := range m.board.dealsOfCreator(id) {
			deals[d] = true
		}
	}
	if syncMoved || msg.reset {
		m.syncEnded(m.c.Svc.SyncStatus())
	}
	if msg.reset || money || len(deals) > 50 {
		cmds = append(cmds, m.reloadBoard())
	} else if len(deals) > 0 {
		ids := make([]crm.ID, 0, len(deals))
		for id := range deals {
			ids = append(ids, id)
		}
		cmds = append(cmds, loadCardsCmd(m.c.Svc, ids))
	}
	if m.screen != screenBoard && m.detail.loaded() && (msg.reset || creators[m.detail.creatorID()]) {
		cmds = append(cmds, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	}
	if m.screen == screenUnmatched && (mail || msg.reset || len(creators) > 0) {
		cmds = append(cmds, loadUnmatchedCmd(m.c.Svc))
	}
	cmds = append(cmds, m.outboxChanges(msg.events, msg.reset))
	return tea.Batch(cmds...)
}

// applyBoard shows a loaded board; the first one also schedules OnReady.
func (m *Model) applyBoard(msg boardLoadedMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(msg.err)
		return nil
	}
	m.campaigns = msg.campaigns
	m.campaignName = msg.board.Campaign.Name
	m.board.setData(msg.board)
	if msg.unsent != nil && msg.unsent.err == nil {
		m.unsent = msg.unsent.n
	}
	if m.onReady != nil {
		// Let the first board frame reach the screen before background
		// work (mail sync) competes with it for the CPU.
		return tea.Tick(readyDelay, func(time.Time) tea.Msg { return readyMsg{} })
	}
	return nil
}

// reloadBoard reloads the board after a change unless a reload is already
// under way, in which case that one is followed by exactly one more.
func (m *Model) reloadBoard() tea.Cmd {
	if m.reloading {
		m.reloadAgain = true
		return nil
	}
	m.reloading = true
	return m.loadBoard()
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	m.status, m.statusErr = "", false
	if m.confirm != nil {
		return m.confirm.handle(m, msg)
	}
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	if m.help.open {
		return m.help.handle(m, msg)
	}
	if m.prompt.active() {
		return m.prompt.handle(m, msg)
	}
	if cmd, ok := m.sendKey(msg); ok {
		return cmd
	}
	switch m.screen {
	case screenForm:
		return m.form.handle(m, msg)
	case screenNotes:
		return m.notes.handle(m, msg)
	default:
		cmd, _ := dispatch(m, msg, m.reg.screenScope(m.screen), m.globalScope())
		return cmd
	}
}

// forwardText hands non-key messages (cursor blinks, pastes) to whatever
// text input has focus.
func (m *Model) forwardText(msg tea.Msg) tea.Cmd {
	switch {
	case m.prompt.active():
		return m.prompt.update(msg)
	case m.screen == screenForm:
		return m.form.update(msg)
	case m.screen == screenNotes:
		return m.notes.update(msg)
	case m.screen == screenCompose:
		return m.compose.update(msg)
	}
	return nil
}

func (m *Model) setStatus(s string) { m.status, m.statusErr = s, false }
func (m *Model) setErr(err error)   { m.status, m.statusErr = sanitize(err.Error()), true }

// saveFailed reports a failed save. A conflict says who won and reloads, so
// the user sees the current state before trying again.
func (m *Model) saveFailed(err error, what string, reload tea.Cmd) tea.Cmd {
	if m.confirmOwed(err) {
		return nil
	}
	if errors.Is(err, crm.ErrConflict) {
		m.setErr(fmt.Errorf("this %s was changed by someone else meanwhile; reloaded, try again", what))
		return reload
	}
	m.setErr(err)
	return nil
}

// View implements tea.Model.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.WindowTitle = m.windowTitle()
	if m.quitting {
		return v
	}
	w, h := m.c.Width, m.c.Height
	header := m.viewHeader(w)
	footer := m.viewFooter(w)
	bodyH := max(1, h-lipgloss.Height(header)-lipgloss.Height(footer))
	var body string
	switch m.screen {
	case screenDetail:
		body = m.detail.view(m.c, w, bodyH)
	case screenForm:
		body = m.form.view(m.c, w, bodyH)
	case screenNotes:
		body = m.notes.view(m.c, w, bodyH)
	case screenUnmatched:
		body = m.unmatched.view(m.c, w, bodyH)
	case screenCompose:
		body = m.compose.view(m.c, w, bodyH)
	case screenPreview:
		body = m.viewPreview(w, bodyH)
	case screenOutbox:
		body = m.viewOutbox(w, bodyH)
	case screenOutreach:
		body = m.viewOutreach(w, bodyH)
	case screenPager:
		body = m.pager.view(m.c, w, bodyH)
	default:
		body = m.viewBoard(w, bodyH)
	}
	if m.help.open {
		body = overlay(body, m.help.view(m, w, bodyH), w, bodyH)
	}
	if m.chooser != nil {
		body = overlay(body, m.chooser.view(m.c, w), w, bodyH)
	}
	if m.confirm != nil {
		body = overlay(body, m.confirm.view(m.c, w), w, bodyH)
	}
	body = clip(body, bodyH)
	v.SetContent(lipgloss.JoinVertical(lipgloss.Left, header, body, footer))
	if m.prompt.active() {
		v.Cursor = m.prompt.cursor(h - 2)
	}
	return v
}

func (m *Model) windowTitle() string {
	switch m.screen {
	case screenDetail, screenNotes:
		return m.title + " · " + sanitize(m.detail.name())
	case screenUnmatched:
		return m.title + " · unmatched mail"
	case screenPager:
		return m.title + " · " + m.pager.title
	}
	return m.title + " · " + sanitize(m.campaignName)
}

func (m *Model) viewHeader(w int) string {
	st := &m.c.Styles
	all, shown := m.board.total()
	left := st.HeaderTitle.Render(m.title) + st.HeaderMuted.Render(" · ") + st.Bold.Render(sanitize(m.campaignName))
	counts := fmt.Sprintf(" · %d creators", all)
	if m.board.filter != "" {
		counts = fmt.Sprintf(" · %d of %d match /%s", shown, all, sanitize(m.board.filter))
		if m.board.approx {
			counts += " (close matches)"
		}
		if n := m.board.hiddenMatches(); n > 0 {
			counts += fmt.Sprintf(" · D shows %d declined", n)
		}
	}
	if n := len(m.board.data.Declined); n > 0 {
		counts += fmt.Sprintf(" · %d declined", n)
	}
	left += st.HeaderMuted.Render(counts)
	var money string
	if m.screen == screenBoard {
		money = moneyHeader(st, &m.board.data)
	}
	right := st.HeaderMuted.Render(sanitize(m.c.Actor))
	if here := m.othersAt(m.place().Creator); here != "" {
		right = st.Warn.Render("◆ also open: "+here) + st.HeaderMuted.Render(" · ") + right
	}
	if out := m.outboxLine(); out != "" {
		right = out + st.HeaderMuted.Render(" · ") + right
	}
	if sync := m.syncLine((w - 2) / 2); sync != "" {
		right = sync + st.HeaderMuted.Render(" · ") + right
	}
	if money != "" {
		one := left + st.HeaderMuted.Render(" · ") + money
		if lipgloss.Width(one)+lipgloss.Width(right)+3 <= w-2 {
			return st.Header.Width(w).Render(fitRight(one, right, w-2))
		}
		// On a narrow terminal the campaign's money gets a line of its
		// own rather than being cut off.
		return st.Header.Width(w).Render(fitRight(left, right, w-2) + "\n" + fit(moneyHeaderFit(st, &m.board.data, w-2), w-2))
	}
	return st.Header.Width(w).Render(fitRight(left, right, w-2))
}

func (m *Model) viewFooter(w int) string {
	st := &m.c.Styles
	var top string
	switch {
	case m.prompt.active():
		top = m.prompt.view(m.c, w)
	case m.status != "" && m.statusErr:
		// An error's hint is often its end ("say ..."), so it wraps onto
		// up to three lines rather than being cut at the edge.
		lines := wrapCapped(m.status, w, maxStatusLines)
		for i := range lines {
			lines[i] = pad(st.Error.Render(lines[i]), w)
		}
		return strings.Join(lines, "\n") + "\n" + m.shortHelp(w)
	case m.status != "":
		top = st.OK.Render(ansiTrunc(m.status, w))
	default:
		top = ""
	}
	return pad(top, w) + "\n" + m.shortHelp(w)
}

// shortHelp is the footer's one line of keys for the current screen.
func (m *Model) shortHelp(w int) string {
	st := &m.c.Styles
	var acts []Action
	switch m.screen {
	case screenBoard, screenDetail, screenUnmatched, screenPreview, screenOutbox, screenOutreach, screenPager:
		acts = m.reg.screenScope(m.screen).Actions
	case screenCompose:
		return st.Muted.Render(hints(w, "tab/shift+tab fields", "ctrl+s review", "esc discard"))
	case screenForm:
		return st.Muted.Render(hints(w, "tab/↓ next", "shift+tab/↑ previous", "enter next/save", "ctrl+s save", "esc cancel"))
	case screenNotes:
		return st.Muted.Render(hints(w, "ctrl+s save", "esc cancel"))
	}
	// "? help" always shows, last; the others fill what room is left.
	sep := st.Status.Render(" · ")
	helpPart := st.StatusKey.Render("?") + " " + st.Status.Render("help")
	out := ""
	for _, a := range append(acts, m.footerGlobals()...) {
		if a.Footer == "" || a.Name == "help" {
			continue
		}
		k, desc, _ := strings.Cut(a.Footer, " ")
		next := out
		if next != "" {
			next += sep
		}
		next += st.StatusKey.Render(k) + " " + st.Status.Render(desc)
		if lipgloss.Width(next+sep+helpPart) > w {
			break
		}
		out = next
	}
	if out != "" {
		out += sep
	}
	out += helpPart
	return pad(out, w)
}

func ansiTrunc(s string, w int) string { return fit(s, w) }

// maxStatusLines is how tall the status line may grow for an error.
const maxStatusLines = 3

// wrapCapped word-wraps s to w cells in at most n lines; what does not fit
// ends in "…" on the last.
func wrapCapped(s string, w, n int) []string {
	lines := strings.Split(lipgloss.Wrap(s, max(1, w), ""), "\n")
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = ansi.Truncate(lines[n-1], max(0, w-1), "") + "…"
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return lines
}

// hints joins a footer's "key what" hints with " · ", leaving out the
// first ones until the line fits in w: the last (save, cancel) are the
// ones a user cannot guess.
func hints(w int, parts ...string) string {
	for len(parts) > 1 && lipgloss.Width(strings.Join(parts, " · ")) > w {
		parts = parts[1:]
	}
	return fit(strings.Join(parts, " · "), w)
}

// clip cuts s to at most h lines, so an overlay taller than the screen
// can never push the footer off it.
func clip(s string, h int) string {
	if strings.Count(s, "\n") < h {
		return s
	}
	lines := strings.SplitN(s, "\n", h+1)
	return strings.Join(lines[:h], "\n")
}

// overlay floats box in the middle of base.
func overlay(base, box string, w, h int) string {
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max(0, (w-bw)/2), max(0, (h-bh)/2)
	return lipgloss.NewCompositor(lipgloss.NewLayer(base), lipgloss.NewLayer(box).X(x).Y(y).Z(1)).Render()
}
