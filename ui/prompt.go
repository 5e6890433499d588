package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

type promptKind int

const (
	promptNone promptKind = iota
	promptFilter
	promptCommand
	promptDecline
	promptLink
)

// promptModel is the one-line input at the bottom of the screen, used for
// `/` filtering (live, as you type), the `:` command line (with
// completion) and questions such as a decline reason.
type promptModel struct {
	kind   promptKind
	input  textinput.Model
	before string     // the filter when `/` was pressed, restored by esc
	target dealTarget // the deal a decline prompt is about
}

func (p *promptModel) active() bool { return p.kind != promptNone }

func (m *Model) openPrompt(kind promptKind, value string) tea.Cmd {
	in := newTextInput(m.c, 0, "", "")
	in.SetVirtualCursor(false)
	switch kind {
	case promptFilter:
		in.Prompt = "/"
		in.Placeholder = "name, @handle, email or #tag"
		m.prompt.before = m.board.filter
	case promptCommand:
		in.Prompt = ":"
		in.ShowSuggestions = true
		in.SetSuggestions(commandNames(m.globalScope(), m.reg.screenScope(m.screen)))
	case promptLink:
		in.Prompt = "Link sender to creator: "
		in.Placeholder = "a creator's name (tab completes)"
	case promptDecline:
		in.Prompt = "Decline because: "
		in.Placeholder = "rate too high, no reply, wrong audience…"
		in.CharLimit = 200
	}
	in.SetValue(value)
	in.CursorEnd()
	in.SetWidth(max(10, m.c.Width-len(in.Prompt)-2))
	m.prompt.kind = kind
	m.prompt.input = in
	return m.prompt.input.Focus()
}

func (p *promptModel) setWidth(w int) {
	if p.active() {
		p.input.SetWidth(max(10, w-len(p.input.Prompt)-2))
	}
}

func (p *promptModel) close() { p.kind = promptNone; p.input.Blur() }

func (p *promptModel) handle(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		if p.kind == promptFilter {
			m.board.setFilter(p.before)
		}
		p.close()
		return nil
	case "enter":
		value := strings.TrimSpace(p.input.Value())
		kind, target := p.kind, p.target
		p.close()
		switch kind {
		case promptFilter:
			m.board.setFilter(value)
			return nil
		case promptCommand:
			return m.runCommand(value)
		case promptLink:
			return m.linkTo(value)
		case promptDecline:
			if value == "" {
				m.setErr(errEmptyReason)
				return nil
			}
			return m.declineWith(target, value)
		}
		return nil
	}
	cmd := p.update(msg)
	if p.kind == promptFilter {
		m.board.setFilter(p.input.Value())
	}
	return cmd
}

func (p *promptModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *promptModel) view(c *Common, w int) string { return fit(p.input.View(), w) }

func (p *promptModel) cursor(y int) *tea.Cursor {
	cur := p.input.Cursor()
	if cur != nil {
		cur.Y = y
	}
	return cur
}

// runCommand runs a `:` command line: a name from the registry and its
// arguments.
func (m *Model) runCommand(line string) tea.Cmd {
	words := strings.Fields(line)
	if len(words) == 0 {
		return nil
	}
	a, ok := find(words[0], m.reg.screenScope(m.screen), m.globalScope())
	if !ok {
		m.setErr(unknownCommand(words[0]))
		return nil
	}
	return a.Run(m, words[1:])
}
