package crm

import "errors"

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

// replyMove is one deal a reply moves on.
type replyMove struct {
	deal    ID
	version uint64
}

// followReplies moves contacted deals to negotiating for the incoming mail
// in batch, after IngestMail stored it. It reads first and writes only
// when something moves, so a sync of old mail costs no extra commit. A
// reply counts for a deal when it is newer than the deal's move to
// contacted and it is in a thread that holds a mail roster sent for that
// deal, or the creator has only that one deal in contacted.
func (s *Service) followReplies(id Identity, batch []ParsedMessage) error {
	if !s.pipelineFollowsMail() || len(batch) == 0 {
		return nil
	}
	var moves []replyMove
	seen := map[ID]bool{}
	err := s.repo.View(func(tx Tx) error {
		for i := range batch {
			pm := &batch[i]
			if id.Owns(pm.From.Email) {
				continue
			}
			// Cheap first: only a known sender with a contacted deal can
			// move anything, and the indexes say so without decoding the
			// message.
			c, ok, err := tx.CreatorByEmail(pm.From.Email)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if ok, err := hasContacted(tx, c); err != nil {
				return err
			} else if !ok {
				continue
			}
			mid := NormalizeMessageID(pm.MessageIDRaw)
			if mid == "" {
				continue
			}
			mref, ok, err := tx.MessageByMessageID(mid)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			msg, err := tx.Message(mref)
			if err != nil {
				return err
			}
			if msg.Direction != In || msg.CreatorID == "" {
				continue
			}
			d, ok, err := repliedDeal(tx, &msg)
			if err != nil {
				return err
			}
			if ok && !seen[d.ID] {
				seen[d.ID] = true
				moves = append(moves, replyMove{d.ID, d.Version})
			}
		}
		return nil
	})
	if err != nil || len(moves) == 0 {
		return err
	}
	return s.repo.Update(func(tx Tx) error {
		w := s.writer(tx, "roster")
		for _, mv := range moves {
			d, err := tx.Deal(mv.deal)
			if err != nil {
				return err
			}
			if d.Stage != Contacted {
				continue // moved by someone in between
			}
			if err := w.moveDeal(&d, Negotiating, "creator replied"); err != nil {
				return err
			}
		}
		return nil
	})
}

// repliedDeal finds the contacted deal an incoming message answers.
func repliedDeal(tx Tx, msg *Message) (Deal, bool, error) {
	ds, err := tx.DealsOf(msg.CreatorID)
	if err != nil {
		return Deal{}, false, err
	}
	var contacted []Deal
	for _, d := range ds {
		if d.Stage == Contacted && msg.Date.After(d.EnteredStage()) {
			contacted = append(contacted, d)
		}
	}
	if len(contacted) == 0 {
		return Deal{}, false, nil
	}
	// A mail roster sent in this thread names its deal.
	if msg.ThreadID != "" {
		ms, err := tx.MessagesOfThread(msg.ThreadID)
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
