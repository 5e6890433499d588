package ui

import (
	"fmt"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// bar draws n of max as a bar width cells wide.
func bar(n, of int64, width int) string {
	if of <= 0 {
		return strings.Repeat("░", width)
	}
	full := int(min(n, of) * int64(width) / of)
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

// WriteReport draws the report as text with bars: the funnel, the median
// days per stage, and each campaign's money against its budget. The
// report screen and `roster report` both print it, so they always agree.
func WriteReport(w io.Writer, r crm.Report) {
	top := 0
	for _, f := range r.Funnel {
		top = max(top, f.Reached)
	}
	fmt.Fprintln(w, "Funnel: deals that reached each stage")
	for _, f := range r.Funnel {
		conv := ""
		if f.Stage != crm.Prospect {
			conv = fmt.Sprintf("  %s of the stage before", wholePercent(f.ConversionBP))
		}
		fmt.Fprintf(w, "  %-12s %s %5d%s\n", f.Stage, bar(int64(f.Reached), int64(top), 30), f.Reached, conv)
	}
	fmt.Fprintln(w, "\nMedian days in each stage (stays still going count up to today)")
	for _, s := range r.Stays {
		if s.Count == 0 {
			fmt.Fprintf(w, "  %-12s %8s\n", s.Stage, "-")
			continue
		}
		fmt.Fprintf(w, "  %-12s %8.1f  (%d stays)\n", s.Stage, s.Median.Hours()/24, s.Count)
	}
	fmt.Fprintln(w, "\nCampaigns: spend against budget")
	for _, c := range r.Campaigns {
		fmt.Fprintf(w, "  %s: %s\n", crm.SanitizeLine(c.Campaign.Name), crm.Count(c.Deals, "live deal"))
		budget := "none"
		if c.Campaign.Budget.AmountMinor > 0 {
			budget = c.Campaign.Budget.String()
		}
		overpaid := ""
		if len(c.Overpaid) > 0 {
			// Paid beyond the fees, kept apart from owed: a surplus does
			// not settle another creator's debt.
			overpaid = " · overpaid " + c.Overpaid.String()
		}
		fmt.Fprintf(w, "    budget %s · committed %s · paid %s · owed %s%s\n", budget, c.Committed, c.Paid, c.Owed, overpaid)
		if spent, ok := c.SpentBP(); ok {
			fmt.Fprintf(w, "    paid   %s %s of budget\n", bar(int64(spent), 10000, 30), wholePercent(spent))
		}
		if off := c.OffBudget(); len(off) > 0 {
			fmt.Fprintf(w, "    (the budget counts %s only; money in %s is not measured against it)\n", c.Campaign.Budget.Currency, strings.Join(off, " and "))
		}
	}
}

// wholePercent rounds basis points to a whole percent, as a report reads
// ("56%"; crm.Percent's exact "55.56%" is for terms, where it is agreed).
func wholePercent(bp int) string {
	return fmt.Sprintf("%d%%", (bp+50)/100)
}

// reportMsg carries the report for the report screen.
type reportMsg struct {
	r   crm.Report
	err error
}

// showReport loads the report (# or :report).
func (m *Model) showReport() tea.Cmd {
	svc := m.c.Svc
	return func() tea.Msg {
		r, err := svc.Report()
		return reportMsg{r: r, err: err}
	}
}

// reportReady shows the report on the pager screen; esc goes back.
func (m *Model) reportReady(msg reportMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(msg.err)
		return nil
	}
	var b strings.Builder
	WriteReport(&b, msg.r)
	m.openPager("Report", b.String())
	return nil
}
