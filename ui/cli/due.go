package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"roster/crm"
)

// dueFlags are roster due's own flags.
type dueFlags struct{ days int }

func dueCommand() command {
	return command{name: "due", summary: "list the deliverables overdue or due soon, on every board", run: runDue,
		flags: func(fs *flag.FlagSet, g *globals) {
			fs.IntVar(&g.due.days, "days", 7, "also list what falls due within this many days")
			fs.StringVar(&g.format, "format", "text", "text or json")
		}}
}

func runDue(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	if err := oneFormat(g.format, "text", "json"); err != nil {
		return err
	}
	if g.due.days < 0 {
		return usageError{"--days must not be negative"}
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	due, err := svc.DueDeliverables(crm.Day(svc.Clock().Now()).AddDate(0, 0, g.due.days+1))
	if err != nil {
		return err
	}
	if g.format == "json" {
		type row struct {
			Due      string `json:"due"`
			Overdue  bool   `json:"overdue"`
			Creator  string `json:"creator"`
			Campaign string `json:"campaign"`
			Platform string `json:"platform"`
			Kind     string `json:"kind"`
			Quantity int    `json:"quantity"`
			Status   string `json:"status"`
		}
		rows := []row{}
		for _, x := range due {
			dl := x.Deliverable
			rows = append(rows, row{Due: dl.Due.Format(time.DateOnly), Overdue: x.Overdue, Creator: x.Creator, Campaign: x.Campaign,
				Platform: string(dl.Platform), Kind: dl.Kind, Quantity: dl.Quantity, Status: string(dl.Status)})
		}
		return writeJSON(d.Stdout, rows)
	}
	if len(due) == 0 {
		fmt.Fprintln(d.Stdout, "nothing is due")
	}
	for _, x := range due {
		flag := ""
		if x.Overdue {
			flag = "OVERDUE"
		}
		fmt.Fprintf(d.Stdout, "%s  %-7s  %-24s  %-20s  %-9s  %s\n", x.Deliverable.Due.Format(time.DateOnly), flag,
			clean(x.Creator), clean(x.Deliverable.Label()), x.Deliverable.Status, clean(x.Campaign))
	}
	return nil
}
