package ui

import (
	"reflect"
	"strings"
	"testing"

	"roster/crm"
)

// FuzzParseEditable feeds the editor's parser anything: it never panics,
// a refusal always names a line, and what it accepts survives being
// written out and read back unchanged.
func FuzzParseEditable(f *testing.F) {
	f.Add("From: Sam <sam@glowbrand.example>\nTo: Maya <maya@x.example>\nCc: \nSubject: Re: hi\n\nbody\n")
	f.Add("To: a@b.example, \"Ana, B\" <ana@b.example>\n\n")
	f.Add("Subject: x\nX-Bad 1\n\nbody")
	f.Add("\n\nonly a body")
	f.Add("To: =?utf-8?q?Ma=C3=AFa?= <m@x.example>\r\n\r\nbody\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		e, err := parseEditable(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("refusal without a line: %v", err)
			}
			return
		}
		if strings.ContainsAny(e.subject, "\n") {
			return // a subject the draft's own check refuses later
		}
		from := ""
		if e.from != nil {
			from = formatAddrs([]crm.Address{*e.from})
		}
		again, err := parseEditable(editableText(from, e.to, e.cc, e.subject, e.body))
		if err != nil {
			t.Fatalf("written back, it no longer parses: %v", err)
		}
		again.fromLine, e.fromLine = 0, 0
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("round trip changed the mail:\n%+v\n%+v", e, again)
		}
	})
}
