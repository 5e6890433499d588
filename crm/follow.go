package crm

import (
	"errors"
	"slices"
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
	creator, msg ID
	date         time.Time
}

// noteReply keeps m for followReplies when it is incoming mail from a
// creator.
func (r *IngestResult) noteReply(m *Message) {
	if m.Direction == In && m.CreatorID != "" {
		r.replies = append(r.replies, reply{creator: m.CreatorID, msg: m.ID, date: m.Date})
	}
}

// followReplies moves contacted deals to negotiating for the incoming mail
// IngestMail just stored, in its transaction: the messages and their
// creators are at hand there, so a sync of old mail costs no extra commit,
// and each creator's deals are read once per batch. A reply counts for a
// deal when it is newer than the deal's move to contacted and it is in a
// thread that holds a mail roster sent for that deal, or the creator has
// only that one deal in contacted.
func (s *Service) followReplies(w *writer, replies []reply) error {
	if !s.pipelineFollowsMail() || len(replies) == 0 {
		return nil
	}
	contacted := map[ID][]Deal{} // by creator; a moved deal leaves it
	for _, r := range replies {
		ds, known := contacted[r.creator]
		if !known {
			all, err := w.tx.DealsOf(r.creator)
			if err != nil {
				return err
			}
			for _, d := range all {
				if d.Stage == Contacted {
					ds = append(ds, d)
				}
			}
			contacted[r.creator] = ds
		}
		if len(ds) == 0 {
			continue
		}
		i, err := repliedDeal(w.tx, r, ds)
		if err != nil || i < 0 {
			return err
		}
		if err := w.moveDeal(&ds[i], Negotiating, "creator replied"); err != nil {
			return err
		}
		contacted[r.creator] = slices.Delete(ds, i, i+1)
	}
	return nil
}

// repliedDeal finds which of the creator's contacted deals an incoming
// message answers, or -1.
func repliedDeal(tx Tx, r reply, contacted []Deal) (int, error) {
	var newer []int
	for i, d := range contacted {
		if r.date.After(d.EnteredStage()) {
			newer = append(newer, i)
		}
	}
	if len(newer) < 2 {
		if len(newer) == 1 {
			return newer[0], nil
		}
		return -1, nil
	}
	// A mail roster sent in the message's thread names its deal. The
	// thread is read from the message now: a later message of the batch
	// may have merged the one it was stored in.
	m, err := tx.Message(r.msg)
	if err != nil || m.ThreadID == "" {
		return -1, err
	}
	ms, err := tx.MessagesOfThread(m.ThreadID)
	if err != nil {
		return -1, err
	}
	for _, x := range ms {
		oid, ok, err := tx.OutboxByMessageID(x.MessageID)
		if err != nil {
			return -1, err
		}
		if !ok {
			continue
		}
		om, err := tx.OutboxMail(oid)
		if err != nil {
			return -1, err
		}
		for _, i := range newer {
			if contacted[i].ID == om.DealID {
				return i, nil
			}
		}
	}
	return -1, nil
}
