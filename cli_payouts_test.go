package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/store"
)

// seedTerms makes a roster with two creators whose terms schedule
// payments: Maya owes 50% now and 50% in 30 days; Ana's fee in euros is
// all due on signing. It returns the deal IDs.
func seedTerms(t *testing.T, db string) (maya, ana crm.ID) {
	t.Helper()
	r, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	svc := crm.NewService(r, nil)
	if err := svc.Init("alice"); err != nil {
		t.Fatal(err)
	}
	cs, _ := svc.Campaigns()
	for _, c := range []struct {
		who  crm.Creator
		form crm.TermsForm
		id   *crm.ID
	}{
		{crm.Creator{Name: "Maya Chen", Emails: []string{"maya@studio.example"}}, crm.TermsForm{Fee: "1,000.01", Currency: "USD", Schedule: "50% on signing, 50% net 30"}, &maya},
		{crm.Creator{Name: "Ana Ruiz", Emails: []string{"ana@ana.example"}}, crm.TermsForm{Fee: "300", Currency: "EUR"}, &ana},
	} {
		card, err := svc.AddCreator("alice", c.who, cs[0].ID, "")
		if err != nil {
			t.Fatal(err)
		}
		terms, err := c.form.Parse()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveTerms("alice", card.Deal.ID, 0, terms); err != nil {
			t.Fatal(err)
		}
		*c.id = card.Deal.ID
	}
	return maya, ana
}

func TestCLIPayoutsExportAndMarkPaidRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	maya, ana := seedTerms(t, db)
	today := time.Now().UTC().Format(time.DateOnly)

	out, errOut, code := roster(t, nil, "--db", db, "payouts")
	if code != 0 {
		t.Fatalf("payouts: exit %d %s", code, errOut)
	}
	want := "creator,email,amount,currency,reference,due\n" +
		"Ana Ruiz,ana@ana.example,300.00,EUR," + string(ana) + "-1," + today + "\n" +
		"Maya Chen,maya@studio.example,500.01,USD," + string(maya) + "-1," + today + "\n"
	if out != want {
		t.Fatalf("payouts csv\n%s\nwant\n%s", out, want)
	}
	later := time.Now().UTC().AddDate(0, 0, 40).Format(time.DateOnly)
	out, _, code = roster(t, nil, "--db", db, "payouts", "--due-before", later, "--format", "json")
	var rows []map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 3 || rows[2]["amount"] != "500.00" || rows[2]["reference"] != string(maya)+"-2" {
		t.Fatalf("payouts json (exit %d)\n%s", code, out)
	}
	if _, errOut, code := roster(t, nil, "--db", db, "payouts", "--due-before", "soon"); code != 1 || !strings.Contains(errOut, `"soon" is not a date`) {
		t.Fatalf("bad --due-before: %d %s", code, errOut)
	}

	// A paid file with bad lines: every one is named, nothing recorded.
	bad := writeFile(t, dir, "paid.csv", "creator,email,amount,currency,reference,due,method\n"+
		"Ana Ruiz,ana@ana.example,300.00,EUR,"+string(ana)+"-1,"+today+",wise\n"+
		"Maya Chen,maya@studio.example,1,2,00,USD,"+string(maya)+"-1,"+today+",paypal\n"+
		"Maya Chen,maya@studio.example,900.00,USD,"+string(maya)+"-1,"+today+",paypal\n"+
		"Nobody,x@x.example,1.00,USD,nosuch-1,"+today+",paypal\n")
	_, errOut, code = roster(t, nil, "--db", db, "payouts", "mark-paid", bad)
	if code != 1 || !strings.Contains(errOut, "paid.csv:3: ") || !strings.Contains(errOut, "nothing was recorded") {
		t.Fatalf("mark-paid with a shifted line: exit %d\n%s", code, errOut)
	}
	bad = writeFile(t, dir, "paid.csv", "creator,email,amount,currency,reference,due,method\n"+
		"Ana Ruiz,ana@ana.example,300.00,EUR,"+string(ana)+"-1,"+today+",wise\n"+
		"Maya Chen,maya@studio.example,1,2,00,USD,"+string(maya)+"-1\n"+
		"Maya Chen,maya@studio.example,900.00,USD,"+string(maya)+"-1,"+today+",paypal\n"+
		"Nobody,x@x.example,1.00,USD,nosuch-1,"+today+",paypal\n")
	_, errOut, code = roster(t, nil, "--db", db, "payouts", "mark-paid", bad)
	if code != 1 || !strings.Contains(errOut, "paid.csv:4: reference "+string(maya)+"-1: paid 900.00 USD but Maya Chen is owed 500.01 USD on it") ||
		!strings.Contains(errOut, "paid.csv:5: reference nosuch-1: no deal nosuch") || !strings.Contains(errOut, "nothing was recorded") {
		t.Fatalf("mark-paid with bad lines: exit %d\n%s", code, errOut)
	}
	if out, _, _ := roster(t, nil, "--db", db, "payouts"); out != want {
		t.Fatalf("a failed mark-paid changed what is due:\n%s", out)
	}

	// The file payouts printed, paid as is, settles everything due now.
	good := writeFile(t, dir, "batch.csv", want)
	out, errOut, code = roster(t, nil, "--db", db, "payouts", "mark-paid", good)
	if code != 0 || !strings.Contains(out, "recorded 2 payments from batch.csv") {
		t.Fatalf("mark-paid: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, _ := roster(t, nil, "--db", db, "payouts"); out != "creator,email,amount,currency,reference,due\n" {
		t.Fatalf("still due after paying:\n%s", out)
	}
	// Paying the same file twice is refused: nothing is owed on it now.
	if _, errOut, code := roster(t, nil, "--db", db, "payouts", "mark-paid", good); code != 1 || !strings.Contains(errOut, "batch.csv:2: ") {
		t.Fatalf("second mark-paid: exit %d %s", code, errOut)
	}
	// The JSON list reads back too, with lines named.
	js := writeFile(t, dir, "batch.json", "[\n  {\"reference\": \""+string(maya)+"-2\", \"amount\": \"500.00\", \"currency\": \"USD\"},\n  {\"reference\": \"x-1\", \"amount\": \"1\", \"currency\": \"USD\"}\n]\n")
	if _, errOut, code := roster(t, nil, "--db", db, "payouts", "mark-paid", js); code != 1 || !strings.Contains(errOut, "batch.json:3: reference x-1: no deal x") {
		t.Fatalf("json mark-paid: exit %d %s", code, errOut)
	}
}

