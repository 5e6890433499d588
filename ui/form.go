package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// formField is one labelled line of the creator form.
type formField struct {
	label string
	input textinput.Model
	// platform is set for handle and follower fields.
	platform crm.Platform
	kind     fieldKind
}

type fieldKind int

const (
	fieldName fieldKind = iota
	fieldEmails
	fieldHandle
	fieldFollowers
	fieldTags
	fieldSource
	fieldOwner
	fieldDNC
)

var formPlatforms = []crm.Platform{crm.TikTok, crm.Instagram, crm.YouTube}

// formModel adds or edits a creator. It keeps everything typed when a save
// fails, and names the field that was wrong.
type formModel struct {
	fields   []formField
	focusIdx int
	editing  *crm.Creator // nil when adding
	initial  []string
	err      string
	errField int
	width    int
	// top is the first field shown when the form is taller than the
	// screen; view moves it to keep the focused field in sight.
	top int
	// ledger is set when the form records a deal's terms or a payment
	// (terms_form.go).
	ledger *ledgerEdit
}

func newCreatorForm(c *Common, edit *crm.Creator) formModel {
	f := formModel{editing: edit, errField: -1, width: c.Width}
	add := func(label string, kind fieldKind, p crm.Platform, value, placeholder string) {
		f.fields = append(f.fields, formField{label: label, input: newTextInput(c, 500, placeholder, value), platform: p, kind: kind})
	}
	var cr crm.Creator
	if edit != nil {
		cr = *edit
	}
	add("Name", fieldName, "", cr.Name, "e.g. Maya Chen")
	add("Emails", fieldEmails, "", strings.Join(cr.Emails, ", "), "e.g. maya@studio.example, maya.chen@gmail.com")
	for _, p := range formPlatforms {
		var h crm.Handle
		for _, x := range cr.Handles {
			if x.Platform == p {
				h = x
				break
			}
		}
		handle, followers := "", ""
		if h.Handle != "" {
			handle = "@" + h.Handle
		}
		if h.Followers > 0 {
			// 0 is what an empty field saved: not known, shown empty.
			followers = fmt.Sprint(h.Followers)
		}
		title := map[crm.Platform]string{crm.TikTok: "TikTok", crm.Instagram: "Instagram", crm.YouTube: "YouTube"}[p]
		add(title, fieldHandle, p, handle, "@handle")
		add("  followers", fieldFollowers, p, followers, "e.g. 12.5k")
	}
	add("Tags", fieldTags, "", strings.Join(cr.Tags, ", "), "e.g. beauty, vegan, ambassador")
	add("Source", fieldSource, "", cr.Source, "e.g. tiktok marketplace, loyalty program…")
	add("Owner", fieldOwner, "", cr.Owner, "e.g. "+c.Actor)
	dnc := "no"
	if cr.DoNotContact {
		dnc = "yes"
	}
	add("Do not contact", fieldDNC, "", dnc, "yes or no")
	f.initial = f.values()
	f.setWidth(c.Width)
	return f
}

func (f *formModel) values() []string {
	out := make([]string, len(f.fields))
	for i := range f.fields {
		out[i] = f.fields[i].input.Value()
	}
	return out
}

func (f *formModel) dirty() bool { return !slices.Equal(f.values(), f.initial) }

func (f *formModel) setWidth(w int) {
	f.width = w
	for i := range f.fields {
		f.fields[i].input.SetWidth(max(10, w-20))
	}
}

func (f *formModel) focus() tea.Cmd {
	for i := range f.fields {
		f.fields[i].input.Blur()
	}
	return f.fields[f.focusIdx].input.Focus()
}

func (f *formModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		return m.askDiscard(f.dirty(), "Discard your changes?", "discard", func(m *Model) tea.Cmd { m.closeForm(); return nil })
	case "tab", "down":
		f.focusIdx = (f.focusIdx + 1) % len(f.fields)
		return f.focus()
	case "shift+tab", "up":
		f.focusIdx = (f.focusIdx - 1 + len(f.fields)) % len(f.fields)
		return f.focus()
	case "enter":
		if f.focusIdx < len(f.fields)-1 {
			f.focusIdx++
			return f.focus()
		}
		return m.saveForm()
	case "ctrl+s":
		return m.saveForm()
	}
	return f.update(msg)
}

func (f *formModel) update(msg tea.Msg) tea.Cmd {
	if len(f.fields) == 0 {
		return nil
	}
	in := &f.fields[f.focusIdx].input
	before := in.Value()
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	if in.Value() != before && (f.focusIdx == f.errField || f.errField < 0) {
		// The field the error named is being fixed, or the error named
		// none ("nothing to record"), so any edit answers it: the error
		// is old news.
		f.err, f.errField = "", -1
	}
	return cmd
}

func (m *Model) closeForm() {
	if m.form.editing != nil || m.form.ledger != nil {
		m.screen = screenDetail
	} else {
		m.screen = screenBoard
	}
}

// fieldOf finds the creator form's field a refusal from the domain is
// about, so the cursor goes there: an email another creator has (a
// DuplicateError keyed "email …"), a handle taken on a platform ("tiktok
// @…"), or a field the domain names. It returns -1 when none fits.
func (f *formModel) fieldOf(err error) int {
	var kind fieldKind
	var platform crm.Platform
	var de *crm.DuplicateError
	var fe *crm.FieldError
	switch {
	case errors.As(err, &de):
		word, _, _ := strings.Cut(de.Key, " ")
		if word == "email" {
			kind = fieldEmails
		} else {
			kind, platform = fieldHandle, crm.Platform(word)
		}
	case errors.As(err, &fe):
		switch fe.Field {
		case "name":
			kind = fieldName
		case "email":
			kind = fieldEmails
		default:
			return -1
		}
	default:
		return -1
	}
	for i, fl := range f.fields {
		if fl.kind == kind && (platform == "" || fl.platform == platform) {
			return i
		}
	}
	return -1
}

