package ui

import (
	"strings"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// notesModel edits a creator's free-text notes in a textarea.
type notesModel struct {
	area    textarea.Model
	creator crm.Creator
}

func newNotes(c *Common, cr crm.Creator) notesModel {
	a := newTextArea(c, 20_000, "What matters about this creator: rates quoted, audience, tone, history…")
	a.SetValue(cr.Notes)
	n := notesModel{area: a, creator: cr}
	n.setSize(c.Width, c.Height-4)
	return n
}

func (n *notesModel) setSize(w, h int) {
	n.area.SetWidth(max(10, w-2))
	n.area.SetHeight(max(3, h-3))
}

func (n *notesModel) focus() tea.Cmd { return n.area.Focus() }
func (n *notesModel) value() string  { return n.area.Value() }
func (n *notesModel) dirty() bool    { return n.area.Value() != n.creator.Notes }

func (n *notesModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		return m.askDiscard(n.dirty(), "Discard your changes to the notes?", "discard", func(m *Model) tea.Cmd { m.screen = screenDetail; return nil })
	case "ctrl+s":
		c := n.creator
		c.Notes = strings.TrimRight(n.area.Value(), " \n")
		svc, actor := m.c.Svc, m.c.Actor
		return func() tea.Msg {
			saved, err := svc.UpdateCreator(actor, c)
			return creatorSavedMsg{creator: saved, err: err}
		}
	}
	return n.update(msg)
}

func (n *notesModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	n.area, cmd = n.area.Update(msg)
	return cmd
}

func (n *notesModel) view(c *Common, w, h int) string {
	st := &c.Styles
	head := " " + st.Bold.Render("Notes on "+sanitize(n.creator.Name))
	return fit(head, w) + "\n\n" + n.area.View()
}
