package ui

import (
	"errors"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// The external editor, as aerc and mutt do it: the mail as editable
// headers (From, To, Cc, Subject), a blank line and the body, in a temp
// file handed to $VISUAL or $EDITOR; what comes back is read into the
// fields. A line that cannot be read is named and the whole text is kept
// to edit again, so nothing typed in the editor is lost.

// editorDoneMsg is the editor's exit: the file it edited and how it ended.
type editorDoneMsg struct {
	path string
	err  error
}

// editableText is the mail as the editor shows it.
func editableText(from string, to, cc []crm.Address, subject, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nTo: %s\nCc: %s\nSubject: %s\n\n", from, formatAddrs(to), formatAddrs(cc), subject)
	b.WriteString(body)
	return b.String()
}

// editedMail is what the editor's text says.
type editedMail struct {
	from     *crm.Address // nil when the From line was left out
	fromLine int
	to, cc   []crm.Address
	subject  string
	body     string
}

// parseEditable reads the editor's text back: header lines up to the
// first blank line, then the body. An unknown header, a line that is no
// header or an address that does not parse is refused with its line
// number.
func parseEditable(text string) (editedMail, error) {
	var e editedMail
	text = strings.ReplaceAll(text, "\r\n", "\n")
	head, body, ok := strings.Cut(text, "\n\n")
	if !ok {
		head, body = strings.TrimSuffix(text, "\n"), ""
	}
	e.body = body
	lines := strings.Split(head, "\n")
	for i, line := range lines {
		n := i + 1
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, found := strings.Cut(line, ":")
		if !found || strings.ContainsAny(name, " \t") || name == "" {
			return e, fmt.Errorf("line %d: %q is not a header line (Name: value); the headers end at the first blank line", n, crm.SanitizeLine(truncRunes(line, 60)))
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(name) {
		case "from":
			if value == "" {
				continue
			}
			a, err := mail.ParseAddress(value)
			if err != nil {
				return e, fmt.Errorf("line %d: From: %q is not an address (%s)", n, crm.SanitizeLine(value), strings.TrimPrefix(err.Error(), "mail: "))
			}
			e.from, e.fromLine = &crm.Address{Name: a.Name, Email: a.Address}, n
		case "to", "cc":
			as, err := parseAddrs(fieldTo, value)
			if err != nil {
				var fe *fieldErr
				if errors.As(err, &fe) {
					err = errors.New(fe.msg)
				}
				return e, fmt.Errorf("line %d: %s: %w", n, name, err)
			}
			if strings.EqualFold(name, "to") {
				e.to = as
			} else {
				e.cc = as
			}
		case "subject":
			e.subject = value
		default:
			return e, fmt.Errorf("line %d: roster does not set the header %q here (only From, To, Cc and Subject)", n, crm.SanitizeLine(name))
		}
	}
	return e, nil
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// editorCommand is $VISUAL, else $EDITOR, else vi, split into words so
// "code --wait" works.
func editorCommand(path string) *exec.Cmd {
	ed := os.Getenv("VISUAL")
	if strings.TrimSpace(ed) == "" {
		ed = os.Getenv("EDITOR")
	}
	if strings.TrimSpace(ed) == "" {
		ed = "vi"
	}
	words := strings.Fields(ed)
	return exec.Command(words[0], append(words[1:], path)...)
}

// openEditor writes the draft (or the text kept from a failed read) to a
// temp file and hands the terminal to the editor. Over SSH it refuses:
// the editor would run on the server, not in the user's terminal.
func (m *Model) openEditor() tea.Cmd {
	k := &m.compose
	if m.c.Remote {
		m.setErr(errors.New("no external editor over ssh (it would run on the server); press enter to edit inline"))
		return nil
	}
	text := k.kept
	if text == "" {
		from := ""
		if len(k.accounts) > 0 {
			a := k.accounts[k.acct]
			from = formatAddr(crm.Address{Name: a.DisplayName, Email: a.Email})
		}
		to, _ := parseAddrs(fieldTo, k.inputs[fieldTo].Value())
		cc, _ := parseAddrs(fieldCc, k.inputs[fieldCc].Value())
		if to == nil && strings.TrimSpace(k.inputs[fieldTo].Value()) != "" {
			// Keep what was typed even when it does not parse yet.
			to = []crm.Address{{Email: k.inputs[fieldTo].Value()}}
		}
		if cc == nil && strings.TrimSpace(k.inputs[fieldCc].Value()) != "" {
			cc = []crm.Address{{Email: k.inputs[fieldCc].Value()}}
		}
		text = editableText(from, to, cc, k.inputs[fieldSubject].Value(), k.body.Value())
	}
	f, err := os.CreateTemp("", "roster-mail-*.eml")
	if err != nil {
		m.setErr(fmt.Errorf("editor: %w", err))
		return nil
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		m.setErr(fmt.Errorf("editor: %w", err))
		return nil
	}
	path := f.Name()
	return tea.ExecProcess(editorCommand(path), func(err error) tea.Msg { return editorDoneMsg{path: path, err: err} })
}

// editorDone reads the editor's file back into the fields and returns to
// the review; a line it cannot read keeps the whole text for the next e.
func (m *Model) editorDone(msg editorDoneMsg) tea.Cmd {
	k := &m.compose
	raw, rerr := os.ReadFile(msg.path)
	_ = os.Remove(msg.path)
	if rerr != nil {
		m.setErr(fmt.Errorf("editor: %w", rerr))
		return nil
	}
	if msg.err != nil {
		k.kept, k.keptErr = string(raw), fmt.Sprintf("the editor failed (%v)", msg.err)
		m.setErr(fmt.Errorf("the editor failed (%v); your text is kept, e opens it again", msg.err))
		return nil
	}
	return m.applyEdited(string(raw))
}

// applyEdited takes the editor's text into the draft, or keeps it with the
// problem named.
func (m *Model) applyEdited(text string) tea.Cmd {
	k := &m.compose
	e, err := parseEditable(text)
	if err == nil && e.from != nil {
		found := false
		for i, a := range k.accounts {
			if strings.EqualFold(a.Email, e.from.Email) {
				k.acct, found = i, true
			}
		}
		if !found {
			err = fmt.Errorf("line %d: From: %s is not an account that can send", e.fromLine, crm.SanitizeLine(e.from.Email))
		}
	}
	if err != nil {
		k.kept, k.keptErr = text, err.Error()
		m.setErr(fmt.Errorf("%w — your text is kept: e edits it again, esc discards", err))
		return nil
	}
	k.kept, k.keptErr = "", ""
	k.inputs[fieldTo].SetValue(formatAddrs(e.to))
	k.inputs[fieldCc].SetValue(formatAddrs(e.cc))
	k.inputs[fieldSubject].SetValue(e.subject)
	k.body.SetValue(e.body)
	return m.reviewDraft()
}
