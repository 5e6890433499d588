package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"roster/crm"
)

type detailTab int

const (
	tabProfile detailTab = iota
	tabMail
	tabNotes
	tabActivity
	tabTerms
	numTabs
)

var tabNames = [numTabs]string{"Profile", "Mail", "Notes", "Activity", "Terms"}

// detailModel is the creator screen: profile and deals, notes, and the
// activity log, one tab at a time, scrolled as a page.
type detailModel struct {
	d       crm.Detail
	has     bool
	convs   []crm.Conversation
	hasMail bool
	// showQuoted expands the quoted history of every message.
	showQuoted bool
	// jumpToLatest scrolls the Mail tab to the newest message once, when
	// the creator is opened: that is what the manager came to read.
	jumpToLatest bool
	latestLine   int
	// msgSel is the message r, R and [ ] act on (see detail_select.go).
	msgSel
	campaign crm.ID // the board's campaign: its deal is the one acted on
	// preview shows the card's data while the full detail loads.
	preview crm.Creator
	tab     detailTab
	top     int
}

func newDetail() detailModel { return detailModel{} }

func (d *detailModel) open(c crm.Creator, deal crm.Deal, tab detailTab) {
	*d = detailModel{preview: c, campaign: deal.CampaignID, tab: tab}
}

func (d *detailModel) setMail(convs []crm.Conversation) {
	if !d.hasMail {
		d.jumpToLatest = d.tab == tabMail
	}
	d.convs, d.hasMail = convs, true
}

func (d *detailModel) setDetail(x crm.Detail, campaign crm.ID) {
	if d.campaign == "" {
		d.campaign = campaign
	}
	d.d, d.has = x, true
}

func (d *detailModel) loaded() bool { return d.has }

func (d *detailModel) creatorID() crm.ID {
	if d.has {
		return d.d.Creator.ID
	}
	return d.preview.ID
}

// creator is the open creator: the full record once loaded, the card's
// copy before.
func (d *detailModel) creator() crm.Creator {
	if d.has {
		return d.d.Creator
	}
	return d.preview
}

func (d *detailModel) name() string {
	if d.has {
		return d.d.Creator.Name
	}
	return d.preview.Name
}

// deal is the creator's deal in the board's campaign.
func (d *detailModel) deal() (crm.Deal, bool) {
	for _, x := range d.d.Deals {
		if x.CampaignID == d.campaign {
			return x, true
		}
	}
	return crm.Deal{}, false
}

// setTab shows tab t from its top; the Mail tab instead shows the
// selected message, the one r answers (the newest until [ or ] picks
// another), as it does when the creator opens on it, so the selection is
// never off the screen.
func (d *detailModel) setTab(t detailTab) { d.tab, d.top, d.jumpToSel = t, 0, t == tabMail }

func (d *detailModel) cycleTab(delta int) {
	d.setTab(detailTab((int(d.tab) + delta + int(numTabs)) % int(numTabs)))
}

func (d *detailModel) view(c *Common, w, h int) string {
	st := &c.Styles
	var tabs []string
	for i, n := range tabNames {
		label := fmt.Sprintf("%d %s", i+1, n)
		if detailTab(i) == d.tab {
			tabs = append(tabs, st.TabActive.Render(label))
		} else {
			tabs = append(tabs, st.Tab.Render(label))
		}
	}
	title := st.Bold.Render(sanitize(d.name()))
	head := fitRight(" "+title, strings.Join(tabs, "  ")+" ", w)
	rule := st.Rule.Render(strings.Repeat("─", w))
	var lines []string
	if !d.has {
		lines = []string{st.Muted.Render("loading…")}
	} else {
		switch d.tab {
		case tabProfile:
			lines = d.profileLines(c, w-2)
		case tabMail:
			lines = d.mailLines(c, w-2)
		case tabNotes:
			lines = d.notesLines(c, w-2)
		case tabActivity:
			lines = d.activityLines(c, w-2)
		case tabTerms:
			lines = d.termsLines(c, w-2)
		}
	}
	if d.jumpToLatest && d.tab == tabMail && d.hasMail {
		d.top, d.jumpToLatest = d.latestLine, false
	}
	d.scrollToSelected()
	return scrolled([]string{head, rule}, lines, &d.top, w, h)
}

