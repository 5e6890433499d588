package msgparse

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"roster/crm"
)

// adversarialCases are inputs built to hit quadratic paths in the parser
// and the quote splitter.
func adversarialCases() map[string]string {
	hdr := "From: a@b.example\nDate: Tue, 9 Jan 2024 10:02:03 +0100\n"
	return map[string]string{
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
}

// TestAdversarialSizes checks that inputs built to hit quadratic paths
// parse, with text no bigger than the input allows and nothing left of
// an escape sequence. How long they take is BenchmarkAdversarial's to
// measure (make bench), not a unit test's to assert.
func TestAdversarialSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for name, raw := range adversarialCases() {
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		fresh, quoted := crm.SplitQuoted(m.Text)
		if len(m.Text) > 2*len(raw) || len(fresh)+len(quoted) > len(m.Text)+2 {
			t.Errorf("%s: %d bytes of text (%d fresh, %d quoted) from %d bytes of mail", name, len(m.Text), len(fresh), len(quoted), len(raw))
		}
		if strings.Contains(m.Text, "\x1b") {
			t.Errorf("%s: an escape survived", name)
		}
	}
}

// BenchmarkAdversarial times each adversarial input through Parse and
// the quote splitter: a quadratic path shows as seconds here.
func BenchmarkAdversarial(b *testing.B) {
	cases := adversarialCases()
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		raw := []byte(cases[name])
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				m, err := Parse(raw)
				if err != nil {
					b.Fatal(err)
				}
				crm.SplitQuoted(m.Text)
			}
		})
	}
}
