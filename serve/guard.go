package serve

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
)

// guard wraps a session's root model so a panic in its Update, View or
// commands ends that session only, logged with its stack in the server's
// log instead of Bubble Tea's default dump to the server's stderr.
type guard struct {
	m   tea.Model
	log *slog.Logger
	// crashed is set by the first panic; quit asks the program to end
	// (from View, which cannot return a command).
	crashed atomic.Bool
	quit    func()
}

// byeMsg asks a session to end because the server is stopping.
type byeMsg struct{}

func (g *guard) Init() (cmd tea.Cmd) {
	defer g.catch("init", &cmd)
	return g.wrap(g.m.Init())
}

func (g *guard) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	next = g
	defer g.catch("update", &cmd)
	if _, ok := msg.(byeMsg); ok {
		return g, tea.Quit
	}
	if g.crashed.Load() {
		return g, tea.Quit
	}
	m, c := g.m.Update(msg)
	g.m = m
	return g, g.wrap(c)
}

func (g *guard) View() (v tea.View) {
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
func (g *guard) catch(where string, cmd *tea.Cmd) {
	if r := recover(); r != nil {
		g.report(where, r)
		*cmd = tea.Quit
	}
}

func (g *guard) report(where string, r any) {
	g.crashed.Store(true)
	g.log.Error("session panic; ending this session only", "in", where, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
}

// wrap guards a command, and the commands inside a batch it returns.
func (g *guard) wrap(cmd tea.Cmd) tea.Cmd {
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
