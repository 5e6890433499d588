package ui

import (
	"fmt"
	"slices"
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
	promptUnignore
)

// promptModel is the one-line input at the bottom of the screen, used for
// `/` filtering (live, as you type), the `:` command line (with
// completion) and questions such as a decline reason.
type promptModel struct {
	kind   promptKind
	input  textinput.Model
	before string     // the filter when `/` was pressed, restored by esc
	target dealTarget // the deal a decline prompt is about
	// history holds this session's entered lines of the `:` and link
	// prompts, oldest first, so a refused line comes back with Up.
	history map[promptKind][]string
	// back is how far Up has gone into history (0: not recalling).
	back int
}

// maxHistory is how many lines a prompt's history keeps.
const maxHistory = 50

// remembers reports whether kind's lines go into history.
func (k promptKind) remembers() bool { return k == promptCommand || k == promptLink }

// remember appends an entered line to kind's history, once.
func (p *promptModel) remember(kind promptKind, line string) {
	if !kind.remembers() || line == "" {
		return
	}
	if p.history == nil {
		p.history = map[promptKind][]string{}
	}
	h := slices.DeleteFunc(p.history[kind], func(s string) bool { return s == line })
	h = append(h, line)
	p.history[kind] = h[max(0, len(h)-maxHistory):]
}

// recall moves d lines through history (+1 older, -1 newer; 0 is the
// empty line). Up starts recalling only on an empty line, so on a typed
// one Up and Down still go through the completion suggestions.
func (p *promptModel) recall(d int) bool {
	h := p.history[p.kind]
	if len(h) == 0 || (p.back == 0 && (d < 0 || p.input.Value() != "")) {
		return false
	}
	p.back = max(0, min(len(h), p.back+d))
	if p.back == 0 {
		p.input.SetValue("")
	} else {
		p.input.SetValue(h[len(h)-p.back])
	}
	p.input.CursorEnd()
	return true
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
	case promptUnignore:
		in.Prompt = "List again the mail of: "
		in.Placeholder = "an ignored sender's address (tab completes)"
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
	m.prompt.back = 0
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
	case "up", "down":
		d := 1
		if msg.String() == "down" {
			d = -1
		}
		if p.recall(d) {
			return nil
		}
	case "enter":
		value := strings.TrimSpace(p.input.Value())
		kind, target := p.kind, p.target
		p.close()
		p.remember(kind, value)
		switch kind {
		case promptFilter:
			m.board.setFilter(value)
			return nil
		case promptCommand:
			return m.runCommand(value)
		case promptLink:
			return m.linkTo(value)
		case promptUnignore:
			return m.unignore(value)
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
		m.setErr(unknownCommand(words[0], m.reg.elsewhere(words[0], m.reg.screenScope(m.screen))))
		return nil
	}
	if a.Args == "" && len(words) > 1 {
		// Running it anyway would drop words the user meant for
		// something: ":terms-edit 5" does not open version 5.
		m.setErr(fmt.Errorf(":%s takes no arguments; %q was not used", a.Name, sanitize(strings.Join(words[1:], " "))))
		return nil
	}
	return a.Run(m, words[1:])
}
