package crm

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Conversation is one thread with its messages, oldest first.
type Conversation struct {
	Thread   Thread
	Messages []Message
}

// Conversations loads a creator's threads, newest activity first, with
// their messages.
func (s *Service) Conversations(creator ID) ([]Conversation, error) {
	var out []Conversation
	err := s.repo.View(func(tx Tx) (err error) {
		out, err = conversationsOf(tx, creator)
		return err
	})
	return out, err
}

// conversationsOf reads a creator's threads with their messages.
func conversationsOf(tx Tx, creator ID) ([]Conversation, error) {
	ths, err := tx.ThreadsOf(creator)
	if err != nil {
		return nil, err
	}
	out := make([]Conversation, 0, len(ths))
	for _, t := range ths {
		msgs, err := tx.MessagesOfThread(t.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, Conversation{Thread: t, Messages: msgs})
	}
	return out, nil
}

// Turn says who is expected to write next in a creator's mail.
type Turn struct {
	// LastAt is the newest message's date; zero when there is no mail.
	LastAt time.Time
	// ReplyOwed is true when the newest message came in: the manager
	// owes an answer. Otherwise roster is waiting for the creator.
	ReplyOwed bool
}

// Label is the card's wording: "reply owed" or "waiting".
func (t Turn) Label() string {
	switch {
	case t.LastAt.IsZero():
		return ""
	case t.ReplyOwed:
		return "reply owed"
	}
	return "waiting"
}

// turnOf says whose turn it is in a creator's mail.
func turnOf(tx Tx, creator ID) (Turn, error) { return tx.TurnOf(creator) }

// TurnOfThreads derives whose turn it is from a creator's threads, newest
// first (as ThreadsOf lists them): a repository without a faster way
// implements TurnOf with it.
func TurnOfThreads(ths []Thread) Turn {
	if len(ths) == 0 {
		return Turn{}
	}
	return Turn{LastAt: ths[0].LastAt, ReplyOwed: ths[0].LastDirection == In}
}

// Unmatched lists mail that belongs to no creator yet, newest first, with
// newsletters, list mail and ignored senders left out.
func (s *Service) Unmatched(limit int) ([]Message, error) {
	var out []Message
	err := s.repo.View(func(tx Tx) (err error) {
		out, err = tx.Unmatched(limit)
		return err
	})
	return out, err
}

// MakeProspect turns the sender of an unmatched message into a creator
// with a prospect deal in campaign, and links their mail to them.
func (s *Service) MakeProspect(actor string, msg ID, campaign ID) (Card, error) {
	var card Card
	err := s.repo.Update(func(tx Tx) error {
		m, err := tx.Message(msg)
		if err != nil {
			return err
		}
		if m.CreatorID != "" {
			return invalidf("this message already belongs to a creator")
		}
		if _, err := tx.Campaign(campaign); err != nil {
			return err
		}
		who := counterpart(&m)
		name := who.Name
		if name == "" {
			name = strings.Split(who.Email, "@")[0]
		}
		w := s.writer(tx, actor)
		c, err := w.createCreator(Creator{Name: name, Emails: []string{who.Email}, Source: "email"}, "made a prospect from mail:")
		if err != nil {
			return err
		}
		d, err := w.createDeal(&c, campaign, Prospect, "")
		card = Card{Deal: d, Creator: c}
		return err
	})
	return card, err
}

// LinkSender adds the sender of an unmatched message to an existing
// creator's emails, which links all of that sender's mail to them.
func (s *Service) LinkSender(actor string, msg ID, creator ID) (Creator, error) {
	var c Creator
	err := s.repo.Update(func(tx Tx) error {
		m, err := tx.Message(msg)
		if err != nil {
			return err
		}
		old, err := tx.Creator(creator)
		if err != nil {
			return err
		}
		c = old
		c.Emails = append(append([]string(nil), old.Emails...), counterpart(&m).Email)
		return s.writer(tx, actor).updateCreator(old, &c, "linked from unmatched mail")
	})
	return c, err
}

// IgnoreSender keeps a sender's mail, present and future, out of the
// unmatched list until UnignoreSender lifts it.
func (s *Service) IgnoreSender(actor string, msg ID) error {
	return s.repo.Update(func(tx Tx) error {
		m, err := tx.Message(msg)
		if err != nil {
			return err
		}
		if err := tx.PutIgnored(m.From.Email); err != nil {
			return err
		}
		tx.Notify(Event{Kind: MailChanged, Actor: actor, Summary: fmt.Sprintf("ignored %s", m.From.Email)})
		return nil
	})
}

// IgnoredSenders lists the senders IgnoreSender hid, normalised and
// sorted: the way back from an ignore given by mistake starts here.
func (s *Service) IgnoredSenders() ([]string, error) {
	var out []string
	err := s.repo.View(func(tx Tx) (err error) {
		out, err = tx.Ignored()
		return err
	})
	return out, err
}

// UnignoreSender lifts IgnoreSender: the sender's mail, including what
// came while the ignore held, is in the unmatched list again. addr is
// compared as NormalizeEmail compares; one that is not ignored is
// refused (ErrNotFound) with the list of those that are, so a typo does
// not pass for success.
func (s *Service) UnignoreSender(actor, addr string) error {
	return s.repo.Update(func(tx Tx) error {
		if err := tx.DeleteIgnored(addr); err != nil {
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			all, lerr := tx.Ignored()
			if lerr != nil {
				return lerr
			}
			if len(all) == 0 {
				return notFoundf("%s is not ignored: no sender is", strings.TrimSpace(addr))
			}
			shown := strings.Join(all[:min(len(all), 5)], ", ")
			if len(all) > 5 {
				shown += fmt.Sprintf(" and %d more", len(all)-5)
			}
			return notFoundf("%s is not ignored (ignored: %s)", strings.TrimSpace(addr), shown)
		}
		tx.Notify(Event{Kind: MailChanged, Actor: actor, Summary: "stopped ignoring " + NormalizeEmail(addr)})
		return nil
	})
}

// counterpart is the other person in a message: its sender when it came
// in, its first recipient when the manager sent it.
func counterpart(m *Message) Address {
	if m.Direction == Out && len(m.To) > 0 {
		return m.To[0]
	}
	return m.From
}

// relinkMail links unmatched mail from any of c's addresses to c, called
// whenever a creator is created or gains an address.
func (w *writer) relinkMail(c *Creator) error {
	for _, e := range c.Emails {
		ids, err := w.tx.UnmatchedFrom(e)
		if err != nil {
			return err
		}
		for _, id := range ids {
			m, err := w.tx.Message(id)
			if err != nil {
				return err
			}
			if m.CreatorID != "" {
				continue
			}
			m.CreatorID = c.ID
			if err := w.tx.PutMessage(&m); err != nil {
				return err
			}
			th, err := w.tx.Thread(m.ThreadID)
			if err != nil {
				return err
			}
			if th.CreatorID == "" {
				th.CreatorID = c.ID
				if err := w.tx.PutThread(&th); err != nil {
					return err
				}
				if err := w.claimThread(th.ID, c.ID); err != nil {
					return err
				}
			}
			w.tx.Notify(Event{Kind: MailChanged, CreatorID: c.ID})
		}
	}
	return nil
}
