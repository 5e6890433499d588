package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
)

// The Terms tab: what was agreed with the creator on the board's deal,
// every earlier version with what changed in it, the money (agreed, paid,
// owed, overdue, per currency) and the deliverables. It reads the ledger
// that comes with the creator's detail, so it refreshes with it.

// termsLines draws the Terms tab for the deal in the board's campaign.
func (d *detailModel) termsLines(c *Common, w int) []string {
	st := &c.Styles
	deal, ok := d.deal()
	if !ok {
		return []string{st.Muted.Render("No deal in this campaign.")}
	}
	l, ok := d.d.Ledgers[deal.ID]
	cur, has := l.Current()
	if !ok || (!has && len(l.Deliverables) == 0 && len(l.Payments) == 0) {
		return []string{st.Muted.Render("No terms recorded for this deal yet."), "",
			st.Muted.Render("t records what was agreed: fee, commission, deliverables, usage, schedule."),
			st.Muted.Render("On the Mail tab, t on a message also notes it as where the terms were agreed.")}
	}
	now := c.Svc.Clock().Now()
	loc := now.Location()
	field := func(label, value string) string {
		if strings.TrimSpace(value) == "" {
			value = st.Muted.Render("—")
		}
		return st.Label.Render(pad(label, 16)) + value
	}
	var lines []string
	if has {
		head := fmt.Sprintf("Terms v%d · recorded by %s %s", cur.N, sanitize(cur.By), cur.At.In(loc).Format("2006-01-02 15:04"))
		lines = append(lines, st.Bold.Render(head))
		if cur.MessageID != "" {
			// A line of its own: real Message-IDs run to 60 characters
			// and more, which cut the heading off at 80 columns.
			lines = append(lines, "agreed in <"+sanitize(cur.MessageID)+">")
		}
		if cur.ConfirmedIn != "" {
			line := fmt.Sprintf("confirmed to the creator by %s %s", sanitize(cur.ConfirmedBy), cur.ConfirmedAt.In(loc).Format("2006-01-02 15:04"))
			style := st.OK
			// Whether the confirmation really went out, from the outbox,
			// before the long Message-ID so a narrow screen keeps it.
			if om, ok := d.d.Confirmations[cur.ConfirmedIn]; ok {
				switch om.State {
				case crm.OutboxSent:
					line += " · sent"
				case crm.OutboxFailed, crm.OutboxInDoubt:
					line += " · " + string(om.State)
					if om.LastError != "" {
						line += ": " + sanitize(om.LastError)
					}
					line += " (O to retry)"
					style = st.Error
				default:
					line += " · " + string(om.State)
					style = st.Warn
				}
			}
			line += " · in <" + sanitize(cur.ConfirmedIn) + ">"
			lines = append(lines, style.Render(line))
		} else {
			lines = append(lines, st.Muted.Render("not confirmed to the creator yet (S sends the confirmation)"))
		}
		commission := ""
		if cur.CommissionBP != 0 {
			commission = crm.Percent(cur.CommissionBP)
		}
		fee := ""
		if !cur.Fee.IsZero() {
			fee = cur.Fee.String()
		}
		lines = append(lines,
			field("Fee", fee),
			field("Commission", commission),
			field("Promo code", sanitize(cur.PromoCode)),
			field("Affiliate link", sanitize(cur.AffiliateLink)),
			field("Deliverables", sanitize(crm.DeliverablesString(cur.Deliverables))),
			field("Usage rights", usageLine(cur.Usage)),
			field("Exclusivity", exclusivityLine(cur.Exclusivity)),
			field("Schedule", crm.ScheduleString(cur.Schedule)),
		)
		for i, n := range strings.Split(lipgloss.Wrap(sanitizeBlock(cur.Notes), max(10, w-16), ""), "\n") {
			label := ""
			if i == 0 {
				label = "Notes"
			}
			lines = append(lines, field(label, n))
		}
	}
	lines = append(lines, "", st.Bold.Render("Money"))
	lines = append(lines, moneyLines(st, l, now, w)...)
	lines = append(lines, "", st.Bold.Render("Deliverables")+st.Muted.Render("  :deliverable N STATUS [URL] moves one on"))
	if len(l.Deliverables) == 0 {
		lines = append(lines, st.Muted.Render("none"))
	}
	for i, x := range l.Deliverables {
		due := "no due date"
		if !x.Due.IsZero() {
			due = "due " + x.Due.Format(time.DateOnly)
		}
		line := fmt.Sprintf("%d  %-22s %-16s %-9s", i+1, sanitize(x.Label()), due, x.Status)
		if x.Overdue(now) {
			line += " " + st.Error.Render("overdue")
		}
		if x.URL != "" {
			line += " " + sanitize(x.URL)
		}
		lines = append(lines, line)
	}
	if len(l.Terms) > 0 {
		lines = append(lines, "", st.Bold.Render("Versions")+st.Muted.Render("  newest first, each with what changed from the one before"))
	}
	for i := len(l.Terms) - 1; i >= 0; i-- {
		t := l.Terms[i]
		head := fmt.Sprintf("v%d  %s  %s", t.N, t.At.In(loc).Format("2006-01-02 15:04"), sanitize(t.By))
		if t.MessageID != "" {
			head += st.Muted.Render("  agreed in <" + sanitize(t.MessageID) + ">")
		}
		lines = append(lines, head)
		var prev crm.Terms
		if i > 0 {
			prev = l.Terms[i-1]
		}
		diff := crm.DiffTerms(prev, t)
		if i == 0 {
			diff = crm.DiffTerms(crm.Terms{}, t)
		}
		if len(diff) == 0 {
			lines = append(lines, st.Muted.Render("    no change"))
		}
		for _, ch := range diff {
			lines = append(lines, "    "+sanitize(ch))
		}
	}
	return lines
}

