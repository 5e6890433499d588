package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"roster/crm"
)

func reportCommand() command {
	return command{name: "report", summary: "print the funnel, the median days in each stage and each campaign's spend against budget", run: runReport,
		flags: func(fs *flag.FlagSet, g *globals) {
			fs.StringVar(&g.format, "format", "text", "text (bars and numbers) or json")
		}}
}

func runReport(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	if g.format != "text" && g.format != "json" {
		return usageError{fmt.Sprintf("--format %q: want text or json", g.format)}
	}
	svc, closeDB, err := openInitialised(d, g)
	if err != nil {
		return err
	}
	defer closeDB()
	r, err := svc.Report()
	if err != nil {
		return err
	}
	if g.format == "json" {
		return writeReportJSON(d.Stdout, r)
	}
	writeReportText(d.Stdout, r)
	return nil
}

// moneyJSON is money as the export writes it.
type moneyJSON struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

func totalsJSON(t crm.Totals) []moneyJSON {
	out := []moneyJSON{}
	for _, m := range t.List() {
		out = append(out, moneyJSON{m.AmountMinor, m.Currency})
	}
	return out
}

func writeReportJSON(w io.Writer, r crm.Report) error {
	type step struct {
		Stage        string  `json:"stage"`
		Reached      int     `json:"reached"`
		ConversionBP int     `json:"conversion_bp"`
		MedianDays   float64 `json:"median_days"`
		Stays        int     `json:"stays"`
	}
	type campaign struct {
		Name      string      `json:"name"`
		Deals     int         `json:"deals"`
		Budget    moneyJSON   `json:"budget"`
		Committed []moneyJSON `json:"committed"`
		Paid      []moneyJSON `json:"paid"`
		Owed      []moneyJSON `json:"owed"`
	}
	doc := struct {
		Stages    []step     `json:"stages"`
		Campaigns []campaign `json:"campaigns"`
	}{Stages: []step{}, Campaigns: []campaign{}}
	for i, f := range r.Funnel {
		s := r.Stays[i]
		doc.Stages = append(doc.Stages, step{Stage: string(f.Stage), Reached: f.Reached, ConversionBP: f.ConversionBP,
			MedianDays: math.Round(s.Median.Hours()/24*10) / 10, Stays: s.Count})
	}
	for _, c := range r.Campaigns {
		doc.Campaigns = append(doc.Campaigns, campaign{Name: c.Campaign.Name, Deals: c.Deals,
			Budget:    moneyJSON{c.Campaign.Budget.AmountMinor, c.Campaign.Budget.Currency},
			Committed: totalsJSON(c.Committed), Paid: totalsJSON(c.Paid), Owed: totalsJSON(c.Owed)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// bar draws n of max as a bar width cells wide.
func bar(n, of int64, width int) string {
	if of <= 0 {
		return strings.Repeat("░", width)
	}
	full := int(min(n, of) * int64(width) / of)
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

func writeReportText(w io.Writer, r crm.Report) {
	top := 0
	for _, f := range r.Funnel {
		top = max(top, f.Reached)
	}
	fmt.Fprintln(w, "Funnel: deals that reached each stage")
	for _, f := range r.Funnel {
		conv := ""
		if f.Stage != crm.Prospect {
			conv = fmt.Sprintf("  %s of the stage before", crm.Percent(f.ConversionBP))
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
		fmt.Fprintf(w, "  %s: %d live deals\n", crm.SanitizeLine(c.Campaign.Name), c.Deals)
		budget := "none"
		if c.Campaign.Budget.AmountMinor > 0 {
			budget = c.Campaign.Budget.String()
		}
		fmt.Fprintf(w, "    budget %s · committed %s · paid %s · owed %s\n", budget, c.Committed, c.Paid, c.Owed)
		if spent, ok := c.SpentBP(); ok {
			fmt.Fprintf(w, "    paid   %s %s of budget\n", bar(int64(spent), 10000, 30), crm.Percent(spent))
		}
	}
}
