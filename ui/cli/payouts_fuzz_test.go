package cli

import (
	"errors"
	"testing"
)

// FuzzReadPaid feeds mark-paid files, CSV and JSON, as a bank export or a
// hand edit might leave them: reading never panics, a refusal names its
// line, and every row read comes from a line of the file.
func FuzzReadPaid(f *testing.F) {
	f.Add([]byte("creator,email,amount,currency,reference,due\nMaya Chen,maya@x.example,250.00,USD,RST-01ab-1,2026-12-01\n"), false)
	f.Add([]byte("\ufeffreference;amount\n\"unterminated,1\n"), false)
	f.Add([]byte(`[{"creator":"Maya","amount":"250.00","currency":"USD","reference":"RST-1"}]`), true)
	f.Add([]byte(`[{"amount": 5}, 3, null`), true)
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		read := readPaidCSV
		if asJSON {
			read = readPaidJSON
		}
		rows, err := read(data)
		if err != nil {
			var le *lineError
			if !errors.As(err, &le) || le.line < 1 {
				t.Fatalf("a refusal must name its line: %v", err)
			}
			return
		}
		lines := 1
		for _, c := range data {
			if c == '\n' {
				lines++
			}
		}
		for _, r := range rows {
			if r.line < 1 || r.line > lines {
				t.Fatalf("row from line %d of a %d-line file", r.line, lines)
			}
		}
	})
}