// moneyLines is the balance, one currency per figure, then each payable
// and each payment, within w cells.
func moneyLines(st *Styles, l crm.Ledger, now time.Time, w int) []string {
	b := l.Balance(now)
	overdue := b.Overdue.String()
	if len(b.Overdue) > 0 {
		overdue = st.Error.Render(overdue)
	}
	owed := "owed " + b.Owed.String()
	if over := b.Overpaid; len(over) > 0 {
		owed = st.Warn.Render("overpaid by " + over.String())
		if len(b.Owed) > 0 {
			owed = "owed " + b.Owed.String() + " · " + owed
		}
	}
	lines := []string{fmt.Sprintf("agreed %s · paid %s · %s · overdue %s", b.Agreed, b.Paid, owed, overdue)}
	lines = append(lines, payableLines(st, l.Payables(), now, w)...)
	if len(l.Payments) > 0 {
		lines = append(lines, st.Muted.Render("payments"))
	}
	for i, p := range l.Payments {
		line := fmt.Sprintf("%d %s  %14s", i+1, p.PaidOn.Format(time.DateOnly), p.Amount)
		for _, s := range []string{p.Method, p.Reference} {
			if s != "" {
				line += "  " + sanitize(s)
			}
		}
		if p.Voided() {
			// Kept, so the books show what happened, but plainly not
			// counted.
			lines = append(lines, st.Muted.Render(line+"  VOIDED by "+sanitize(p.VoidedBy)+" on "+p.VoidedAt.In(now.Location()).Format(time.DateOnly)+": "+sanitize(p.VoidReason)))
			continue
		}
		lines = append(lines, line+st.Muted.Render("  recorded by "+sanitize(p.RecordedBy)))
	}
	return lines
}

// balanceNote is what a ledger change's status line adds about the
// deal's money: "; owed 350.00 USD", "; overpaid by 550.00 USD", or
// nothing when the deal is paid exactly or has no fee.
func balanceNote(b crm.Balance) string {
	note := ""
	if len(b.Owed) > 0 {
		note += "; owed " + b.Owed.String()
	}
	if over := b.Overpaid; len(over) > 0 {
		note += "; overpaid by " + over.String()
	}
	return note
}