func TestCLIReport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	seedTerms(t, db)
	out, errOut, code := roster(t, nil, "--db", db, "report")
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"Funnel: deals that reached each stage",
		"  prospect     ██████████████████████████████     2",
		"  contacted    ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░     0  0% of the stage before",
		"General: 2 live deals",
		"budget none · committed 300.00 EUR, 1,000.01 USD · paid - · owed 300.00 EUR, 1,000.01 USD",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	out, _, code = roster(t, nil, "--db", db, "report", "--format", "json")
	var doc struct {
		Stages []struct {
			Stage   string `json:"stage"`
			Reached int    `json:"reached"`
		} `json:"stages"`
		Campaigns []struct {
			Committed []struct {
				AmountMinor int64  `json:"amount_minor"`
				Currency    string `json:"currency"`
			} `json:"committed"`
		} `json:"campaigns"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Stages) != 5 || doc.Stages[0].Reached != 2 ||
		len(doc.Campaigns) != 1 || len(doc.Campaigns[0].Committed) != 2 || doc.Campaigns[0].Committed[1].AmountMinor != 100001 {
		t.Fatalf("report json (exit %d):\n%s", code, out)
	}
	if _, errOut, code := roster(t, nil, "--db", db, "report", "--format", "xml"); code != 1 || !strings.Contains(errOut, "want text or json") {
		t.Fatalf("bad format: %d %s", code, errOut)
	}
}

func TestCLIDue(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	maya, _ := seedTerms(t, db)
	r, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := crm.NewService(r, nil)
	late := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	far := time.Now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
	l, _ := svc.Ledger(maya)
	cur, _ := l.Current()
	cur.Deliverables, _ = crm.ParseDeliverables("2 tiktok video by " + late + "; 1 ig story by " + far)
	if _, err := svc.SaveTerms("alice", maya, l.Version, cur); err != nil {
		t.Fatal(err)
	}
	r.Close()
	out, errOut, code := roster(t, nil, "--db", db, "due")
	if code != 0 || !strings.Contains(out, late+"  OVERDUE  Maya Chen") || !strings.Contains(out, "2 tiktok video") || strings.Contains(out, "story") {
		t.Fatalf("due: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = roster(t, nil, "--db", db, "due", "--days", "40", "--format", "json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 || rows[1]["kind"] != "story" || rows[0]["overdue"] != true {
		t.Fatalf("due json (exit %d):\n%s", code, out)
	}
}
