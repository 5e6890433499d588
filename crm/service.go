package crm

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// Service is roster's use cases. The TUI, the CLI and the SSH server all
// call it; it is safe for concurrent use because every method runs in its
// own repository transaction.
type Service struct {
	repo  Repository
	clock Clock
	ids   *IDGen
	sync  *syncState
	out   *outboxState
}

// NewService builds a service over repo. clock may be nil for the wall
// clock.
func NewService(repo Repository, clock Clock) *Service {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Service{repo: repo, clock: clock, ids: NewIDGen(clock), sync: &syncState{}, out: &outboxState{}}
}

// WithClock returns a service over the same repository that tells time by
// clock: the demo seeds a plausible past with it, tests pin "now".
// It shares this service's ID generator so IDs stay in creation order.
func (s *Service) WithClock(clock Clock) *Service {
	return &Service{repo: s.repo, clock: clock, ids: s.ids, sync: s.sync, out: s.out}
}

// Clock is the service's clock, so views can say "3d ago" against the same
// "now" the service stamps events with.
func (s *Service) Clock() Clock { return s.clock }

// Subscribe starts receiving every committed change, for live views.
func (s *Service) Subscribe() *Subscription { return s.repo.Feed().Subscribe() }

// Backup writes a consistent snapshot of the database to w.
func (s *Service) Backup(w io.Writer) (int64, error) { return s.repo.Backup(w) }

// DatabaseFile is the file the roster is kept in, when the repository is
// one (store.DB has Path), else "": a backup written over it would
// replace the database under the running program, so :backup refuses it.
func (s *Service) DatabaseFile() string {
	if p, ok := s.repo.(interface{ Path() string }); ok {
		return p.Path()
	}
	return ""
}

// SameFile reports whether paths a and b name one existing file, through
// links and relative paths alike.
func SameFile(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}

// Init makes sure the default campaign exists. Call it once after opening
// a repository; it writes nothing when there is already a campaign.
func (s *Service) Init(actor string) error {
	var have bool
	if err := s.repo.View(func(tx Tx) error {
		cs, err := tx.Campaigns()
		have = len(cs) > 0
		return err
	}); err != nil || have {
		return err
	}
	return s.repo.Update(func(tx Tx) error {
		cs, err := tx.Campaigns()
		if err != nil || len(cs) > 0 {
			return err
		}
		w := s.writer(tx, actor)
		_, err = w.createCampaign(Campaign{Name: DefaultCampaignName})
		return err
	})
}

// Campaigns lists every campaign, oldest first.
func (s *Service) Campaigns() ([]Campaign, error) {
	var out []Campaign
	err := s.repo.View(func(tx Tx) (err error) {
		out, err = tx.Campaigns()
		return err
	})
	return out, err
}

// CampaignByName finds a campaign by name, ignoring case.
func (s *Service) CampaignByName(name string) (Campaign, error) {
	cs, err := s.Campaigns()
	if err != nil {
		return Campaign{}, err
	}
	if c, ok := FindCampaign(cs, name); ok {
		return c, nil
	}
	return Campaign{}, fmt.Errorf("campaign %q: %w", name, ErrNotFound)
}

// CreateCampaign adds a campaign; names are unique, ignoring case.
func (s *Service) CreateCampaign(actor string, c Campaign) (Campaign, error) {
	err := s.repo.Update(func(tx Tx) (err error) {
		c, err = s.writer(tx, actor).createCampaign(c)
		return err
	})
	return c, err
}