// payableLines lists the payables as a table within w cells: number,
// label, amount, due date, and what is left (overdue, owed or settled).
// The amount, the date and what is left always fit; the label, which the
// Schedule field above shows whole, is shortened to the room left.
func payableLines(st *Styles, ps []crm.Payable, now time.Time, w int) []string {
	if len(ps) == 0 {
		return nil
	}
	// left is what is left to pay in words; shown is left styled.
	type row struct{ n, label, amount, due, left, shown string }
	rows := make([]row, len(ps))
	var nW, labelW, amountW, dueW, leftW int
	for i, p := range ps {
		r := row{n: strconv.Itoa(p.N), label: sanitize(p.Label), amount: p.Amount.String(), due: "due " + p.Due.Format(time.DateOnly)}
		if !p.Known {
			r.due = "due: no post dated yet"
		}
		switch owed := p.Owed(); {
		case owed.AmountMinor <= 0:
			r.left = "settled"
			r.shown = st.OK.Render(r.left)
		case p.Overdue(now):
			r.left = "overdue " + owed.String()
			r.shown = st.Error.Render(r.left)
		case p.Paid.AmountMinor > 0:
			r.left = "owed " + owed.String()
			r.shown = r.left
		}
		rows[i] = r
		nW, labelW = max(nW, len(r.n)), max(labelW, lipgloss.Width(r.label))
		amountW, dueW, leftW = max(amountW, len(r.amount)), max(dueW, len(r.due)), max(leftW, len(r.left))
	}
	fixed := 2 + nW + 2 + amountW + 2 + dueW
	if leftW > 0 {
		fixed += 2 + leftW
	}
	labelW = min(labelW, w-fixed-2)
	lines := []string{st.Muted.Render("payables")}
	for _, r := range rows {
		line := fmt.Sprintf("  %*s  ", nW, r.n)
		if labelW >= 4 {
			line += fit(r.label, labelW) + "  "
		}
		line += fmt.Sprintf("%*s  %-*s", amountW, r.amount, dueW, r.due)
		if r.left != "" {
			line += "  " + r.shown
		}
		lines = append(lines, line)
	}
	return lines
}

func usageLine(u crm.UsageRights) string {
	if u.Days == 0 && len(u.Platforms) == 0 && !u.PaidAds {
		return ""
	}
	var parts []string
	if u.Days > 0 {
		parts = append(parts, fmt.Sprintf("%d days", u.Days))
	}
	if len(u.Platforms) > 0 {
		ps := make([]string, len(u.Platforms))
		for i, p := range u.Platforms {
			ps[i] = sanitize(string(p))
		}
		parts = append(parts, "on "+strings.Join(ps, ", "))
	}
	if u.PaidAds {
		parts = append(parts, "paid ads allowed")
	} else {
		parts = append(parts, "no paid ads")
	}
	return strings.Join(parts, " · ")
}

func exclusivityLine(e crm.Exclusivity) string {
	if e.Category == "" && e.Days == 0 {
		return ""
	}
	return fmt.Sprintf("%s for %d days", sanitize(e.Category), e.Days)
}

// confirmOwed turns the domain's refusal to mark a deal paid while money
// is owed into a question that says how much; yes moves it anyway (and
// the stage history keeps the amount). It reports whether err was one.
func (m *Model) confirmOwed(err error) bool {
	var oe *crm.OwedError
	if !errors.As(err, &oe) {
		return false
	}
	svc, actor, deal := m.c.Svc, m.c.Actor, oe.Deal
	m.confirm = &confirmModel{
		text: fmt.Sprintf("%s is still owed %s. Mark the deal paid anyway?", sanitize(oe.Creator), oe.Owed),
		choices: []choice{
			{key: "y", label: "mark paid anyway", run: func(*Model) tea.Cmd {
				return dealOpAtCurrent(svc, deal, "mark "+oe.Creator+" paid", func(v uint64) (crm.Deal, error) {
					return svc.MoveDealOwing(actor, deal, v, crm.Paid)
				})
			}},
			{key: "n", label: "leave the deal where it is"},
		},
	}
	return true
}

