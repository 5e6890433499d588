package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// sentNames finds the Sent folder on servers that do not mark it with the
// \Sent special-use attribute, by the names clients and providers use
// (matched case-insensitively, also under INBOX. or INBOX/).
var sentNames = map[string]bool{
	"sent": true, "sent items": true, "sent messages": true, "sent mail": true,
	"[gmail]/sent mail": true, "[google mail]/sent mail": true,
	"gesendet": true, "gesendete objekte": true, "gesendete elemente": true,
	"envoyés": true, "éléments envoyés": true, "enviados": true, "elementos enviados": true,
	"inviati": true, "posta inviata": true, "verzonden": true, "verzonden items": true,
	"wysłane": true, "отправленные": true, "已发送": true,
}

// allNames finds Gmail's All Mail when LIST did not mark it \All.
var allNames = map[string]bool{"[gmail]/all mail": true, "[google mail]/all mail": true}

// archiveNames finds an archive folder without the \Archive attribute.
var archiveNames = map[string]bool{"archive": true, "archives": true}

// skipAttrs are folders that never hold correspondence worth keeping, or
// cannot be selected at all.
var skipAttrs = []imap.MailboxAttr{
	imap.MailboxAttrNoSelect, imap.MailboxAttrNonExistent,
	imap.MailboxAttrJunk, imap.MailboxAttrTrash, imap.MailboxAttrDrafts,
}

// chooseFolders decides which mailboxes to sync and which one IDLE
// watches. Gmail: only All Mail, which holds both directions of every
// conversation once (INBOX, Sent and labels are views of it with other
// UIDs, so syncing them too would triple the work). Everyone else: INBOX,
// the Sent folder and an archive if there is one. A configured list
// replaces discovery; names it gives that the server lacks are returned
// in missing; a configured folder is synced even if it is marked Junk or
// Trash, since the user asked for it.
func chooseFolders(gmail bool, list []*imap.ListData, configured []string) (folders []string, idle string, missing []string) {
	byName := map[string]*imap.ListData{}
	for _, l := range list {
		byName[strings.ToLower(l.Mailbox)] = l
	}
	if len(configured) > 0 {
		for _, f := range configured {
			l, ok := byName[strings.ToLower(f)]
			switch {
			case ok && (hasAttr(l, imap.MailboxAttrNoSelect) || hasAttr(l, imap.MailboxAttrNonExistent)):
				missing = append(missing, f)
			case ok:
				folders = append(folders, l.Mailbox)
			case len(list) == 0:
				folders = append(folders, f)
			default:
				missing = append(missing, f)
			}
		}
		idle = ""
		for _, f := range folders {
			if strings.EqualFold(f, "INBOX") {
				idle = f
			}
		}
		if idle == "" && len(folders) > 0 {
			idle = folders[0]
		}
		return folders, idle, missing
	}
	if gmail {
		if all := findFolder(list, imap.MailboxAttrAll, allNames); all != "" {
			return []string{all}, all, nil
		}
	}
	folders = []string{"INBOX"}
	if sent := findFolder(list, imap.MailboxAttrSent, sentNames); sent != "" {
		folders = append(folders, sent)
	}
	if arch := findFolder(list, imap.MailboxAttrArchive, archiveNames); arch != "" {
		folders = append(folders, arch)
	}
	return folders, "INBOX", nil
}

// findFolder returns the first selectable mailbox with attr, else the
// first whose name is in names.
func findFolder(list []*imap.ListData, attr imap.MailboxAttr, names map[string]bool) string {
	for _, l := range list {
		if selectable(l) && hasAttr(l, attr) {
			return l.Mailbox
		}
	}
	for _, l := range list {
		if !selectable(l) || strings.EqualFold(l.Mailbox, "INBOX") {
			continue
		}
		name := strings.ToLower(l.Mailbox)
		if names[name] {
			return l.Mailbox
		}
		if l.Delim != 0 {
			if leaf, ok := strings.CutPrefix(name, "inbox"+string(l.Delim)); ok && names[leaf] {
				return l.Mailbox
			}
		}
	}
	return ""
}

func selectable(l *imap.ListData) bool {
	for _, a := range skipAttrs {
		if hasAttr(l, a) {
			return false
		}
	}
	return true
}

func hasAttr(l *imap.ListData, attr imap.MailboxAttr) bool {
	for _, a := range l.Attrs {
		if strings.EqualFold(string(a), string(attr)) {
			return true
		}
	}
	return false
}

// discover lists the account's mailboxes (with special-use attributes)
// and picks the folders to sync.
func (s *session) discover(ctx context.Context) error {
	var opts *imap.ListOptions
	if s.caps.Has(imap.CapSpecialUse) && s.caps.Has(imap.CapListExtended) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	var list []*imap.ListData
	err := s.guard(ctx, "list", func() (err error) {
		list, err = s.c.List("", "*", opts).Collect()
		return err
	})
	if err != nil {
		return err
	}
	folders, idle, missing := chooseFolders(s.gmail, list, s.e.cfg.SyncFolders(s.acct))
	for _, m := range missing {
		s.warn(fmt.Sprintf("folder %q is configured but the server has no such selectable mailbox", m))
	}
	if len(folders) == 0 {
		return errors.New("no folder to sync")
	}
	s.folders, s.idleBox = folders, idle
	s.log.Debug("folders", "sync", strings.Join(folders, ","), "idle", idle)
	return nil
}

// statusAll asks STATUS of every folder in one pipelined round trip: the
// whole cost of a resync that finds nothing new. A folder the server
// refuses is a warning, not a failed sync.
func (s *session) statusAll(ctx context.Context, names []string) (map[string]*imap.StatusData, error) {
	opts := &imap.StatusOptions{NumMessages: true, UIDNext: true, UIDValidity: true, HighestModSeq: s.caps.Has(imap.CapCondStore)}
	out := map[string]*imap.StatusData{}
	err := s.guard(ctx, "status", func() error {
		cmds := make([]*imapclient.StatusCommand, len(names))
		for i, n := range names {
			cmds[i] = s.c.Status(n, opts)
		}
		var fatal error
		for i, cmd := range cmds {
			data, err := cmd.Wait()
			var ie *imap.Error
			switch {
			case err == nil:
				out[names[i]] = data
			case errors.As(err, &ie):
				s.warn(fmt.Sprintf("mailbox %s: %s", names[i], sanitizeServer(ie.Text)))
			case fatal == nil:
				fatal = err
			}
		}
		return fatal
	})
	return out, err
}
