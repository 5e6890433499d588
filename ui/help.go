package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpModel is the `?` overlay. It lists the actions of the current screen
// and the global ones straight from the registry, with their command-line
// names, so it cannot drift from what the keys do.
type helpModel struct {
	open bool
	top  int
}

func (h *helpModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "?", "esc", "q":
		h.open = false
	case "j", "down":
		h.top++
	case "k", "up":
		h.top = max(0, h.top-1)
	}
	return nil
}

func (h *helpModel) view(m *Model, w, hgt int) string {
	st := &m.c.Styles
	lines := helpLines(st, []Scope{m.reg.screenScope(m.screen), m.reg.Global})
	boxH := max(3, hgt-2)
	maxTop := max(0, len(lines)-(boxH-2))
	h.top = min(h.top, maxTop)
	lines = lines[h.top:min(len(lines), h.top+boxH-2)]
	if maxTop > 0 {
		lines = append(lines, st.Muted.Render("j/k scroll · ? or esc closes"))
	} else {
		lines = append(lines, st.Muted.Render("? or esc closes"))
	}
	inner := max(1, w-4)
	for i := range lines {
		if lipgloss.Width(lines[i]) > inner {
			lines[i] = fit(lines[i], inner)
		}
	}
	body := strings.Join(lines, "\n")
	return st.Overlay.Width(min(w, lipgloss.Width(body)+4)).Render(body)
}

// helpLines renders scopes as "keys  description  :command" lines.
func helpLines(st *Styles, scopes []Scope) []string {
	var lines []string
	for _, s := range scopes {
		lines = append(lines, st.Bold.Render(s.Name))
		for _, a := range s.Actions {
			k := a.KeyHelp()
			if k == "" {
				k = "—"
			}
			cmd := ":" + a.Name
			if a.Args != "" {
				cmd += " " + a.Args
			}
			lines = append(lines, "  "+st.HelpKey.Render(pad(k, 13))+" "+st.HelpDesc.Render(pad(a.Help(), 44))+" "+st.Muted.Render(cmd))
		}
		lines = append(lines, "")
	}
	return lines
}
