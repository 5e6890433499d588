package crm_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// poison appends terminal escapes to every string reachable from v
// except IDs, the way a hostile export file could carry them.
func poison(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			poison(v.Elem())
		}
	case reflect.String:
		if v.CanSet() && v.Type() != reflect.TypeFor[crm.ID]() && v.String() != "" {
			v.SetString(v.String() + "\x1b]0;pwned\a\u009b2J\u202e")
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				poison(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			poison(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			c := reflect.New(it.Value().Type()).Elem()
			c.Set(it.Value())
			poison(c)
			v.SetMapIndex(it.Key(), c)
		}
	}
}

// A restored JSON export is a file from anywhere: every text in it
// (campaign names, decline reasons, stage-history notes, terms,
// deliverables, payments), not only the creators', reaches the roster
// without anything a terminal would act on.
func TestRestoreKeepsControlSequencesOutOfEveryRecord(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD", Schedule: "50% on signing, 50% net 30",
		Deliverables: "2 tiktok videos", PromoCode: "MAYA10", Notes: "net terms"})
	if _, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 30000, Currency: "USD"},
		PaidOn: date("2026-11-25"), Method: "PayPal", Reference: "PP-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeclineDeal("alice", card.Deal.ID, card.Deal.Version, "no reply"); err != nil {
		t.Fatal(err)
	}
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	poison(reflect.ValueOf(&snap))
	if !strings.Contains(fmt.Sprintf("%+v", snap), "\x1b]0;pwned") {
		t.Fatal("the snapshot was not poisoned")
	}
	fresh := crm.NewService(crmtest.NewMemory(), nil)
	if res, err := fresh.Restore("bob", snap, crm.ImportOptions{File: "x.json"}); err != nil {
		t.Fatalf("restore: %v %+v", err, res.Problems)
	}
	got, err := fresh.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Ledgers) != 1 || len(got.Deals) != 1 {
		t.Fatalf("restored %d ledgers, %d deals", len(got.Ledgers), len(got.Deals))
	}
	text := fmt.Sprintf("%+v", got)
	if strings.ContainsAny(text, "\x1b\a\u009b\u202e") {
		t.Errorf("control sequences survived the restore:\n%q", text)
	}
}
