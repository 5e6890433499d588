package main

import (
	"log/slog"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// bomb panics when asked to.
type bomb struct{ where string }

func (b bomb) Init() tea.Cmd {
	if b.where == "command" {
		return func() tea.Msg { panic("boom in command") }
	}
	return nil
}

func (b bomb) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if b.where == "update" {
		panic("boom in update")
	}
	return b, nil
}

func (b bomb) View() tea.View {
	if b.where == "view" {
		panic("boom in view")
	}
	return tea.View{Content: "fine"}
}

func TestGuardTurnsAPanicIntoALoggedQuit(t *testing.T) {
	for _, where := range []string{"update", "view", "command"} {
		t.Run(where, func(t *testing.T) {
			var log syncBuffer
			quit := make(chan struct{}, 1)
			g := &sessionGuard{m: bomb{where: where}, log: slog.New(slog.NewTextHandler(&log, nil)), quit: func() { quit <- struct{}{} }}
			switch where {
			case "update":
				_, cmd := g.Update(tea.KeyPressMsg{Code: 'j'})
				if cmd == nil {
					t.Fatal("no command after a panic")
				}
				if _, ok := cmd().(tea.QuitMsg); !ok {
					t.Error("the session was not told to quit")
				}
			case "view":
				if v := g.View(); !strings.Contains(v.Content, "internal error") {
					t.Errorf("view after a panic: %q", v.Content)
				}
				<-quit
			case "command":
				if _, ok := g.Init()().(tea.QuitMsg); !ok {
					t.Error("a panicking command did not turn into a quit")
				}
			}
			if !g.crashed.Load() {
				t.Error("not marked crashed")
			}
			if !strings.Contains(log.String(), "boom in "+where) || !strings.Contains(log.String(), "stack=") {
				t.Errorf("log lacks the panic and its stack:\n%s", log.String())
			}
		})
	}
}
