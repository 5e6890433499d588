package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"roster/crm"
)

// outreachFlags are roster outreach's own flags.
type outreachFlags struct {
	template, stage, tag, account string
	dryRun, yes                   bool
}

func outreachCommand() command {
	return command{name: "outreach", summary: "send a template to a campaign's creators (--dry-run shows every mail, --yes sends)", run: runOutreach,
		flags: func(fs *flag.FlagSet, g *globals) {
			o := &g.outreach
			fs.StringVar(&o.template, "template", "", "template name (outreach, follow-up, terms-confirmation, or a file of yours)")
			fs.StringVar(&g.campaign, "campaign", "", "campaign name (default: the first campaign)")
			fs.StringVar(&o.stage, "stage", "", "only deals in this stage")
			fs.StringVar(&o.tag, "tag", "", "only creators with this tag")
			fs.StringVar(&o.account, "account", "", "send from this account (default: the first with [accounts.smtp])")
			fs.BoolVar(&o.dryRun, "dry-run", false, "print every mail that would go out, send nothing (needs no [accounts.smtp])")
			fs.BoolVar(&o.yes, "yes", false, "queue and send the mails")
		}}
}

// runOutreach plans the mails, shows or sends them, and reports every
// recipient. A problem with one creator stops nobody else; the exit
// status is 1 when any mail could not be written or sent.
func runOutreach(ctx context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	o := g.outreach
	if err := noArgs(fs); err != nil {
		return err
	}
	if o.template == "" {
		return usageError{"--template is missing"}
	}
	if o.dryRun == o.yes {
		return usageError{"choose --dry-run (show the mails) or --yes (send them)"}
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	var flush func(context.Context) error
	if o.dryRun {
		note, err := d.Drafts(svc, g.config, o.account)
		if err != nil {
			return err
		}
		if note != "" {
			fmt.Fprintln(d.Stderr, "note: "+note)
		}
	} else if flush, err = d.Mail(svc, g.config); err != nil {
		return err
	}
	q := crm.OutreachQuery{Template: o.template, Account: o.account, Tag: o.tag}
	if o.stage != "" {
		st, err := crm.ParseStage(o.stage)
		if err != nil {
			return err
		}
		q.Stage = st
	}
	if g.campaign != "" {
		c, err := svc.CampaignByName(g.campaign)
		if err != nil {
			return err
		}
		q.Campaign = c.ID
	}
	plan, err := svc.PlanOutreach(q)
	if err != nil {
		return err
	}
	if o.dryRun {
		for i, dr := range plan.Drafts {
			printDraft(d.Stdout, i+1, len(plan.Drafts), &dr)
		}
	}
	// Who is left out for a reason worth a look, by name: a count alone
	// would not say which of the chosen creators are in talks elsewhere
	// or asked not to be contacted. The routine skips (contacted or
	// declined in this campaign) stay counts: a second run over a large
	// campaign would list hundreds of them.
	for _, s := range plan.Skipped {
		if s.Kind == crm.SkipInTalks || s.Kind == crm.SkipDoNotContact {
			fmt.Fprintf(d.Stdout, "skipped %s: %s\n", clean(s.Creator), clean(s.Reason))
		}
	}
	bad := len(plan.Problems)
	for _, p := range plan.Problems {
		fmt.Fprintf(d.Stderr, "cannot write to %s: %s\n", clean(p.Creator), clean(p.Err.Error()))
	}
	fmt.Fprintln(d.Stdout, outreachSummary(&plan, o.dryRun))
	if o.dryRun || len(plan.Drafts) == 0 {
		return problemsErr(bad)
	}
	queued, err := svc.QueueOutreach(g.actor, plan)
	if err != nil {
		return err
	}
	stop := func() {}
	if isTerminal(d.Stdout) {
		sub := svc.Subscribe()
		defer sub.Close()
		stop = statusLine(d.Stdout, sub, func() string {
			st := svc.OutboxStatus()
			if !st.Running {
				return ""
			}
			return cut(fmt.Sprintf("sending %d/%d %s", st.Done, st.Total, clean(st.Current)), 70)
		})
	}
	ferr := flush(ctx)
	stop()
	for _, m := range queued {
		cur, err := svc.OutboxMail(m.ID)
		if err != nil {
			return err
		}
		to := clean(cur.ToLine())
		switch cur.State {
		case crm.OutboxSent:
			fmt.Fprintf(d.Stdout, "sent       %s\n", to)
		case crm.OutboxQueued:
			fmt.Fprintf(d.Stdout, "will retry %s at %s: %s\n", to, cur.NextAt.Local().Format("15:04"), clean(cur.LastError))
		default:
			bad++
			fmt.Fprintf(d.Stdout, "%-10s %s: %s (roster outbox retry|cancel %s)\n", cur.State, to, clean(cur.LastError), cur.ShortID())
		}
	}
	if ferr != nil {
		return ferr
	}
	return problemsErr(bad)
}

// outreachSummary is the line outreach ends its plan with: how many
// mails go (or, dry, would go), and why the others do not.
func outreachSummary(p *crm.OutreachPlan, dryRun bool) string {
	return fmt.Sprintf("%s %s; skipped %d do-not-contact, %d already contacted, %d declined, %d in talks elsewhere; %d could not be written",
		crm.Count(len(p.Drafts), "mail"), map[bool]string{true: "would be sent", false: "to send"}[dryRun],
		p.SkipCount(crm.SkipDoNotContact), p.SkipCount(crm.SkipContacted), p.SkipCount(crm.SkipDeclined),
		p.SkipCount(crm.SkipInTalks), len(p.Problems))
}

func problemsErr(n int) error {
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%s not reached; see above", crm.Count(n, "recipient"))
}

// printDraft shows one mail as it will go out.
func printDraft(w io.Writer, i, n int, d *crm.Draft) {
	var to []string
	for _, a := range d.To {
		to = append(to, a.String())
	}
	fmt.Fprintf(w, "──── %d/%d %s\nFrom: %s\nTo: %s\nSubject: %s\n\n%s\n", i, n, clean(d.CreatorName), clean(d.From.String()),
		clean(strings.Join(to, ", ")), clean(d.Subject), crm.SanitizeText(strings.TrimRight(d.Text, "\n")))
}