// overpaidFlag is the card flag of a deal paid beyond its fee: worth a
// look (money to ask back or account for) but not urgent, so it is shown
// in the warning colour, not the error colour of the others.
const overpaidFlag = "⚑overpaid"

// cardFlag is the most urgent thing a card must say about the deal's
// ledger, short enough for a narrow column: "⚑2 late", "⚑owed" (a paid
// deal still owed money), "⚑pay due" (a payment overdue), "⚑overpaid"
// (paid beyond the fee; last, as the money is already out and no date
// hangs on it). The Terms tab has the details.
func cardFlag(c *crm.Card) string {
	switch m := c.Money; {
	case m.Late > 0:
		return fmt.Sprintf("⚑%d late", m.Late)
	case c.Deal.Stage == crm.Paid && len(m.Owed) > 0:
		return "⚑owed"
	case m.PayOverdue && c.Deal.Stage != crm.Declined:
		return "⚑pay due"
	case len(m.Overpaid) > 0 && c.Deal.Stage != crm.Declined:
		return overpaidFlag
	}
	return ""
}

// cardFlagStyle is the style a card's flag f is drawn in.
func cardFlagStyle(st *Styles, f string) lipgloss.Style {
	if f == overpaidFlag {
		return st.Warn
	}
	return st.Error
}

// headerMoney is each figure of the campaign's money as the board's
// header shows it: muted, but for what live deals were paid beyond their
// fees, which is in the warning colour as on the Terms tab, so a surplus
// is seen; budget and overpaid are "" when there is none.
func headerMoney(st *Styles, cm crm.CampaignMoney) (budget, committed, paid, owed, overpaid string) {
	if b := cm.Campaign.Budget; b.AmountMinor > 0 {
		budget = st.HeaderMuted.Render("budget " + b.String())
	}
	if len(cm.Overpaid) > 0 {
		overpaid = st.Warn.Render("overpaid " + cm.Overpaid.String())
	}
	return budget, st.HeaderMuted.Render("committed " + cm.Committed.String()), st.HeaderMuted.Render("paid " + cm.Paid.String()),
		st.HeaderMuted.Render("owed " + cm.Owed.String()), overpaid
}

// joinMoney joins the header's money figures that are there with a muted
// " · ".
func joinMoney(st *Styles, parts ...string) string {
	parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" })
	return strings.Join(parts, st.HeaderMuted.Render(" · "))
}

// moneyHeader is the current campaign's money for the board's header:
// "budget 15,000.00 USD · committed 4,500.00 USD · paid 1,000.00 USD ·
// owed 3,500.00 USD", then "· overpaid 200.00 USD" where live deals were
// paid beyond their fees, or "" while nothing is budgeted or agreed.
func moneyHeader(st *Styles, b *crm.Board) string {
	cm := b.Money
	if cm.Campaign.Budget.AmountMinor <= 0 && len(cm.Committed) == 0 && len(cm.Paid) == 0 {
		return ""
	}
	budget, committed, paid, owed, overpaid := headerMoney(st, cm)
	return joinMoney(st, budget, committed, paid, owed, overpaid)
}

// moneyHeaderFit is moneyHeader in w cells: where it does not fit (80
// columns with a budget), the figures that need acting on come first,
// what is owed and then what was overpaid (money to ask back or account
// for), and those that only inform follow, the budget, which # shows,
// last; what does not fit is cut from the end, so a surplus is the last
// figure but owed to go.
func moneyHeaderFit(st *Styles, b *crm.Board, w int) string {
	full := moneyHeader(st, b)
	if full == "" || ansi.StringWidth(full) <= w {
		return full
	}
	budget, committed, paid, owed, overpaid := headerMoney(st, b.Money)
	return joinMoney(st, owed, overpaid, committed, paid, budget)
}

