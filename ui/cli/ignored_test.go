package cli

import (
	"strings"
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestIgnoredListsAndLiftsTheIgnore: `roster ignored` lists the ignored
// senders one a line, `unignore` lists one's mail again, a sender who is
// not ignored is refused naming those who are, and bad usage says how.
func TestIgnoredListsAndLiftsTheIgnore(t *testing.T) {
	mem := crmtest.NewMemory()
	svc := crm.NewService(mem, nil)
	if err := mem.Update(func(tx crm.Tx) error { return tx.PutIgnored("News@Shop.example") }); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runOn(t, svc, "ignored"); code != 0 || out != "news@shop.example\n" {
		t.Fatalf("list: %d %q %s", code, out, errOut)
	}
	if _, errOut, code := runOn(t, svc, "ignored", "unignore", "newz@shop.example"); code != 1 || !strings.Contains(errOut, "news@shop.example") {
		t.Errorf("a typo: %d %q, want refused naming the ignored sender", code, errOut)
	}
	if out, errOut, code := runOn(t, svc, "ignored", "unignore", "NEWS@shop.example"); code != 0 || !strings.Contains(out, "news@shop.example is in the unmatched list again") {
		t.Fatalf("unignore: %d %q %s", code, out, errOut)
	}
	if out, errOut, code := runOn(t, svc, "ignored", "list"); code != 0 || out != "" || !strings.Contains(errOut, "no sender is ignored") {
		t.Errorf("empty list: %d %q %q", code, out, errOut)
	}
	for _, args := range [][]string{{"ignored", "drop", "x@y.example"}, {"ignored", "unignore"}, {"ignored", "list", "x@y.example"}} {
		if _, errOut, code := runOn(t, svc, args...); code != 1 || !strings.Contains(errOut, "usage: roster ignored") {
			t.Errorf("%q: %d %q, want a usage error", args, code, errOut)
		}
	}
}
