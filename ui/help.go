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

// helpActions are the overlay's keys: it scrolls as every page of text
// does, and ?, esc or q closes it.
func helpActions() []Action {
	return append(scrollActions("help", func(m *Model) *int { return &m.help.top }, ""),
		Action{Name: "help-close", Binding: bind("?/esc/q", "close help", "?", "esc", "q"),
			Run: func(m *Model, _ []string) tea.Cmd { m.help.open = false; return nil }})
}

// handle runs the overlay's own keys; every other key is ignored, so
// nothing reaches the screen behind it.
func (h *helpModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	cmd, _ := dispatch(m, msg, m.reg.Help)
	return cmd
}

func (h *helpModel) view(m *Model, w, hgt int) string {
	st := &m.c.Styles
	inner := max(1, w-4)
	lines := helpLines(st, []Scope{m.reg.screenScope(m.screen), m.globalScope()}, inner)
	boxH := max(3, hgt-2)
	maxTop := max(0, len(lines)-(boxH-2))
	h.top = max(0, min(h.top, maxTop))
	lines = lines[h.top:min(len(lines), h.top+boxH-2)]
	if maxTop > 0 {
		lines = append(lines, st.Muted.Render("j/k, space/pgup, g/G scroll · ? or esc closes"))
	} else {
		lines = append(lines, st.Muted.Render("? or esc closes"))
	}
	for i := range lines {
		if lipgloss.Width(lines[i]) > inner {
			lines[i] = fit(lines[i], inner)
		}
	}
	body := strings.Join(lines, "\n")
	return st.Overlay.Width(min(w, lipgloss.Width(body)+4)).Render(body)
}

// helpLines renders scopes as "keys  :command  description" lines in w
// cells. The command column is capped so the description, the only
// column of any length, keeps room at 80 columns; a longer command
// signature gets a line of its own, and a long description wraps under
// itself, so every column stays in line and nothing is cut.
func helpLines(st *Styles, scopes []Scope, w int) []string {
	const maxKey = 17
	maxCmd := min(26, max(12, w/4))
	keyW, cmdW := 0, 0
	for _, s := range scopes {
		for _, a := range s.Actions {
			keyW = max(keyW, min(maxKey, lipgloss.Width(helpKey(a))))
			if n := lipgloss.Width(helpCommand(a)); n <= maxCmd {
				cmdW = max(cmdW, n)
			}
		}
	}
	indent := strings.Repeat(" ", 2+keyW+2+cmdW+2)
	descW := max(20, w-len(indent))
	var lines []string
	for _, s := range scopes {
		lines = append(lines, st.Bold.Render(s.Name))
		for _, a := range s.Actions {
			key := "  " + st.HelpKey.Render(pad(helpKey(a), keyW)) + "  "
			cmd := helpCommand(a)
			desc := strings.Split(lipgloss.Wrap(a.Help(), descW, ""), "\n")
			if lipgloss.Width(key)+lipgloss.Width(cmd) > len(indent)-2 {
				// Too long for its column: the command on a line of
				// its own, the description under it in its column.
				lines = append(lines, key+st.Muted.Render(cmd))
				key, cmd = "", ""
			}
			first := key + st.Muted.Render(pad(cmd, cmdW)) + "  "
			if key == "" {
				first = indent
			}
			for i, d := range desc {
				lead := indent
				if i == 0 {
					lead = first
				}
				lines = append(lines, lead+st.HelpDesc.Render(d))
			}
		}
		lines = append(lines, "")
	}
	return lines
}

// helpKey is an action's keys as help shows them, "—" for a command only.
func helpKey(a Action) string {
	if k := a.KeyHelp(); k != "" {
		return k
	}
	return "—"
}

// helpCommand is an action's command-line form, ":name ARGS".
func helpCommand(a Action) string {
	if a.Args != "" {
		return ":" + a.Name + " " + a.Args
	}
	return ":" + a.Name
}