// nextCampaign switches the board to the campaign after the current one
// (C), wrapping around, so campaigns are a key away, not a command.
func (m *Model) nextCampaign() tea.Cmd {
	if len(m.campaigns) < 2 {
		m.setStatus("there is only one campaign; :new-campaign NAME adds one")
		return nil
	}
	cur := m.board.data.Campaign.ID
	for i, c := range m.campaigns {
		if c.ID == cur {
			return m.switchCampaign(m.campaigns[(i+1)%len(m.campaigns)].Name)
		}
	}
	return m.switchCampaign(m.campaigns[0].Name)
}

// ledgerEvent says an event changed a deal's ledger (terms, deliverables,
// payments, a confirmation of terms): each bumps the ledger's version, and
// the board's header sums every deal's money.
func ledgerEvent(k crm.EventKind) bool {
	switch k {
	case crm.TermsRecorded, crm.PaymentRecorded, crm.PaymentVoided, crm.DeliverableAdded, crm.DeliverableChanged, crm.TermsConfirmed:
		return true
	}
	return false
}

// dueDays is how far ahead the due view looks.
const dueDays = 7

// dueLoadedMsg carries the due view's deliverables.
type dueLoadedMsg struct {
	due []crm.DueDeliverable
	err error
}

// showDue loads the deliverables overdue or due within a week (!).
func (m *Model) showDue() tea.Cmd {
	svc := m.c.Svc
	return func() tea.Msg {
		due, err := svc.DueDeliverables(crm.Day(svc.Clock().Now()).AddDate(0, 0, dueDays+1))
		return dueLoadedMsg{due: due, err: err}
	}
}

// dueLoaded shows the due view on the pager screen: overdue first, then
// what falls due this week, one line each; esc goes back.
func (m *Model) dueLoaded(msg dueLoadedMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(msg.err)
		return nil
	}
	lines := []string{fmt.Sprintf("Deliverables overdue or due in the next %d days", dueDays), ""}
	if len(msg.due) == 0 {
		lines = append(lines, "Nothing is due. Every post is on time.")
	}
	for _, d := range msg.due {
		flag := "        "
		if d.Overdue {
			flag = "OVERDUE "
		}
		lines = append(lines, fmt.Sprintf("%s  %s%-20s  %-20s  %s", d.Deliverable.Due.Format(time.DateOnly), flag,
			ansiTrunc(sanitize(d.Creator), 20), sanitize(d.Deliverable.Label()), d.Deliverable.Status))
	}
	m.openPager("Due", strings.Join(lines, "\n"))
	return nil
}

// diffVersions shows what changed between two terms versions of the
// detail's deal (:diff 1 3) on the pager screen, which scrolls and wraps
// however long the changes (notes, deliverables) run; the Terms tab lists
// each version against the one before, this compares any two.
func (m *Model) diffVersions(args []string) tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() || len(args) != 2 {
		m.setErr(errors.New("diff: name two terms versions of this deal, as in :diff 1 3"))
		return nil
	}
	l := m.detail.d.Ledgers[deal.ID]
	var vs [2]crm.Terms
	for i, a := range args {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(a), "v"))
		if err != nil || n < 1 || n > len(l.Terms) {
			m.setErr(fmt.Errorf("diff: %q is not a version of these terms (1 to %d)", a, len(l.Terms)))
			return nil
		}
		vs[i] = l.Terms[n-1]
	}
	diff := crm.DiffTerms(vs[0], vs[1])
	if len(diff) == 0 {
		diff = []string{"no change"}
	}
	for i, d := range diff {
		diff[i] = sanitize(d)
	}
	m.openPager(fmt.Sprintf("Terms v%d → v%d · %s", vs[0].N, vs[1].N, sanitize(m.detail.name())), strings.Join(diff, "\n"))
	return nil
}

