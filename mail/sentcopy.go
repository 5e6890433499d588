package mail

import (
	"context"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"

	"roster/crm"
	"roster/mail/config"
)

// settle looks for sent mail and mail in doubt in each account's Sent
// folder, by Message-ID:
//   - a sent mail found there was filed by the provider (Gmail, Microsoft
//     365 and others do); one still missing after the grace period is
//     APPENDed by roster, once;
//   - a mail in doubt found there went out; one still missing after the
//     grace period is left to the manager, because a provider that does
//     not file sent mail would not show it either.
//
// It returns when the next check is due.
func (s *Sender) settle(ctx context.Context) time.Time {
	next := time.Now().Add(time.Hour)
	ms, err := s.unsettled()
	if err != nil {
		s.log.Warn("outbox", "err", err)
		return next
	}
	work := map[string][]crm.OutboxMail{}
	var order []string
	for _, m := range ms {
		if work[m.Account] == nil {
			order = append(order, m.Account)
		}
		work[m.Account] = append(work[m.Account], m)
	}
	for _, name := range order {
		acct, ok := s.cfg.Account(name)
		if !ok {
			continue
		}
		if at := s.settleAccount(ctx, acct, work[name]); at.Before(next) {
			next = at
		}
	}
	return next
}

func (s *Sender) settleAccount(ctx context.Context, acct *config.Account, ms []crm.OutboxMail) time.Time {
	next := time.Now().Add(time.Hour)
	log := s.log.With("account", acct.Name)
	ss := s.imap.newSession(acct)
	if err := ss.connect(ctx); err != nil {
		log.Warn("sent copies: connect", "err", err)
		return time.Now().Add(time.Minute)
	}
	defer ss.logout()
	sent, err := ss.sentFolder(ctx)
	if err != nil {
		log.Warn("sent copies", "err", err)
		return time.Now().Add(time.Minute)
	}
	for i := range ms {
		m := &ms[i]
		if sent == "" {
			s.noSentFolder(m)
			continue
		}
		found, err := ss.hasMessageID(ctx, sent, m.MessageID)
		if err != nil {
			log.Warn("sent copies: search", "err", err)
			return time.Now().Add(time.Minute)
		}
		grace := s.opts.SentGrace
		if s.filesItself[acct.Name] {
			grace *= 5 // it files, just slowly today
		}
		switch {
		case found && m.State == crm.OutboxSent:
			s.filesItself[acct.Name] = true
			_, err = s.svc.MailFiled(m.ID, "server")
		case found:
			s.filesItself[acct.Name] = true
			if _, err = s.svc.MailDelivered(m.ID, "found in Sent by its Message-ID"); err == nil {
				_, err = s.svc.MailFiled(m.ID, "server")
			}
		case m.State == crm.OutboxSent && time.Since(m.SentAt) >= grace:
			if err = ss.appendSent(ctx, sent, m); err == nil {
				_, err = s.svc.MailFiled(m.ID, "appended")
			}
		case m.State == crm.OutboxInDoubt && time.Since(m.UpdatedAt) >= s.opts.SentGrace:
			_, err = s.svc.DoubtUnresolved(m.ID, "not in the Sent folder either: it may or may not have been delivered; retry or cancel")
		default:
			at := m.SentAt.Add(grace)
			if m.State == crm.OutboxInDoubt {
				at = m.UpdatedAt.Add(s.opts.SentGrace)
			}
			if at.Before(next) {
				next = at
			}
		}
		if err != nil {
			log.Warn("sent copies", "outbox", m.ID, "err", err)
		}
	}
	return next
}

func (s *Sender) noSentFolder(m *crm.OutboxMail) {
	if m.State == crm.OutboxSent {
		_, _ = s.svc.MailFiled(m.ID, "none (no Sent folder)")
	} else {
		_, _ = s.svc.DoubtUnresolved(m.ID, "the account has no Sent folder to look in; retry or cancel")
	}
}

// sentFolder finds the Sent mailbox by its special-use attribute, else by
// the usual names; "" when there is none.
func (ss *session) sentFolder(ctx context.Context) (string, error) {
	var opts *imap.ListOptions
	if ss.caps.Has(imap.CapSpecialUse) && ss.caps.Has(imap.CapListExtended) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	var list []*imap.ListData
	err := ss.guard(ctx, "list", func() (err error) {
		list, err = ss.c.List("", "*", opts).Collect()
		return err
	})
	if err != nil {
		return "", err
	}
	return findFolder(list, imap.MailboxAttrSent, sentNames), nil
}

// hasMessageID searches mbox for a Message-ID, and for the header
// Microsoft 365 keeps the original in when it rewrites it.
func (ss *session) hasMessageID(ctx context.Context, mbox, mid string) (bool, error) {
	if ss.selected != mbox {
		if _, err := ss.selectMailbox(ctx, mbox); err != nil {
			return false, err
		}
	}
	for _, key := range []string{"Message-ID", "X-Microsoft-Original-Message-ID"} {
		var n int
		err := ss.guard(ctx, "search", func() error {
			data, err := ss.c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: key, Value: "<" + mid + ">"}}}, nil).Wait()
			if err == nil {
				n = len(data.AllUIDs())
			}
			return err
		})
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
	return false, nil
}

// appendSent files the exact bytes that were sent, read, dated when sent.
func (ss *session) appendSent(ctx context.Context, mbox string, m *crm.OutboxMail) error {
	return ss.guard(ctx, "append", func() error {
		cmd := ss.c.Append(mbox, int64(len(m.Raw)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}, Time: m.SentAt})
		if _, err := cmd.Write(m.Raw); err != nil {
			cmd.Close()
			return err
		}
		if err := cmd.Close(); err != nil {
			return err
		}
		_, err := cmd.Wait()
		return err
	})
}

// unsettled lists the sent mail still waiting for its Sent copy and the
// doubts not yet looked up.
func (s *Sender) unsettled() ([]crm.OutboxMail, error) {
	ms, err := s.svc.Outbox(crm.OutboxQuery{States: []crm.OutboxState{crm.OutboxSent, crm.OutboxInDoubt}})
	return slices.DeleteFunc(ms, func(m crm.OutboxMail) bool {
		return !((m.State == crm.OutboxSent && m.SentCopy == "") || (m.State == crm.OutboxInDoubt && !m.DoubtChecked))
	}), err
}