// SetCampaignBudget sets what a campaign may spend (a zero amount clears
// it), so the board's header and the report measure spend against it. The
// budget is in one currency; committed and paid money in others is shown
// beside it, never converted. The log keeps the old and the new budget.
func (s *Service) SetCampaignBudget(actor string, campaign ID, budget Money) (Campaign, error) {
	var c Campaign
	err := s.repo.Update(func(tx Tx) error {
		old, err := tx.Campaign(campaign)
		if err != nil {
			return err
		}
		c = old
		c.Budget = budget
		if budget.AmountMinor == 0 {
			c.Budget = Money{}
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if c.Budget == old.Budget {
			return nil
		}
		if err := tx.PutCampaign(&c); err != nil {
			return err
		}
		was, now := "none", "none"
		if old.Budget.AmountMinor > 0 {
			was = old.Budget.String()
		}
		if c.Budget.AmountMinor > 0 {
			now = c.Budget.String()
		}
		return s.writer(tx, actor).event(Event{Kind: CampaignUpdated, CampaignID: c.ID,
			Summary: fmt.Sprintf("set the budget of %s to %s (was %s)", c.Name, now, was), Before: rawJSON(old), After: rawJSON(c)})
	})
	return c, err
}

// Card is a deal with its creator: what the board shows.
type Card struct {
	Deal    Deal
	Creator Creator
	// Turn says whose move it is in the creator's mail.
	Turn Turn
	// Money is the deal's ledger at a glance (late deliverables, money
	// owed); zero for a deal without terms.
	Money CardMoney
}

// LastActivity is the latest change to the deal or its creator, or the
// latest message with them.
func (c *Card) LastActivity() time.Time {
	t := c.Deal.UpdatedAt
	if c.Creator.UpdatedAt.After(t) {
		t = c.Creator.UpdatedAt
	}
	if c.Turn.LastAt.After(t) {
		t = c.Turn.LastAt
	}
	return t
}

// Board is one campaign's pipeline: a column of cards per board stage,
// most recently active first.
type Board struct {
	Campaign Campaign
	Columns  [len(BoardStages)][]Card
	// Declined holds the campaign's deals that are off the board, most
	// recently declined first, so they can be found and reopened.
	Declined []Card
	// Money is the campaign's budget against what its deals agreed, paid
	// and owe, for the board's header.
	Money CampaignMoney
}

// Board loads a campaign's board. An empty id means the first campaign.
func (s *Service) Board(campaign ID) (Board, error) {
	var b Board
	err := s.repo.View(func(tx Tx) error {
		if campaign == "" {
			cs, err := tx.Campaigns()
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				return fmt.Errorf("no campaign: %w", ErrNotFound)
			}
			b.Campaign = cs[0]
		} else {
			c, err := tx.Campaign(campaign)
			if err != nil {
				return fmt.Errorf("campaign %s: %w", campaign, err)
			}
			b.Campaign = c
		}
		return tx.ForEachDeal(func(d *Deal) error {
			if d.CampaignID != b.Campaign.ID {
				return nil
			}
			c, err := tx.Creator(d.CreatorID)
			if err != nil {
				return fmt.Errorf("deal %s: creator %s: %w", d.ID, d.CreatorID, err)
			}
			turn, err := turnOf(tx, d.CreatorID)
			if err != nil {
				return err
			}
			card := Card{Deal: *d, Creator: c, Turn: turn}
			if card.Money, err = b.Money.addDeal(tx, d, s.clock.Now()); err != nil {
				return err
			}
			if i := d.Stage.Index(); i >= 0 {
				b.Columns[i] = append(b.Columns[i], card)
			} else {
				b.Declined = append(b.Declined, card)
			}
			return nil
		})
	})
	b.Money.Campaign = b.Campaign
	for i := range b.Columns {
		SortCards(b.Columns[i])
	}
	SortCards(b.Declined)
	return b, err
}

// SortCards orders a column: most recent activity first, then by name, so
// the board is stable between loads. Names are folded once, not per
// comparison: an import stamps thousands of cards with the same time. The
// order is total (the deal ID breaks the last tie), so an unstable sort
// gives the same result; it sorts small keys and moves each card once,
// since a Card is large to swap.
func SortCards(cards []Card) {
	type keyed struct {
		at   time.Time
		name string
		deal ID
		i    int
	}
	ks := make([]keyed, len(cards))
	for i := range cards {
		ks[i] = keyed{cards[i].LastActivity(), strings.ToLower(cards[i].Creator.Name), cards[i].Deal.ID, i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(string(a.deal), string(b.deal))
	})
	sorted := make([]Card, len(cards))
	for j, k := range ks {
		sorted[j] = cards[k.i]
	}
	copy(cards, sorted)
}

