package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// Results of commands. Every one carries what it needs so that Update
// never reads state a command goroutine could have seen half-made.
type (
	boardLoadedMsg struct {
		board     crm.Board
		campaigns []crm.Campaign
		err       error
		// unsent is the outbox's count of mail that did not go, for the
		// header, when the load counted it: a reset reloads the board
		// and must recount, and one load is cheaper than two messages.
		unsent *unsentMsg
	}
	cardsLoadedMsg struct {
		cards []crm.Card
		gone  []crm.ID // deals that no longer exist
	}
	dealSavedMsg struct {
		card crm.Card
		err  error
	}
	detailLoadedMsg struct {
		detail crm.Detail
		convs  []crm.Conversation
		err    error
	}
	creatorSavedMsg struct {
		creator crm.Creator
		card    *crm.Card // set when the save added a creator
		err     error
	}
	// changedMsg carries events other programs (or this one) committed.
	changedMsg struct {
		events []crm.Event
		reset  bool
	}
	statusMsg struct {
		text string
		err  error
	}
)

// waitChangeCmd blocks until the store commits something, then reports it.
// The model re-issues it after every changedMsg: one pump per program, off
// the UI loop, ending with the program's context.
func waitChangeCmd(ctx context.Context, sub *crm.Subscription) tea.Cmd {
	if sub == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case <-ctx.Done():
			return nil
		case <-sub.Ready():
			evs, reset := sub.Take()
			return changedMsg{events: evs, reset: reset}
		}
	}
}

func loadBoardCmd(svc *crm.Service, campaign crm.ID) tea.Cmd {
	return func() tea.Msg {
		b, err := svc.Board(campaign)
		if err != nil {
			return boardLoadedMsg{err: err}
		}
		cs, err := svc.Campaigns()
		unsent := loadUnsentCmd(svc)().(unsentMsg)
		return boardLoadedMsg{board: b, campaigns: cs, err: err, unsent: &unsent}
	}
}

func loadCardsCmd(svc *crm.Service, deals []crm.ID) tea.Cmd {
	return func() tea.Msg {
		var msg cardsLoadedMsg
		for _, id := range deals {
			c, err := svc.Card(id)
			if err != nil {
				msg.gone = append(msg.gone, id)
				continue
			}
			msg.cards = append(msg.cards, c)
		}
		return msg
	}
}

func loadDetailCmd(svc *crm.Service, creator crm.ID) tea.Cmd {
	return func() tea.Msg {
		d, err := svc.CreatorDetail(creator)
		if err != nil {
			return detailLoadedMsg{err: err}
		}
		convs, err := svc.Conversations(creator)
		return detailLoadedMsg{detail: d, convs: convs, err: err}
	}
}

// backupExistsMsg says :backup's file exists: the root model asks before
// writing over it, since it may be the last good backup.
type backupExistsMsg struct{ path string }

// backupCmd writes a backup to path; unless overwrite, a file already
// there is not touched but reported (backupExistsMsg).
func backupCmd(svc *crm.Service, path string, overwrite bool) tea.Cmd {
	return func() tea.Msg {
		if path == "" {
			return statusMsg{err: fmt.Errorf("backup: name a file, as in :backup ~/roster-backup.db")}
		}
		if home, err := os.UserHomeDir(); err == nil && len(path) > 1 && path[:2] == "~/" {
			path = filepath.Join(home, path[2:])
		}
		if crm.SameFile(path, svc.DatabaseFile()) {
			return statusMsg{err: fmt.Errorf("backup: %s is the database itself; name another file", path)}
		}
		write := crm.WriteNewFileAtomic
		if overwrite {
			write = crm.WriteFileAtomic
		}
		n, err := write(path, svc.Backup)
		if errors.Is(err, fs.ErrExist) {
			return backupExistsMsg{path: path}
		}
		if err != nil {
			return statusMsg{err: fmt.Errorf("backup: %w", err)}
		}
		return statusMsg{text: fmt.Sprintf("backup written to %s (%d KB)", path, (n+1023)/1024)}
	}
}
