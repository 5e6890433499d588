package cli

import (
	"bytes"
	"testing"
	"time"

	"roster/crm"
)

// TestReportJSON pins the shape of roster report --format json: money as
// {"amount_minor", "currency"} (docs/terms.md), totals as a list ordered
// by currency and never null.
func TestReportJSON(t *testing.T) {
	r := crm.Report{
		Funnel: []crm.FunnelStep{{Stage: crm.Prospect, Reached: 4}, {Stage: crm.Contacted, Reached: 3, ConversionBP: 7500}},
		Stays:  []crm.StageStay{{Stage: crm.Prospect, Median: 36 * time.Hour, Count: 4}, {Stage: crm.Contacted}},
		Campaigns: []crm.CampaignMoney{
			{Campaign: crm.Campaign{Name: "Spring", Budget: crm.Money{AmountMinor: 500000, Currency: "USD"}}, Deals: 2,
				Committed: crm.Totals{"USD": 120000, "EUR": 5000, "GBP": 0}, Paid: crm.Totals{"USD": 20000}, Owed: crm.Totals{},
				Overpaid: crm.Totals{"USD": 5500}},
			{Campaign: crm.Campaign{Name: "No budget"}},
		},
	}
	var b bytes.Buffer
	if err := writeReportJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `{
  "stages": [
    {
      "stage": "prospect",
      "reached": 4,
      "conversion_bp": 0,
      "median_days": 1.5,
      "stays": 4
    },
    {
      "stage": "contacted",
      "reached": 3,
      "conversion_bp": 7500,
      "median_days": 0,
      "stays": 0
    }
  ],
  "campaigns": [
    {
      "name": "Spring",
      "deals": 2,
      "budget": {
        "amount_minor": 500000,
        "currency": "USD"
      },
      "committed": [
        {
          "amount_minor": 5000,
          "currency": "EUR"
        },
        {
          "amount_minor": 120000,
          "currency": "USD"
        }
      ],
      "paid": [
        {
          "amount_minor": 20000,
          "currency": "USD"
        }
      ],
      "owed": [],
      "overpaid": [
        {
          "amount_minor": 5500,
          "currency": "USD"
        }
      ]
    },
    {
      "name": "No budget",
      "deals": 0,
      "budget": {
        "amount_minor": 0,
        "currency": ""
      },
      "committed": [],
      "paid": [],
      "owed": [],
      "overpaid": []
    }
  ]
}
`
	if got := b.String(); got != want {
		t.Fatalf("report JSON:\n%s\nwant:\n%s", got, want)
	}
}