// Card loads one deal with its creator, for refreshing a single card after
// a change.
func (s *Service) Card(deal ID) (Card, error) {
	var c Card
	err := s.repo.View(func(tx Tx) (err error) {
		if c.Deal, err = tx.Deal(deal); err != nil {
			return err
		}
		if c.Creator, err = tx.Creator(c.Deal.CreatorID); err != nil {
			return err
		}
		if c.Turn, err = turnOf(tx, c.Deal.CreatorID); err != nil {
			return err
		}
		c.Money, err = cardMoney(tx, &c.Deal, s.clock.Now())
		return err
	})
	return c, err
}

// Detail is everything the creator screen shows.
type Detail struct {
	Creator   Creator
	Deals     []Deal
	Campaigns map[ID]Campaign
	// Events is the creator's activity log, newest first.
	Events []Event
	// Ledgers holds each deal's terms, deliverables and payments, by
	// deal ID; a deal nobody recorded terms for has none.
	Ledgers map[ID]Ledger
	// Confirmations are the outbox mails that confirmed terms versions,
	// by Message-ID (Terms.ConfirmedIn): whether a confirmation actually
	// went out, or failed, shows beside the terms it confirms.
	Confirmations map[string]OutboxMail
}

// CreatorDetail loads a creator with their deals and activity log.
func (s *Service) CreatorDetail(id ID) (Detail, error) {
	d := Detail{Campaigns: map[ID]Campaign{}}
	err := s.repo.View(func(tx Tx) (err error) {
		if d.Creator, err = tx.Creator(id); err != nil {
			return err
		}
		if d.Deals, err = tx.DealsOf(id); err != nil {
			return err
		}
		if d.Ledgers, err = ledgersOf(tx, d.Deals); err != nil {
			return err
		}
		if d.Confirmations, err = confirmationsOf(tx, d.Ledgers); err != nil {
			return err
		}
		cs, err := tx.Campaigns()
		if err != nil {
			return err
		}
		for _, c := range cs {
			d.Campaigns[c.ID] = c
		}
		d.Events, err = tx.Events(EventQuery{CreatorID: id})
		return err
	})
	return d, err
}

// confirmationsOf finds the outbox mail of every confirmed terms version.
func confirmationsOf(tx Tx, ledgers map[ID]Ledger) (map[string]OutboxMail, error) {
	out := map[string]OutboxMail{}
	for _, l := range ledgers {
		for _, t := range l.Terms {
			if t.ConfirmedIn == "" {
				continue
			}
			id, ok, err := tx.OutboxByMessageID(t.ConfirmedIn)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			m, err := tx.OutboxMail(id)
			if err != nil {
				return nil, err
			}
			out[t.ConfirmedIn] = m
		}
	}
	return out, nil
}

// AddCreator creates a creator and their deal in campaign at stage
// (Prospect when empty). It refuses an email or handle that belongs to
// someone else.
func (s *Service) AddCreator(actor string, c Creator, campaign ID, stage Stage) (Card, error) {
	if stage == "" {
		stage = Prospect
	}
	var card Card
	err := s.repo.Update(func(tx Tx) error {
		w := s.writer(tx, actor)
		if _, err := tx.Campaign(campaign); err != nil {
			return fmt.Errorf("campaign %s: %w", campaign, err)
		}
		created, err := w.createCreator(c, "added")
		if err != nil {
			return err
		}
		d, err := w.createDeal(&created, campaign, stage, "")
		card = Card{Deal: d, Creator: created}
		return err
	})
	return card, err
}

