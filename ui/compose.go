package ui

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// Compose fields, in the order tab walks them.
const (
	fieldFrom = iota
	fieldTo
	fieldCc
	fieldSubject
	fieldBody
	numComposeFields
)

var composeLabels = [numComposeFields]string{"From", "To", "Cc", "Subject", "Body"}

// composeModel writes one mail: a reply, a blank mail or a filled-in
// template. It edits inline (text inputs and a textarea), or in $EDITOR
// from the review, and nothing leaves it without the review's y. What was
// typed is never thrown away without asking.
type composeModel struct {
	// base is the draft the screen started from: threading fields, the
	// creator and deal, the kind. The fields below override its
	// addresses, subject and text.
	base     crm.Draft
	accounts []crm.SendingAccount
	acct     int
	inputs   [fieldSubject + 1]textinput.Model // To, Cc, Subject (From is chosen, not typed)
	body     textarea.Model
	focus    int
	initial  [numComposeFields]string
	err      string
	errField int
	// review is the draft the preview shows, built from the fields.
	review crm.Draft
	top    int
	// kept is the editor's text when it could not be read back: e opens
	// it again, so nothing typed there is lost. While it is set the review
	// shows an older draft than the user's, so y refuses to send;
	// keptErr is the problem, for that refusal.
	kept, keptErr string
	// back is the screen sending or discarding returns to.
	back screen
	// terms is set when the mail confirms a deal's terms (S): y then
	// records the confirmation with the mail.
	terms *termsConfirm
}

func newCompose(c *Common, d crm.Draft, back screen) composeModel {
	k := composeModel{base: d, accounts: c.Svc.SendingAccounts(), errField: -1, back: back}
	for i, a := range k.accounts {
		if a.Name == d.Account {
			k.acct = i
		}
	}
	k.inputs[fieldTo] = newTextInput(c, 998, "maya@studio.example, Ana <ana@x.example>", "")
	k.inputs[fieldCc] = newTextInput(c, 998, "", "")
	k.inputs[fieldSubject] = newTextInput(c, 998, "what the mail is about", "")
	k.body = newTextArea(c, 200_000, "Write your mail…")
	k.setDraft(d)
	k.initial = k.values()
	k.focus = fieldBody
	if d.Kind == "mail" && d.Subject == "" {
		k.focus = fieldSubject
	}
	k.setSize(c.Width, c.Height-4)
	return k
}

// setDraft fills the fields from d.
func (k *composeModel) setDraft(d crm.Draft) {
	k.inputs[fieldTo].SetValue(formatAddrs(d.To))
	k.inputs[fieldCc].SetValue(formatAddrs(d.Cc))
	k.inputs[fieldSubject].SetValue(d.Subject)
	k.body.SetValue(d.Text)
	// A reply starts above the quote, where the answer goes.
	k.body.MoveToBegin()
}

// formatAddrs writes addresses as people type them (Maya Chen
// <maya@x.example>), quoting or encoding a name only when net/mail must to
// read it back.
func formatAddrs(as []crm.Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		parts = append(parts, formatAddr(a))
	}
	return strings.Join(parts, ", ")
}