// creator builds the creator the form describes, or an error naming the
// field; f.errField points at it so the view can mark it.
func (f *formModel) creator() (crm.Creator, error) {
	var c crm.Creator
	if f.editing != nil {
		c = *f.editing
		c.Emails, c.Tags = nil, nil
		// Handles on platforms the form does not show are kept as they are.
		c.Handles = slices.DeleteFunc(slices.Clone(c.Handles), func(h crm.Handle) bool { return slices.Contains(formPlatforms, h.Platform) })
	}
	f.errField = -1
	handles := map[crm.Platform]*crm.Handle{}
	for i := range f.fields {
		fl := &f.fields[i]
		v := strings.TrimSpace(fl.input.Value())
		fail := func(format string, args ...any) (crm.Creator, error) {
			f.errField = i
			return c, fmt.Errorf("%s: "+format, append([]any{strings.TrimSpace(fl.label)}, args...)...)
		}
		switch fl.kind {
		case fieldName:
			if v == "" {
				return fail("is required")
			}
			c.Name = v
		case fieldEmails:
			for _, e := range splitList(v) {
				if err := crm.CheckEmail(e); err != nil {
					return fail("%v", err)
				}
				c.Emails = append(c.Emails, e)
			}
		case fieldHandle:
			if v != "" {
				old := crm.Handle{}
				if f.editing != nil {
					for _, x := range f.editing.Handles {
						if x.Platform == fl.platform {
							old = x
						}
					}
				}
				h := crm.Handle{Platform: fl.platform, Handle: crm.NormalizeHandle(v), EngagementBP: old.EngagementBP}
				if strings.ContainsAny(h.Handle, " \t,") {
					return fail("%q is not a handle", v)
				}
				handles[fl.platform] = &h
			}
		case fieldFollowers:
			n, err := crm.ParseFollowers(v)
			if err != nil {
				f.errField = i
				return c, fmt.Errorf("%s followers: %v", fl.platform, err)
			}
			if h := handles[fl.platform]; h != nil {
				h.Followers = n
			} else if n > 0 {
				f.errField = i
				return c, fmt.Errorf("%s followers: given without a %s handle", fl.platform, fl.platform)
			}
		case fieldTags:
			c.Tags = splitList(v)
		case fieldSource:
			c.Source = v
		case fieldOwner:
			c.Owner = v
		case fieldDNC:
			switch strings.ToLower(v) {
			case "yes", "y", "true":
				c.DoNotContact = true
			case "no", "n", "false", "":
				c.DoNotContact = false
			default:
				return fail("answer yes or no, not %q", v)
			}
		}
	}
	for _, p := range formPlatforms {
		if h := handles[p]; h != nil {
			c.Handles = append(c.Handles, *h)
		}
	}
	return c, nil
}

// splitList splits "a, b; c" into its items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
}

func (m *Model) saveForm() tea.Cmd {
	if m.form.ledger != nil {
		return m.saveLedgerForm()
	}
	f := &m.form
	c, err := f.creator()
	if err != nil {
		f.err = err.Error()
		f.focusIdx = max(0, f.errField)
		return f.focus()
	}
	f.err = ""
	svc, actor := m.c.Svc, m.c.Actor
	if f.editing != nil {
		return func() tea.Msg {
			saved, err := svc.UpdateCreator(actor, c)
			if err != nil {
				return creatorSavedMsg{creator: c, err: err}
			}
			return creatorSavedMsg{creator: saved}
		}
	}
	campaign := m.board.data.Campaign.ID
	return func() tea.Msg {
		card, err := svc.AddCreator(actor, c, campaign, crm.Prospect)
		if err != nil {
			return creatorSavedMsg{creator: c, err: err}
		}
		return creatorSavedMsg{creator: card.Creator, card: &card}
	}
}

func (f *formModel) view(c *Common, w, h int) string {
	st := &c.Styles
	title := "Add a creator"
	if f.editing != nil {
		title = "Edit " + sanitize(f.editing.Name)
	}
	if f.ledger != nil {
		title = f.ledger.title
	}
	head := []string{" " + st.Bold.Render(title), ""}
	var fields []string
	for i := range f.fields {
		fl := &f.fields[i]
		label := st.Label.Render(pad(fl.label, 16))
		marker := "  "
		if i == f.focusIdx {
			marker = st.CardMarker.Render("▌ ")
			label = st.InputFocused.Render(pad(fl.label, 16))
		}
		if i == f.errField {
			label = st.Error.Render(pad(fl.label, 16))
		}
		fields = append(fields, marker+label+fl.input.View())
	}
	tail := []string{""}
	if f.err != "" {
		for _, l := range wrapCapped(sanitize(f.err), max(1, w-2), maxStatusLines) {
			tail = append(tail, " "+st.Error.Render(l))
		}
	} else if f.editing == nil && f.ledger == nil {
		tail = append(tail, " "+st.Muted.Render("New creators start as prospects on this campaign's board."))
	}
	// On a short screen the title and the error stay put and the fields
	// scroll, so the focused field and what is wrong with it both show.
	room := max(1, h-len(head)-len(tail))
	f.top = max(0, min(f.top, f.focusIdx, len(fields)-room))
	if f.focusIdx >= f.top+room {
		f.top = f.focusIdx - room + 1
	}
	end := min(len(fields), f.top+room)
	if f.top > 0 || end < len(fields) {
		head[0] += st.Muted.Render(fmt.Sprintf("  fields %d–%d of %d", f.top+1, end, len(fields)))
	}
	lines := append(head, fields[f.top:end]...)
	lines = append(lines, tail...)
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}
