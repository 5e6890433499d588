package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// saveTimeout bounds one attachment's fetch: a big file on a slow link
// takes a while, a server that stalls must not keep it going forever.
const saveTimeout = 5 * time.Minute

// saveAttachments is the a key of the creator's Mail tab: it saves the
// selected message's attachment, or asks which when there are several.
// The bytes are read from the server on demand (roster stores only names
// and sizes), off the UI loop. Over SSH it says plainly that saving works
// in a local roster: the file would land on the server's disk.
func (m *Model) saveAttachments() tea.Cmd {
	msg, ok := m.detail.selectedMessage()
	switch {
	case !ok:
		m.setErr(errors.New("no message selected: the Mail tab (2) lists them, [ and ] pick one"))
		return nil
	case len(msg.Attachments) == 0 && msg.HeaderOnly:
		m.setErr(errors.New("this message's body is not fetched yet, so its attachments are not known; s syncs mail"))
		return nil
	case len(msg.Attachments) == 0:
		m.setErr(errors.New("the selected message has no attachments"))
		return nil
	case m.c.DownloadDir == "" && m.c.Remote:
		m.setErr(errors.New("saving attachments works in a local roster: over SSH the file would land on the server's disk, not on your machine"))
		return nil
	case m.c.DownloadDir == "":
		m.setErr(errors.New("no directory to save attachments in: set ROSTER_DOWNLOAD_DIR"))
		return nil
	}
	target := *msg
	if len(target.Attachments) == 1 {
		return m.saveAttachment(target, target.Attachments[0])
	}
	names := make([]string, len(target.Attachments))
	notes := make([]string, len(target.Attachments))
	for i, a := range target.Attachments {
		names[i], notes[i] = a.Name, fmt.Sprintf("%s, %s", a.Type, crm.ByteSize(a.Size))
	}
	m.chooser = &chooserModel{title: "Save which attachment to " + homeRel(m.c.DownloadDir) + "?", options: names, notes: notes,
		pick: func(m *Model, i int) tea.Cmd { return m.saveAttachment(target, target.Attachments[i]) }}
	return nil
}

// saveAttachment fetches one attachment and writes it in a command, with
// the status line saying so until it ends in "saved …" or the error.
func (m *Model) saveAttachment(msg crm.Message, a crm.Attachment) tea.Cmd {
	name := sanitize(a.Name)
	m.setStatus("fetching " + name + "…")
	svc, ctx, dir := m.c.Svc, m.c.Ctx, m.c.DownloadDir
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, saveTimeout)
		defer cancel()
		path, err := svc.SaveAttachment(ctx, msg, a, dir)
		if err != nil {
			return statusMsg{err: fmt.Errorf("could not save %s: %w", name, err)}
		}
		return statusMsg{text: fmt.Sprintf("saved %s (%s) to %s", name, crm.ByteSize(a.Size), homeRel(path))}
	}
}

// homeRel writes a path under the home directory as ~/…, as people say it.
func homeRel(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == "/" {
		return sanitize(path)
	}
	if rel, err := filepath.Rel(home, path); err == nil && !strings.HasPrefix(rel, "..") && rel != "." {
		return sanitize("~" + string(filepath.Separator) + rel)
	}
	return sanitize(path)
}
