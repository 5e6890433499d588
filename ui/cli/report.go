package cli

import (
	"context"
	"flag"
	"io"
	"math"

	"roster/crm"
	"roster/ui"
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
	if err := oneFormat(g.format, "text", "json"); err != nil {
		return err
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
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
	ui.WriteReport(d.Stdout, r)
	return nil
}

// totalsJSON lists totals for the JSON report in crm.Money's own JSON
// shape, as an empty list rather than null when there are none.
func totalsJSON(t crm.Totals) []crm.Money {
	if l := t.List(); l != nil {
		return l
	}
	return []crm.Money{}
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
		Budget    crm.Money   `json:"budget"`
		Committed []crm.Money `json:"committed"`
		Paid      []crm.Money `json:"paid"`
		Owed      []crm.Money `json:"owed"`
		Overpaid  []crm.Money `json:"overpaid"`
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
			Budget:    c.Campaign.Budget,
			Committed: totalsJSON(c.Committed), Paid: totalsJSON(c.Paid), Owed: totalsJSON(c.Owed),
			Overpaid: totalsJSON(c.Overpaid)})
	}
	return writeJSON(w, doc)
}