func (d *detailModel) profileLines(c *Common, w int) []string {
	st := &c.Styles
	cr := &d.d.Creator
	field := func(label, value string) string {
		return st.Label.Render(pad(label, 16)) + value
	}
	dash := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return st.Muted.Render("—")
		}
		return sanitize(s)
	}
	lines := []string{field("Name", sanitize(cr.Name))}
	if len(cr.Emails) == 0 {
		lines = append(lines, field("Email", dash("")))
	}
	for i, e := range cr.Emails {
		label := ""
		if i == 0 {
			label = "Email"
		}
		lines = append(lines, field(label, sanitize(e)))
	}
	if len(cr.Handles) == 0 {
		lines = append(lines, field("Handles", dash("")))
	}
	for i, h := range cr.Handles {
		label := ""
		if i == 0 {
			label = "Handles"
		}
		desc := fmt.Sprintf("%-10s @%s · %s followers", h.Platform, sanitize(h.Handle), crm.FormatFollowers(h.Followers))
		if h.Followers <= 0 {
			desc = fmt.Sprintf("%-10s @%s · ", h.Platform, sanitize(h.Handle)) + st.Muted.Render("followers unknown")
		}
		if h.EngagementBP > 0 {
			desc += " · " + crm.FormatEngagement(h.EngagementBP) + " engagement"
		}
		if tier := tierLabel(st, h.Followers); tier != "" {
			desc += " · " + tier
		}
		lines = append(lines, field(label, desc))
	}
	lines = append(lines,
		field("Tier", dash(string(cr.Tier()))),
		field("Tags", dash(strings.Join(cr.Tags, ", "))),
		field("Source", dash(cr.Source)),
		field("Owner", dash(cr.Owner)),
	)
	dnc := "no"
	if cr.DoNotContact {
		dnc = st.Error.Render("yes — never include in outreach")
	}
	lines = append(lines, field("Do not contact", dnc), "", st.Bold.Render("Deals"))
	if len(d.d.Deals) == 0 {
		lines = append(lines, st.Muted.Render("none"))
	}
	now := c.Svc.Clock().Now()
	for _, deal := range d.d.Deals {
		name := string(deal.CampaignID)
		if cp, ok := d.d.Campaigns[deal.CampaignID]; ok {
			name = cp.Name
		}
		marker := "  "
		if deal.CampaignID == d.campaign {
			marker = st.Accent.Render("▸ ")
		}
		line := fmt.Sprintf("%s%s — %s since %s (%s)", marker, sanitize(name), deal.Stage,
			deal.EnteredStage().In(now.Location()).Format("2006-01-02"), ago(now, deal.EnteredStage()))
		if deal.Stage == crm.Declined {
			line += st.Muted.Render(": " + sanitize(deal.DeclineReason) + "  (o reopens)")
		}
		lines = append(lines, line)
	}
	return lines
}

func (d *detailModel) notesLines(c *Common, w int) []string {
	st := &c.Styles
	if strings.TrimSpace(d.d.Creator.Notes) == "" {
		return []string{st.Muted.Render("No notes yet. Press n to write some.")}
	}
	text := sanitizeBlock(d.d.Creator.Notes)
	return strings.Split(lipgloss.Wrap(text, max(10, w), ""), "\n")
}

// activityLines is the log in words: "2026-11-24 14:02  alice  moved Maya
// Chen from contacted to negotiating".
func (d *detailModel) activityLines(c *Common, w int) []string {
	st := &c.Styles
	if len(d.d.Events) == 0 {
		return []string{st.Muted.Render("No activity yet.")}
	}
	loc := c.Svc.Clock().Now().Location()
	var lines []string
	for _, e := range d.d.Events {
		stamp := e.At.In(loc).Format("2006-01-02 15:04")
		// A long entry (a decline reason, a posted URL) wraps under its
		// text rather than being cut: the log is where the why is kept.
		indent := len(stamp) + 2
		actor := sanitize(e.Actor)
		for i, l := range wrapLines(actor+" "+sanitize(e.Summary), max(10, w-indent)) {
			if i > 0 {
				lines = append(lines, strings.Repeat(" ", indent)+l)
				continue
			}
			// An actor wider than the column is itself wrapped: it
			// is coloured only where the first line holds it whole.
			if rest, ok := strings.CutPrefix(l, actor); ok {
				l = st.Accent.Render(actor) + rest
			}
			lines = append(lines, st.Muted.Render(stamp)+"  "+l)
		}
	}
	return lines
}