func formatAddr(a crm.Address) string {
	if a.Name == "" {
		return a.Email
	}
	plain := a.Name + " <" + a.Email + ">"
	if p, err := mail.ParseAddress(plain); err == nil && p.Name == a.Name && p.Address == a.Email {
		return plain
	}
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

func (k *composeModel) values() [numComposeFields]string {
	var v [numComposeFields]string
	if len(k.accounts) > 0 {
		v[fieldFrom] = k.accounts[k.acct].Name
	}
	for i := fieldTo; i <= fieldSubject; i++ {
		v[i] = k.inputs[i].Value()
	}
	v[fieldBody] = k.body.Value()
	return v
}

// dirty reports whether anything differs from what the screen started
// with.
func (k *composeModel) dirty() bool { return k.values() != k.initial || k.kept != "" }

func (k *composeModel) setSize(w, h int) {
	for i := fieldTo; i <= fieldSubject; i++ {
		k.inputs[i].SetWidth(max(10, w-14))
	}
	k.body.SetWidth(max(10, w-2))
	k.body.SetHeight(max(3, h-7))
}

// setFocus moves the cursor to field i.
func (k *composeModel) setFocus(i int) tea.Cmd {
	k.focus = (i + numComposeFields) % numComposeFields
	for j := fieldTo; j <= fieldSubject; j++ {
		k.inputs[j].Blur()
	}
	k.body.Blur()
	switch {
	case k.focus == fieldBody:
		return k.body.Focus()
	case k.focus != fieldFrom:
		return k.inputs[k.focus].Focus()
	}
	return nil
}

// cycleAccount picks the next sending account for From.
func (k *composeModel) cycleAccount(delta int) {
	if n := len(k.accounts); n > 1 {
		k.acct = (k.acct + delta + n) % n
	}
}

// handle is the compose screen's keys while typing: only tab, the arrows
// between one-line fields, ctrl+s and esc are not text.
func (k *composeModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	inLine := k.focus != fieldBody
	switch s := msg.String(); {
	case s == "tab" || (inLine && (s == "down" || s == "enter")):
		return k.setFocus(k.focus + 1)
	case s == "shift+tab" || (inLine && s == "up"):
		return k.setFocus(k.focus - 1)
	case s == "ctrl+s":
		return m.reviewDraft()
	case s == "esc":
		return m.discardDraft()
	case k.focus == fieldFrom:
		switch s {
		case "left", "h":
			k.cycleAccount(-1)
		case "right", "l", "space":
			k.cycleAccount(1)
		}
		return nil
	}
	return k.update(msg)
}

func (k *composeModel) update(msg tea.Msg) tea.Cmd {
	watch := k.focus == k.errField
	var before [numComposeFields]string
	if watch {
		before = k.values()
	}
	var cmd tea.Cmd
	switch {
	case k.focus == fieldBody:
		k.body, cmd = k.body.Update(msg)
	case k.focus != fieldFrom:
		k.inputs[k.focus], cmd = k.inputs[k.focus].Update(msg)
	}
	if watch && k.values() != before {
		// The field the error named is being fixed: the error is old news.
		k.err, k.errField = "", -1
	}
	return cmd
}

// fieldErr is a problem with one compose field, for the message and the
// red label.
type fieldErr struct {
	field int
	msg   string
}

func (e *fieldErr) Error() string { return composeLabels[e.field] + ": " + e.msg }

// addrProblem says in plain words what is wrong with an address list
// net/mail refused, naming the first address at fault: its own messages
// ("missing '@' or angle-addr") are about the grammar, not the typing.
func addrProblem(s string) string {
	for _, part := range addrParts(s) {
		p := strings.TrimSpace(part)
		if p == "" {
			continue
		}
		if _, err := mail.ParseAddress(p); err == nil {
			continue
		}
		addr := p
		if i := strings.LastIndexByte(p, '<'); i >= 0 {
			addr = strings.TrimSpace(strings.TrimSuffix(p[i+1:], ">"))
		}
		if err := crm.CheckEmail(addr); err != nil {
			return err.Error() + " (write a@b.example or Name <a@b.example>, commas between)"
		}
		return fmt.Sprintf("%q is not an address (write a@b.example or Name <a@b.example>, commas between)", p)
	}
	return fmt.Sprintf("%q is not a list of addresses (write a@b.example or Name <a@b.example>, commas between)", strings.TrimSpace(s))
}

// addrParts splits an address list at the commas between addresses, not
// at one inside a quoted name ("Chen, Maya" <maya@x.example>).
func addrParts(s string) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++ // an escaped character, a quote too
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			parts, start = append(parts, s[start:i]), i+1
		}
	}
	return append(parts, s[start:])
}

// parseAddrs reads an address list as typed into To or Cc.
func parseAddrs(field int, s string) ([]crm.Address, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	list, err := mail.ParseAddressList(s)
	if err != nil {
		return nil, &fieldErr{field, addrProblem(s)}
	}
	out := make([]crm.Address, 0, len(list))
	for _, a := range list {
		out = append(out, crm.Address{Name: a.Name, Email: a.Address})
	}
	return out, nil
}

