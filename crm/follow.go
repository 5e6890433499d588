package crm

import (
	"errors"
	"time"
)

// The pipeline follows the mail: the first mail roster sends to a prospect
// moves the deal to contacted, and the first reply from a contacted creator
// moves it to negotiating. Both moves are logged by the actor "roster" so
// the log says the mail did it, not a person. SetPipelineFollowsMail(false)
// (the config's [pipeline] follow_mail = false) turns both off.

// followSent moves the sent mail's deal from prospect to contacted.
func (s *Service) followSent(w *writer, m *OutboxMail) error {
	if !s.pipelineFollowsMail() {
		return nil
	}
	d, ok, err := dealOfMail(w.tx, m)
	if err != nil || !ok || d.Stage != Prospect {
		return err
	}
	return w.moveDeal(&d, Contacted, "first mail sent")
}

// dealOfMail is the deal a mail was written for: its own DealID, else the
// creator's only deal in its campaign (or only deal at all).
func dealOfMail(tx Tx, m *OutboxMail) (Deal, bool, error) {
	if m.DealID != "" {
		d, err := tx.Deal(m.DealID)
		return d, err == nil, ignoreNotFound(err)
	}
	if m.CreatorID == "" {
		return Deal{}, false, nil
	}
	ds, err := tx.DealsOf(m.CreatorID)
	if err != nil {
		return Deal{}, false, err
	}
	var pick []Deal
	for _, d := range ds {
		if m.CampaignID == "" || d.CampaignID == m.CampaignID {
			pick = append(pick, d)
		}
	}
	if len(pick) != 1 {
		return Deal{}, false, nil
	}
	return pick[0], true, nil
}

func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// reply is an incoming message from a creator, as much of it as
// repliedDeal reads.
type reply struct {
	creator, thread ID
	date            time.Time
}

// noteReply keeps m for followReplies when it is incoming mail from a
// creator.
func (r *IngestResult) noteReply(m *Message) {
	if m.Direction == In && m.CreatorID != "" {
		r.replies = append(r.replies, reply{creator: m.CreatorID, thread: m.ThreadID, date: m.Date})
	}
}

// followReplies moves contacted deals to negotiating for the incoming mail
// IngestMail just stored, in its transaction: the messages and their
// creators are at hand there, so a sync of old mail costs no extra reads
// and no extra commit. A reply counts for a deal when it is newer than
// the deal's move to contacted and it is in a thread that holds a mail
// roster sent for that deal, or the creator has only that one deal in
// contacted.
func (s *Service) followReplies(w *writer, replies []reply) error {
	if !s.pipelineFollowsMail() || len(replies) == 0 {
		return nil
	}
	contacted := map[ID]bool{}
	for _, r := range replies {
		has, known := contacted[r.creator]
		if !known {
			var err error
			if has, err = hasContacted(w.tx, r.creator); err != nil {
				return err
			}
			contacted[r.creator] = has
		}
		if !has {
			continue
		}
		d, ok, err := repliedDeal(w.tx, r)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := w.moveDeal(&d, Negotiating, "creator replied"); err != nil {
			return err
		}
		// The creator may have another deal in contacted.
		delete(contacted, r.creator)
	}
	return nil
}

// repliedDeal finds the contacted deal an incoming message answers.
func repliedDeal(tx Tx, msg reply) (Deal, bool, error) {
	ds, err := tx.DealsOf(msg.creator)
	if err != nil {
		return Deal{}, false, err
	}
	var contacted []Deal
	for _, d := range ds {
		if d.Stage == Contacted && msg.date.After(d.EnteredStage()) {
			contacted = append(contacted, d)
		}
	}
	if len(contacted) == 0 {
		return Deal{}, false, nil
	}
	// A mail roster sent in this thread names its deal.
	if msg.thread != "" {
		ms, err := tx.MessagesOfThread(msg.thread)
		if err != nil {
			return Deal{}, false, err
		}
		for _, x := range ms {
			oid, ok, err := tx.OutboxByMessageID(x.MessageID)
			if err != nil {
				return Deal{}, false, err
			}
			if !ok {
				continue
			}
			om, err := tx.OutboxMail(oid)
			if err != nil {
				return Deal{}, false, err
			}
			for _, d := range contacted {
				if d.ID == om.DealID {
					return d, true, nil
				}
			}
		}
	}
	if len(contacted) == 1 {
		return contacted[0], true, nil
	}
	return Deal{}, false, nil
}

func hasContacted(tx Tx, creator ID) (bool, error) {
	ds, err := tx.DealsOf(creator)
	for _, d := range ds {
		if d.Stage == Contacted {
			return true, err
		}
	}
	return false, err
}
