package crm

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxReferences bounds a reply's References: long threads keep the first
// id (the thread's root) and the latest ones, as RFC 5322 suggests and
// mail clients do.
const maxReferences = 20

// Validate refuses a draft that cannot be sent as it is, naming the field:
// no recipient, a malformed address, or a header value with a line break
// or control character. The last is what makes header injection
// impossible however a value was made (a template field, a pasted name):
// nothing reaches the renderer that could end one header and start
// another.
func (d *Draft) Validate() error {
	if len(d.To) == 0 {
		return &FieldError{Field: "to", Msg: "has no recipient"}
	}
	check := func(field string, as []Address) error {
		for i, a := range as {
			f := fmt.Sprintf("%s[%d]", field, i)
			if err := CheckEmail(a.Email); err != nil {
				return &FieldError{Field: f, Msg: fmt.Sprintf("%q is not an email address", a.Email)}
			}
			if p := lineProblem(a.Name); p != "" {
				return &FieldError{Field: f + " name", Msg: p}
			}
		}
		return nil
	}
	if err := check("to", d.To); err != nil {
		return err
	}
	if err := check("cc", d.Cc); err != nil {
		return err
	}
	if err := check("from", []Address{d.From}); err != nil {
		return err
	}
	if strings.TrimSpace(d.Subject) == "" {
		return &FieldError{Field: "subject", Msg: "is empty"}
	}
	if p := lineProblem(d.Subject); p != "" {
		return &FieldError{Field: "subject", Msg: p}
	}
	for i, id := range append([]string{d.InReplyTo}, d.References...) {
		if i == 0 && id == "" {
			continue
		}
		if !validMsgID(id) {
			return &FieldError{Field: "references", Msg: fmt.Sprintf("%q is not a Message-ID", id)}
		}
	}
	if strings.TrimSpace(d.Text) == "" {
		return &FieldError{Field: "body", Msg: "is empty"}
	}
	return nil
}

// lineProblem says what makes s unfit for one header line (a subject, a
// display name, a template field printed in a subject), or "": a line
// break (header injection), invalid UTF-8, a control character (ESC
// starts terminal sequences) or bidi override, or more than RFC 5322's
// 998 bytes. Tabs are fine: they collapse into a space. Templates and
// drafts ask the same question, so a template never renders a subject
// its draft would then refuse.
func lineProblem(s string) string {
	if !utf8.ValidString(s) && !strings.ContainsAny(s, "\r\n") {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n':
			return "has a line break"
		case r != '\t' && unicode.IsControl(r):
			return fmt.Sprintf("has a control character (%U)", r)
		case IsBidiControl(r):
			return fmt.Sprintf("has a bidirectional control character (%U)", r)
		}
	}
	if len(s) > 998 {
		return "is longer than a header line may be"
	}
	return ""
}

// validMsgID accepts the normalised ids roster stores: printable ASCII,
// no space or angle bracket, an "@" inside.
func validMsgID(id string) bool {
	if id == "" || len(id) > 250 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return strings.Contains(id, "@")
}

// cleanName makes a display name one safe line: a name that came from a
// spreadsheet or a hostile mail never breaks a header.
func cleanName(s string) string {
	return strings.Join(strings.Fields(SanitizeLine(s)), " ")
}

// trimReferences keeps the first id and the newest maxReferences-1.
func trimReferences(refs []string) []string {
	if len(refs) <= maxReferences {
		return refs
	}
	out := []string{refs[0]}
	return append(out, refs[len(refs)-(maxReferences-1):]...)
}
