package ui

import tea "charm.land/bubbletea/v2"

// askDiscard leaves a screen where something is being written: at once
// when nothing was changed, else only after y in a dialog saying what
// would be lost, so a stray esc or q never throws typing away. The form,
// the notes, compose and quitting all ask this one way. yes labels the y
// choice ("discard", "quit").
func (m *Model) askDiscard(dirty bool, text, yes string, leave func(m *Model) tea.Cmd) tea.Cmd {
	if !dirty {
		return leave(m)
	}
	m.confirm = &confirmModel{text: text, choices: []choice{
		{key: "y", label: yes, run: leave},
		{key: "n", label: "keep editing"},
	}}
	return nil
}
