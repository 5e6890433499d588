package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Action is one thing a user can do. The same record binds its keys,
// answers to its name on the `:` command line and writes its line in `?`
// help and docs/keys.md, so the three can never disagree (lazygit's and
// aerc's lesson).
type Action struct {
	// Name is the command-line name (":next").
	Name    string
	Aliases []string
	// Args describes arguments on the command line ("STAGE"); empty for
	// none.
	Args string
	// Binding holds the keys and their help text; an action with no keys
	// is reachable only from the command line.
	Binding key.Binding
	// Footer, when set, puts the action in the footer's one-line help
	// under this label ("H/L move").
	Footer string
	// Run performs the action. args are the command-line words after the
	// name; key presses pass none.
	Run func(m *Model, args []string) tea.Cmd
}

// Help is the action's description.
func (a Action) Help() string { return a.Binding.Help().Desc }

// KeyHelp is how help writes the action's keys.
func (a Action) KeyHelp() string { return a.Binding.Help().Key }

// Matches reports whether name calls this action on the command line.
func (a Action) Matches(name string) bool {
	if strings.EqualFold(a.Name, name) {
		return true
	}
	for _, al := range a.Aliases {
		if strings.EqualFold(al, name) {
			return true
		}
	}
	return false
}

// Scope is a named group of actions: the global ones and one per screen.
type Scope struct {
	Name    string
	Actions []Action
	// KeysOnly marks a scope with no command line (the help overlay):
	// its actions answer to keys alone.
	KeysOnly bool
}

func bind(help, desc string, keys ...string) key.Binding {
	if len(keys) == 0 {
		return key.NewBinding(key.WithHelp(help, desc), key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Registry is every action of the program, by scope. It is built per
// program (there is no package-level registry) and read by key dispatch,
// the command line, help and the docs generator.
type Registry struct {
	Global    Scope
	Board     Scope
	Detail    Scope
	Unmatched Scope
	Preview   Scope
	Outbox    Scope
	Outreach  Scope
	Pager     Scope
	// Help is the `?` overlay's own keys, the only ones it answers.
	Help Scope
}

// NewRegistry builds the actions.
func NewRegistry() Registry {
	return Registry{
		Global:    Scope{Name: "Everywhere", Actions: append(globalActions(), globalSendActions()...)},
		Board:     Scope{Name: "Board", Actions: append(boardActions(), boardSendActions()...)},
		Detail:    Scope{Name: "Creator", Actions: append(detailActions(), detailSendActions()...)},
		Unmatched: Scope{Name: "Unmatched mail", Actions: unmatchedActions()},
		Preview:   Scope{Name: "Review before sending", Actions: previewActions()},
		Outbox:    Scope{Name: "Outbox", Actions: outboxActions()},
		Outreach:  Scope{Name: "Outreach", Actions: outreachActions()},
		Pager:     Scope{Name: "Report, due view and terms diff", Actions: pagerActions()},
		Help:      Scope{Name: "Help overlay (?)", Actions: helpActions(), KeysOnly: true},
	}
}

// Scopes lists the scopes in the order help shows them.
func (r Registry) Scopes() []Scope {
	return []Scope{r.Board, r.Detail, r.Unmatched, r.Preview, r.Outbox, r.Outreach, r.Pager, r.Help, r.Global}
}

// screenScope is the scope of a screen's own actions.
func (r Registry) screenScope(s screen) Scope {
	switch s {
	case screenDetail:
		return r.Detail
	case screenUnmatched:
		return r.Unmatched
	case screenPreview:
		return r.Preview
	case screenOutbox:
		return r.Outbox
	case screenOutreach:
		return r.Outreach
	case screenPager:
		return r.Pager
	}
	return r.Board
}

// elsewhere names, in help's order, the scopes other than here whose
// command line knows name (keys-only scopes have none).
func (r Registry) elsewhere(name string, here Scope) []string {
	var out []string
	for _, s := range r.Scopes() {
		if s.Name == here.Name || s.KeysOnly {
			continue
		}
		if _, ok := find(name, s); ok {
			out = append(out, s.Name)
		}
	}
	return out
}

// find looks an action up by command name in the given scopes.
func find(name string, scopes ...Scope) (Action, bool) {
	for _, s := range scopes {
		for _, a := range s.Actions {
			if a.Matches(name) {
				return a, true
			}
		}
	}
	return Action{}, false
}

// keyPresses is the presses one key message stands for. A terminal
// writes alt+key as ESC before the key, so two escapes sent back to back
// (a quick double press, tmux send-keys Escape Escape) are decoded as
// one alt+esc; no action binds alt+esc, and dropping it would ignore
// both. It stands for the two escapes, so every screen and dialog goes
// back twice, as it would for two escapes with a pause between them.
func keyPresses(msg tea.KeyPressMsg) []tea.KeyPressMsg {
	if msg.Code == tea.KeyEscape && msg.Mod == tea.ModAlt {
		esc := tea.KeyPressMsg{Code: tea.KeyEscape}
		return []tea.KeyPressMsg{esc, esc}
	}
	return []tea.KeyPressMsg{msg}
}

// dispatch runs the first action in scopes bound to msg.
func dispatch(m *Model, msg tea.KeyPressMsg, scopes ...Scope) (tea.Cmd, bool) {
	for _, s := range scopes {
		for _, a := range s.Actions {
			if a.Binding.Enabled() && key.Matches(msg, a.Binding) {
				return a.Run(m, nil), true
			}
		}
	}
	return nil, false
}

// commandNames lists every name and alias, for command-line completion.
func commandNames(scopes ...Scope) []string {
	var out []string
	for _, s := range scopes {
		for _, a := range s.Actions {
			out = append(out, a.Name)
			out = append(out, a.Aliases...)
		}
	}
	return out
}
