package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
)

// syncNote is what the status line has said about mail sync, so the end
// of a sync is spoken of once: the one s asked for always (its cause when
// it failed), a background one only when it failed in a new way.
type syncNote struct {
	// asked is set by s until the next sync ends.
	asked bool
	// seen is the end (LastSync) of the last sync spoken of; failed is
	// the cause the status line last gave.
	seen   time.Time
	failed string
}

// syncAskedMsg is the answer to s.
type syncAskedMsg struct{ err error }

// syncNow asks the service to sync mail; without accounts it says where
// to configure them.
func (m *Model) syncNow() tea.Cmd {
	svc := m.c.Svc
	return func() tea.Msg {
		if !svc.SyncNow() {
			return syncAskedMsg{err: crm.ErrNoMail}
		}
		return syncAskedMsg{}
	}
}

func (m *Model) syncAsked(msg syncAskedMsg) {
	if msg.err != nil {
		m.setErr(msg.err)
		return
	}
	m.syncNote.asked = true
	m.setStatus("syncing mail…")
}

// syncEnded tells the status line how a sync that just ended went: the
// cause in words when it failed (the header has room for little of it),
// the summary when s asked for it. The same failure again in the
// background is not repeated over what the status line says then.
func (m *Model) syncEnded(s crm.SyncStatus) {
	n := &m.syncNote
	if s.Running || s.LastSync.IsZero() || s.LastSync.Equal(n.seen) {
		return
	}
	n.seen = s.LastSync
	asked := n.asked
	n.asked = false
	if s.LastErr == "" {
		n.failed = ""
		if asked {
			m.setStatus("mail synced: " + sanitize(s.Summary))
		}
		return
	}
	if asked || s.LastErr != n.failed {
		m.setErr(fmt.Errorf("mail sync failed: %s (s tries again)", s.LastErr))
	}
	n.failed = s.LastErr
}

// syncLine is the header's word on mail sync: progress while it runs,
// else when it last finished or why it failed. A cause is cut to at most
// maxw cells (the status line gives it whole), so the header stays one line.
func (m *Model) syncLine(maxw int) string {
	st := &m.c.Styles
	s := m.c.Svc.SyncStatus()
	switch {
	case s.Running && s.Total > 0:
		return st.Accent.Render(fmt.Sprintf("⟳ %s %s %d/%d", s.Phase, sanitize(s.Mailbox), s.Done, s.Total))
	case s.Running:
		return st.Accent.Render("⟳ " + s.Phase + " " + sanitize(s.Mailbox))
	case s.LastErr != "":
		return st.Error.Render(ansi.Truncate("sync failed: "+sanitize(s.LastErr), max(12, maxw), "…"))
	case !s.LastSync.IsZero():
		return st.HeaderMuted.Render("synced " + since(m.c.Svc.Clock().Now().Sub(s.LastSync)))
	}
	return ""
}

// since words a short duration for the status line: "just now", "4m ago".
func since(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}
