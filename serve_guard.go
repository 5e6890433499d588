package main

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
)

// sessionGuard wraps a session's root model so a panic in its Update, View or
// commands ends that session only, logged with its stack in the server's
// log instead of Bubble Tea's default dump to the server's stderr.
type sessionGuard struct {
	m   tea.Model
	log *slog.Logger
	// crashed is set by the first panic; quit asks the program to end
	// (from View, which cannot return a command).
	crashed atomic.Bool
	quit    func()
}

// sessionByeMsg asks a session to end because the server is stopping.
type sessionByeMsg struct{}

// Init implements tea.Model: the wrapped model's first command, guarded.
func (g *sessionGuard) Init() (cmd tea.Cmd) {
	defer g.catch("init", &cmd)
	return g.wrap(g.m.Init())
}

// Update implements tea.Model. It ends the session on sessionByeMsg (the
// server is stopping) and after a panic, and guards every command the
// model returns.
func (g *sessionGuard) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	next = g
	defer g.catch("update", &cmd)
	if _, ok := msg.(sessionByeMsg); ok {
		return g, tea.Quit
	}
	if g.crashed.Load() {
		return g, tea.Quit
	}
	m, c := g.m.Update(msg)
	g.m = m
	return g, g.wrap(c)
}

// View implements tea.Model. A panic while drawing shows one line
// instead of the board and quits from a goroutine, since View cannot
// return a command.
func (g *sessionGuard) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			g.report("view", r)
			v = tea.View{Content: "roster hit an internal error; this session is ending."}
			if g.quit != nil {
				go g.quit()
			}
		}
	}()
	if g.crashed.Load() {
		return tea.View{}
	}
	return g.m.View()
}

// catch turns a panic into a logged error and a quit.
func (g *sessionGuard) catch(where string, cmd *tea.Cmd) {
	if r := recover(); r != nil {
		g.report(where, r)
		*cmd = tea.Quit
	}
}

// report marks the session crashed and logs where the panic happened,
// with its stack, so one teammate's crash is findable in the server log.
func (g *sessionGuard) report(where string, r any) {
	g.crashed.Store(true)
	g.log.Error("session panic; ending this session only", "in", where, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
}

// wrap guards a command, and the commands inside a batch it returns.
func (g *sessionGuard) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				g.report("command", r)
				msg = tea.QuitMsg{}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			out := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				out[i] = g.wrap(c)
			}
			return out
		}
		return msg
	}
}
