package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// confirmModel is a small dialog that takes one key among its choices. It
// captures every key until answered, so a stray keystroke cannot act on
// the screen behind it.
type confirmModel struct {
	text    string
	choices []choice
}

type choice struct {
	key   string
	label string
	run   func(m *Model) tea.Cmd // nil just closes
}

func (c *confirmModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	for _, ch := range c.choices {
		if k == ch.key || (ch.key == "esc" && k == "ctrl+c") {
			m.confirm = nil
			if ch.run == nil {
				return nil
			}
			return ch.run(m)
		}
	}
	if k == "esc" {
		m.confirm = nil
	}
	return nil
}

func (c *confirmModel) view(cm *Common, w int) string {
	st := &cm.Styles
	lines := []string{st.Bold.Render(c.text), ""}
	for _, ch := range c.choices {
		lines = append(lines, st.HelpKey.Render(ch.key)+"  "+ch.label)
	}
	inner := lipgloss.Width(strings.Join(lines, "\n"))
	return st.Overlay.Width(min(w, inner+4)).Render(strings.Join(lines, "\n"))
}