// draft builds the mail from the fields, refusing what cannot be sent and
// naming the field.
func (k *composeModel) draft() (crm.Draft, error) {
	d := k.base
	if len(k.accounts) > 0 {
		a := k.accounts[k.acct]
		if a.Name != d.Account || d.From.Email == "" {
			d.Account, d.From = a.Name, crm.Address{Name: a.DisplayName, Email: a.Email}
		}
	}
	var err error
	if d.To, err = parseAddrs(fieldTo, k.inputs[fieldTo].Value()); err != nil {
		return d, err
	}
	if d.Cc, err = parseAddrs(fieldCc, k.inputs[fieldCc].Value()); err != nil {
		return d, err
	}
	d.Subject = strings.TrimSpace(k.inputs[fieldSubject].Value())
	d.Text = strings.TrimRight(k.body.Value(), " \n") + "\n"
	if err := d.Validate(); err != nil {
		var fe *crm.FieldError
		if errors.As(err, &fe) {
			return d, &fieldErr{fieldOf(fe.Field), fe.Msg}
		}
		return d, err
	}
	return d, nil
}

// fieldOf maps crm's field names ("to[0]", "subject") to compose fields.
func fieldOf(name string) int {
	for i, l := range composeLabels {
		if strings.HasPrefix(name, strings.ToLower(l)) {
			return i
		}
	}
	return fieldBody
}

// showErr puts an error under the fields, marking the field it names.
func (k *composeModel) showErr(err error) {
	k.err, k.errField = err.Error(), -1
	var fe *fieldErr
	if errors.As(err, &fe) {
		k.errField = fe.field
	}
}

func (k *composeModel) title() string {
	name := k.base.CreatorName
	if name == "" && len(k.base.To) > 0 {
		name = k.base.To[0].String()
	}
	if k.terms != nil {
		return fmt.Sprintf("Confirmation of terms v%d to %s", k.terms.n, name)
	}
	switch k.base.Kind {
	case "reply":
		return "Reply to " + name
	case "mail", "":
		return "New mail to " + name
	}
	return fmt.Sprintf("%s (%s) to %s", "Mail", k.base.Kind, name)
}

func (k *composeModel) view(c *Common, w, h int) string {
	st := &c.Styles
	lines := []string{" " + st.Bold.Render(sanitize(k.title())), ""}
	for i := fieldFrom; i < fieldBody; i++ {
		label := st.Label.Render(pad(composeLabels[i], 10))
		marker := "  "
		if i == k.focus {
			marker, label = st.CardMarker.Render("▌ "), st.InputFocused.Render(pad(composeLabels[i], 10))
		}
		if i == k.errField {
			label = st.Error.Render(pad(composeLabels[i], 10))
		}
		value := ""
		if i == fieldFrom {
			value = st.Muted.Render("no account can send (docs/config.md)")
			if len(k.accounts) > 0 {
				a := k.accounts[k.acct]
				value = sanitize(formatAddr(crm.Address{Name: a.DisplayName, Email: a.Email}))
				if len(k.accounts) > 1 {
					value += st.Muted.Render(fmt.Sprintf("  (%d of %d, ←/→ changes)", k.acct+1, len(k.accounts)))
				}
			}
		} else {
			value = k.inputs[i].View()
		}
		lines = append(lines, marker+label+value)
	}
	bodyLabel := st.Label.Render("Body")
	if k.focus == fieldBody {
		bodyLabel = st.InputFocused.Render("Body")
	}
	if k.errField == fieldBody {
		bodyLabel = st.Error.Render("Body")
	}
	lines = append(lines, "  "+bodyLabel)
	k.body.SetHeight(max(3, h-len(lines)-2))
	lines = append(lines, strings.Split(k.body.View(), "\n")...)
	if k.err != "" {
		lines = append(lines, " "+st.Error.Render(sanitize(k.err)))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}
