package crm

import (
	"slices"
	"time"
)

// Report is the pipeline and the money in numbers: how far deals get,
// how long they sit in each stage, and what each campaign committed and
// paid against its budget.
type Report struct {
	// Funnel has one step per board stage, in board order.
	Funnel []FunnelStep
	// Stays has one entry per board stage, in board order.
	Stays     []StageStay
	Campaigns []CampaignMoney
}

// FunnelStep is how many deals ever reached a stage (directly or by
// skipping past it) and, after the first, what share of the previous
// step's deals got here, in basis points.
type FunnelStep struct {
	Stage        Stage
	Reached      int
	ConversionBP int
}

// StageStay is the median time deals spend in a stage, counting both the
// stays that ended and the ones still going on day now; Count is how many
// stays that is.
type StageStay struct {
	Stage  Stage
	Median time.Duration
	Count  int
}

// CampaignMoney is one campaign's money: its budget, the fees agreed on
// its live deals (committed), what was paid, what is owed and what was
// overpaid, each per currency.
type CampaignMoney struct {
	Campaign  Campaign
	Deals     int
	Committed Totals
	Paid      Totals
	Owed      Totals
	// Overpaid sums what the live deals were paid beyond their fees
	// (Balance.Overpaid). It is kept apart from Owed rather than netted
	// against it: one creator's surplus does not settle another's debt,
	// and a surplus is money to ask back or to account for.
	Overpaid Totals
}

// SpentBP is the share of the budget paid so far, in basis points, in the
// budget's currency; ok is false without a budget.
func (c CampaignMoney) SpentBP() (int, bool) {
	b := c.Campaign.Budget
	if b.AmountMinor <= 0 {
		return 0, false
	}
	return int(c.Paid[b.Currency] * 10000 / b.AmountMinor), true
}

// OffBudget lists, sorted, the currencies the campaign's fees or payments
// are in that its budget is not: SpentBP counts payments in the budget's
// own currency only, so a budget set in another currency than the fees
// reads 0% however much is paid. It is nil without a budget.
func (c CampaignMoney) OffBudget() []string {
	b := c.Campaign.Budget
	if b.AmountMinor <= 0 {
		return nil
	}
	var out []string
	for _, t := range []Totals{c.Committed, c.Paid} {
		for cur, n := range t {
			if n != 0 && cur != b.Currency && !slices.Contains(out, cur) {
				out = append(out, cur)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Report reads every deal and ledger once and sums them up on the
// service's today.
func (s *Service) Report() (Report, error) {
	now := s.clock.Now()
	var r Report
	reached := make([]int, len(BoardStages))
	stays := make([][]time.Duration, len(BoardStages))
	byCampaign := map[ID]*CampaignMoney{}
	err := s.repo.View(func(tx Tx) error {
		cs, err := tx.Campaigns()
		if err != nil {
			return err
		}
		for _, c := range cs {
			r.Campaigns = append(r.Campaigns, CampaignMoney{Campaign: c})
		}
		for i := range r.Campaigns {
			byCampaign[r.Campaigns[i].Campaign.ID] = &r.Campaigns[i]
		}
		return tx.ForEachDeal(func(d *Deal) error {
			furthest := -1
			for i, h := range d.History {
				k := h.Stage.Index()
				if k < 0 {
					continue
				}
				furthest = max(furthest, k)
				end := now
				if i+1 < len(d.History) {
					end = d.History[i+1].At
				}
				if end.After(h.At) {
					stays[k] = append(stays[k], end.Sub(h.At))
				}
			}
			for k := 0; k <= furthest; k++ {
				reached[k]++
			}
			if cm := byCampaign[d.CampaignID]; cm != nil {
				if _, err := cm.addDeal(tx, d, now); err != nil {
					return err
				}
			}
			return nil
		})
	})
	for k, st := range BoardStages {
		step := FunnelStep{Stage: st, Reached: reached[k]}
		if k > 0 && reached[k-1] > 0 {
			// Rounded to the nearest basis point: 2 of 3 is 66.67%.
			step.ConversionBP = (reached[k]*10000 + reached[k-1]/2) / reached[k-1]
		}
		r.Funnel = append(r.Funnel, step)
		r.Stays = append(r.Stays, StageStay{Stage: st, Median: median(stays[k]), Count: len(stays[k])})
	}
	return r, err
}

// median of ds (the mean of the two middle ones for an even count); 0 for
// none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
