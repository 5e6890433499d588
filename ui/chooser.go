package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"roster/crm"
)

// chooserModel is a small list to pick one of, floated over the screen:
// which template (or a blank mail) to write with. Like the confirm dialog
// it takes every key until answered.
type chooserModel struct {
	title   string
	options []string
	notes   []string // a muted word after each option
	sel     int
	// pick runs with the index of the option taken: options need not be
	// unique (two attachments may share a name).
	pick func(m *Model, i int) tea.Cmd
}

func (c *chooserModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc", "q": // ctrl+c never gets here: it quits roster first
		m.chooser = nil
	case "down", "j", "tab":
		c.sel = (c.sel + 1) % len(c.options)
	case "up", "k", "shift+tab":
		c.sel = (c.sel - 1 + len(c.options)) % len(c.options)
	case "enter":
		m.chooser = nil
		return c.pick(m, c.sel)
	default:
		// A digit picks by number.
		if s := msg.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' && int(s[0]-'1') < len(c.options) {
			m.chooser = nil
			return c.pick(m, int(s[0]-'1'))
		}
	}
	return nil
}

func (c *chooserModel) view(cm *Common, w int) string {
	st := &cm.Styles
	lines := []string{st.Bold.Render(c.title), ""}
	for i, o := range c.options {
		marker := "  "
		label := fmt.Sprintf("%d %s", i+1, sanitize(o))
		if i == c.sel {
			marker, label = st.CardMarker.Render("▌ "), st.Bold.Render(label)
		}
		if i < len(c.notes) && c.notes[i] != "" {
			label += "  " + st.Muted.Render(sanitize(c.notes[i]))
		}
		lines = append(lines, marker+label)
	}
	lines = append(lines, "", st.Muted.Render("↑/↓ choose · enter take · esc cancel"))
	body := strings.Join(lines, "\n")
	return st.Overlay.Width(min(w, lipgloss.Width(body)+4)).Render(body)
}

// blankMail is the chooser's option for a mail without a template.
const blankMail = "blank mail"

// templatesMsg carries the template names read off the UI loop (the
// manager's templates are files) to what asked for them.
type templatesMsg struct {
	names, notes []string
	err          error
	then         func(m *Model, names, notes []string) tea.Cmd
}

// withTemplates reads the template names in a command, then runs then
// with them in Update; an error goes to the status line.
func withTemplates(svc *crm.Service, then func(m *Model, names, notes []string) tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		names, notes, err := templateNames(svc)
		return templatesMsg{names: names, notes: notes, err: err, then: then}
	}
}

// templatesReady hands the names read to what asked for them.
func (m *Model) templatesReady(msg templatesMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(msg.err)
		return nil
	}
	return msg.then(m, msg.names, msg.notes)
}

// templateNames lists the templates by name, with where each comes from.
func templateNames(svc *crm.Service) ([]string, []string, error) {
	ts, err := svc.Templates()
	if err != nil {
		return nil, nil, err
	}
	names := slices.Sorted(maps.Keys(ts))
	notes := make([]string, len(names))
	for i, n := range names {
		notes[i] = ts[n].Source
	}
	return names, notes, nil
}