// UpdateCreator saves an edited creator. c.Version must be the version the
// editor loaded; otherwise the result is a *ConflictError and nothing is
// written.
func (s *Service) UpdateCreator(actor string, c Creator) (Creator, error) {
	err := s.repo.Update(func(tx Tx) error {
		old, err := tx.Creator(c.ID)
		if err != nil {
			return err
		}
		if old.Version != c.Version {
			return &ConflictError{Kind: "creator", ID: c.ID, Have: c.Version, Current: old.Version}
		}
		c.CreatedAt = old.CreatedAt
		return s.writer(tx, actor).updateCreator(old, &c, "")
	})
	return c, err
}

// MoveDeal moves a deal to another board stage. version is the deal
// version the caller saw; a stale one is a *ConflictError, so two people
// moving the same card never overwrite each other unknowingly.
// Moving to paid while money is owed is an *OwedError (see MoveDealOwing).
func (s *Service) MoveDeal(actor string, deal ID, version uint64, to Stage) (Deal, error) {
	return s.moveDeal(actor, deal, version, to, false)
}

// StepDeal moves a deal delta columns along the board (+1 next, -1
// previous).
func (s *Service) StepDeal(actor string, deal ID, version uint64, delta int) (Deal, error) {
	var cur Deal
	if err := s.repo.View(func(tx Tx) (err error) {
		cur, err = tx.Deal(deal)
		return err
	}); err != nil {
		return Deal{}, err
	}
	to, ok := cur.Stage.Step(delta)
	if !ok {
		return cur, invalidf("%s is the %s end of the board", cur.Stage.Title(), map[bool]string{true: "last", false: "first"}[delta > 0])
	}
	return s.MoveDeal(actor, deal, version, to)
}

// DeclineDeal takes a deal off the board with a reason, which is required:
// "declined" without why helps nobody six months later.
func (s *Service) DeclineDeal(actor string, deal ID, version uint64, reason string) (Deal, error) {
	reason = cleanReason(reason)
	if reason == "" {
		return Deal{}, &FieldError{Field: "reason", Msg: "is empty"}
	}
	var d Deal
	err := s.repo.Update(func(tx Tx) (err error) {
		if d, err = s.load(tx, deal, version); err != nil {
			return err
		}
		if d.Stage == Declined {
			return invalidf("already declined")
		}
		return s.writer(tx, actor).moveDeal(&d, Declined, reason)
	})
	return d, err
}

// ReopenDeal puts a declined deal back on the board in the stage it left.
func (s *Service) ReopenDeal(actor string, deal ID, version uint64) (Deal, error) {
	var d Deal
	err := s.repo.Update(func(tx Tx) (err error) {
		if d, err = s.load(tx, deal, version); err != nil {
			return err
		}
		if d.Stage != Declined {
			return invalidf("%s is not declined", deal)
		}
		return s.writer(tx, actor).moveDeal(&d, d.lastBoardStage(), "")
	})
	return d, err
}

// AddDeal puts an existing creator on another campaign's board.
func (s *Service) AddDeal(actor string, creator, campaign ID) (Deal, error) {
	var d Deal
	err := s.repo.Update(func(tx Tx) error {
		c, err := tx.Creator(creator)
		if err != nil {
			return err
		}
		if _, err := tx.Campaign(campaign); err != nil {
			return err
		}
		ds, err := tx.DealsOf(creator)
		if err != nil {
			return err
		}
		for _, x := range ds {
			if x.CampaignID == campaign {
				return invalidf("%s is already in this campaign", c.Name)
			}
		}
		d, err = s.writer(tx, actor).createDeal(&c, campaign, Prospect, "")
		return err
	})
	return d, err
}

func (s *Service) load(tx Tx, deal ID, version uint64) (Deal, error) {
	d, err := tx.Deal(deal)
	if err != nil {
		return d, err
	}
	if d.Version != version {
		return d, &ConflictError{Kind: "deal", ID: deal, Have: version, Current: d.Version}
	}
	return d, nil
}
