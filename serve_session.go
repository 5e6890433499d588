package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"roster/ui"
)

// runBoard runs one teammate's board until they quit, the connection
// drops or the server stops. The program gets the session's own size,
// colour profile (from the client's TERM) and styles; the change feed
// subscription and the presence seat live exactly as long as it.
func (s *sshServer) runBoard(sess ssh.Session, actor string, pty ssh.Pty, winCh <-chan ssh.Window, log *slog.Logger) {
	start := time.Now()
	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	seat := s.hub.Join(actor)
	defer seat.Leave()

	env := append(sess.Environ(), "TERM="+pty.Term)
	noColor := pty.Term == "dumb" || slices.ContainsFunc(env, func(e string) bool { return strings.HasPrefix(e, "NO_COLOR=") })
	m := ui.New(ui.Options{
		Service: s.cfg.Service, Actor: actor, Remote: true, NoColor: noColor,
		Context: ctx, Title: s.cfg.Title, Presence: seat,
	})
	defer m.Close()
	g := &sessionGuard{m: m, log: log}
	opts := append(bubbletea.MakeOptions(sess), tea.WithContext(ctx), tea.WithoutSignalHandler())
	p := tea.NewProgram(g, opts...)
	g.quit = p.Quit

	// Counted and registered in one step with the closing check, so a
	// Shutdown either finds this session (and says goodbye to it) or
	// this session sees it closing.
	ss := &sshSession{actor: actor, prog: p}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		fmt.Fprintln(sess.Stderr(), "roster: the server is shutting down")
		_ = sess.Exit(1)
		return
	}
	s.running.Add(1)
	s.sessions[ss] = struct{}{}
	s.mu.Unlock()
	defer s.running.Done()
	// The session leaves the register before its channel closes, so a
	// client that sees the end also sees it gone from Sessions.
	leave := func() {
		s.mu.Lock()
		delete(s.sessions, ss)
		s.mu.Unlock()
	}
	defer leave()

	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case w, ok := <-winCh:
				if !ok {
					return // the session's requests ended
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()

	log.Info("session start", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)
	_, err := p.Run()
	p.Kill()
	cancel()

	s.mu.Lock()
	bye := ss.bye
	s.mu.Unlock()
	code := 0
	switch {
	case g.crashed.Load():
		fmt.Fprint(sess, "\r\nroster: this session hit an internal error and was closed; it is in the server's log. Nothing saved was lost.\r\n")
		log.Error("session ended by a panic", "duration", time.Since(start).Round(time.Millisecond))
		code = 1
	case bye != "":
		fmt.Fprintf(sess, "\r\nroster: %s\r\n", bye)
		// OpenSSH can act on the close that follows before it has put
		// the last output on the terminal; the line is the point of a
		// polite shutdown, so give it a moment to land.
		time.Sleep(byeLinger)
	case err != nil && !errors.Is(err, tea.ErrProgramKilled):
		log.Error("session program failed", "err", err)
	}
	if code == 0 {
		log.Info("session end", "duration", time.Since(start).Round(time.Millisecond))
	}
	leave()
	_ = sess.Exit(code)
}

// byeLinger is how long a session stays open after its last line when the
// server shuts down.
const byeLinger = 150 * time.Millisecond

// runCommand serves a session without a terminal: `export` writes the
// roster to stdout (as `roster export` does), anything else gets one line
// saying how to connect.
func (s *sshServer) runCommand(sess ssh.Session, log *slog.Logger) {
	args := sess.Command()
	if len(args) > 0 && args[0] == "export" && s.cfg.Export != nil {
		format, err := sshExportFormat(args[1:])
		if err == nil {
			log.Info("export", "format", format)
			err = s.cfg.Export(sess, format)
		}
		if err != nil {
			fmt.Fprintf(sess.Stderr(), "roster export: %v\n", err)
			_ = sess.Exit(1)
			return
		}
		_ = sess.Exit(0)
		return
	}
	what := "the board needs a terminal"
	if len(args) > 0 {
		what = fmt.Sprintf("%q is not something roster serves", strings.Join(args, " "))
	}
	fmt.Fprintf(sess.Stderr(), "roster: %s; connect with `ssh -t` from a terminal for the board, or run `ssh ... export [--format csv]` for the roster as JSON or CSV\n", what)
	_ = sess.Exit(1)
}

// sshExportFormat reads export's one flag.
func sshExportFormat(args []string) (string, error) {
	format := "json"
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format" || a == "-format":
			if i+1 >= len(args) {
				return "", errors.New("--format needs a value: json or csv")
			}
			i++
			format = args[i]
		case strings.HasPrefix(a, "--format="):
			format = strings.TrimPrefix(a, "--format=")
		default:
			return "", fmt.Errorf("unexpected argument %q; export takes only --format json|csv", a)
		}
	}
	if format != "json" && format != "csv" {
		return "", fmt.Errorf("--format %q: use json or csv", format)
	}
	return format, nil
}
