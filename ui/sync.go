package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// syncNow asks the service to sync mail; without accounts it says where
// to configure them.
func (m *Model) syncNow() tea.Cmd {
	svc := m.c.Svc
	return func() tea.Msg {
		if !svc.SyncNow() {
			return statusMsg{err: fmt.Errorf("no mail account configured; see docs/config.md")}
		}
		return statusMsg{text: "syncing mail…"}
	}
}

// syncLine is the header's word on mail sync: progress while it runs,
// else when it last finished or why it failed.
func (m *Model) syncLine() string {
	st := &m.c.Styles
	s := m.c.Svc.SyncStatus()
	switch {
	case s.Running && s.Total > 0:
		return st.Accent.Render(fmt.Sprintf("⟳ %s %s %d/%d", s.Phase, sanitize(s.Mailbox), s.Done, s.Total))
	case s.Running:
		return st.Accent.Render("⟳ " + s.Phase + " " + sanitize(s.Mailbox))
	case s.LastErr != "":
		return st.Error.Render("sync failed: " + sanitize(s.LastErr))
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