// addDeliverable adds a deliverable the terms do not list (an extra
// story, a reshoot): :deliverable-add [N] PLATFORM KIND [by DATE], read
// as the terms' deliverables field reads one line.
func (m *Model) addDeliverable(args []string) tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() {
		m.setErr(errors.New("deliverable-add: open a creator with a deal first"))
		return nil
	}
	specs, err := crm.ParseDeliverables(strings.Join(args, " "))
	if err == nil && len(specs) != 1 {
		err = errors.New("say one deliverable, as in :deliverable-add 1 instagram story by 2026-12-05")
	}
	if err != nil {
		m.setErr(fmt.Errorf("deliverable-add: %w", err))
		return nil
	}
	sp := specs[0]
	d := crm.Deliverable{Platform: sp.Platform, Kind: sp.Kind, Quantity: sp.Quantity, Due: sp.Due, Status: crm.Planned}
	svc, actor, creator, version := m.c.Svc, m.c.Actor, m.detail.creatorID(), m.detail.d.Ledgers[deal.ID].Version
	return func() tea.Msg {
		_, err := svc.AddDeliverable(actor, deal.ID, version, d)
		return termsSavedMsg{creator: creator, summary: "added " + d.Label(), err: err}
	}
}

// voidPayment takes back payment N of the detail's deal (:void-payment N
// REASON), for a payment recorded by mistake.
func (m *Model) voidPayment(args []string) tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() || len(args) < 2 {
		m.setErr(errors.New("void-payment: say which payment and why, as in :void-payment 2 meant for another creator"))
		return nil
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		m.setErr(fmt.Errorf("void-payment: %q is not a payment number (the Terms tab numbers them)", args[0]))
		return nil
	}
	l := m.detail.d.Ledgers[deal.ID]
	svc, actor, creator, version, reason := m.c.Svc, m.c.Actor, m.detail.creatorID(), l.Version, strings.Join(args[1:], " ")
	return func() tea.Msg {
		l, err := svc.VoidPayment(actor, deal.ID, version, n, reason)
		summary := fmt.Sprintf("payment %d voided", n)
		if err == nil {
			summary += balanceNote(l.Balance(svc.Clock().Now()))
		}
		return termsSavedMsg{creator: creator, summary: summary, err: err}
	}
}

// setDeliverable moves deliverable N of the detail's deal to a status,
// with the content's URL once posted (:deliverable 1 posted https://…).
func (m *Model) setDeliverable(args []string) tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() || len(args) < 2 || len(args) > 3 {
		m.setErr(errors.New("deliverable: say which and where it stands, as in :deliverable 1 posted https://…"))
		return nil
	}
	l := m.detail.d.Ledgers[deal.ID]
	n, err := strconv.Atoi(args[0])
	if len(l.Deliverables) == 0 {
		m.setErr(errors.New("deliverable: this deal has no deliverables yet; record terms (t) or add one with :deliverable-add"))
		return nil
	}
	if err != nil || n < 1 || n > len(l.Deliverables) {
		m.setErr(fmt.Errorf("deliverable: %q is not one of this deal's deliverables (1 to %d)", args[0], len(l.Deliverables)))
		return nil
	}
	st, err := crm.ParseDeliverableStatus(args[1])
	if err != nil {
		m.setErr(fmt.Errorf("deliverable %d: %v", n, err))
		return nil
	}
	d := l.Deliverables[n-1]
	d.Status = st
	if len(args) == 3 {
		d.URL = args[2]
	}
	verb := "is"
	if d.Quantity != 1 {
		verb = "are"
	}
	svc, actor, creator, version := m.c.Svc, m.c.Actor, m.detail.creatorID(), l.Version
	return func() tea.Msg {
		_, err := svc.UpdateDeliverable(actor, deal.ID, version, d)
		return termsSavedMsg{creator: creator, summary: fmt.Sprintf("%s %s %s", d.Label(), verb, d.Status), err: err}
	}
}
