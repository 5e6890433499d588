package cli

import (
	"strings"
	"testing"
	"unicode/utf8"

	"roster/crm"
)

func TestProgressLine(t *testing.T) {
	if got := progressLine(crm.SyncStatus{}, 60); got != "" {
		t.Fatalf("idle sync draws %q", got)
	}
	got := progressLine(crm.SyncStatus{Running: true, Account: "work", Mailbox: "INBOX", Phase: "headers", Done: 250, Total: 1000}, 80)
	if !strings.HasPrefix(got, "[######..................] ") || !strings.Contains(got, "work INBOX headers 250/1000") {
		t.Fatalf("progress line %q", got)
	}
	got = progressLine(crm.SyncStatus{Running: true, Account: "work", Mailbox: "Sent\x1b]52;c;eA==\x07", Phase: "bodies"}, 80)
	if strings.ContainsRune(got, 0x1b) || !strings.HasSuffix(got, "…") {
		t.Fatalf("unknown total or hostile mailbox name: %q", got)
	}
	got = progressLine(crm.SyncStatus{Running: true, Account: "work", Mailbox: strings.Repeat("Отправленные", 10), Total: 2, Done: 1}, 60)
	if n := utf8.RuneCountInString(got); n > 60 || !utf8.ValidString(got) {
		t.Fatalf("line of %d runes, valid UTF-8 %v", n, utf8.ValidString(got))
	}
}
