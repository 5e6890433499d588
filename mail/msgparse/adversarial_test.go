package msgparse

import (
	"roster/crm"

	"strings"
	"testing"
	"time"
)

// TestAdversarialSizes feeds inputs built to hit quadratic paths and
// checks each stays fast (the budget is loose: the machine is shared).
func TestAdversarialSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	hdr := "From: a@b.example\nDate: Tue, 9 Jan 2024 10:02:03 +0100\n"
	cases := map[string]string{
		"folded header":   "Subject: x" + strings.Repeat("\n y", 300000) + "\n" + hdr + "\nbody",
		"broken folds":    hdr + strings.Repeat("Subject: x\nnot a header\n", 50000) + "\nbody",
		"many parts":      hdr + "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\nContent-Type: image/png\n\nx\n", 100000) + "--b--",
		"many delimiters": hdr + "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--bx\n", 300000),
		"encoded words":   hdr + "Subject: " + strings.Repeat("=?utf-8?q?a?= ", 100000) + "\n\nbody",
		"big To":          hdr + "To: " + strings.Repeat("a@b.example, ", 100000) + "\n\nbody",
		"bad To":          hdr + "To: " + strings.Repeat("Jane Q. Public <a@b.example>, ", 50000) + "\n\nbody",
		"deep html":       hdr + "Content-Type: text/html\n\n" + strings.Repeat("<blockquote>", 50000) + "x",
		"wide html":       hdr + "Content-Type: text/html\n\n" + strings.Repeat("<a href=x><b>y</b></a><td>z</td>", 100000),
		"open links":      hdr + "Content-Type: text/html\n\n" + strings.Repeat("<a href=u><span>t ", 20000),
		"long lines":      hdr + "\n" + strings.Repeat("> On Mon wrote:\n", 200000),
		"escapes":         hdr + "\n" + strings.Repeat("\x1b[", 500000),
		"params":          hdr + "Content-Type: text/plain; " + strings.Repeat("a*1*=%41; ", 100000) + "\n\nx",
	}
	for name, raw := range cases {
		start := time.Now()
		m, err := Parse([]byte(raw))
		d := time.Since(start)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		crm.SplitQuoted(m.Text)
		if total := time.Since(start); total > 3*time.Second {
			t.Errorf("%s took %v (parse %v)", name, total, d)
		}
		t.Logf("%-16s %8d bytes  %v", name, len(raw), time.Since(start))
	}
}
