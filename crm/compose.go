package crm

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Drafts the compose screen starts from: a reply to a message, a blank
// mail to a creator, or a template filled in for a deal. None is stored;
// QueueMail takes the edited draft.

// ReplyDraft answers a message: to its sender (Reply-To when set), or with
// all set also to everyone else on it except the manager's own addresses;
// the subject gets "Re: " once; In-Reply-To and References make it thread
// in every client; the original is quoted below an empty first line for
// the manager's text. A reply to one of the manager's own messages goes to
// that message's recipients again.
func (s *Service) ReplyDraft(msg ID, all bool) (Draft, error) {
	var m Message
	if err := s.repo.View(func(tx Tx) (err error) {
		m, err = tx.Message(msg)
		return err
	}); err != nil {
		return Draft{}, err
	}
	acct, err := s.sendingAccount(m.Account)
	if err != nil {
		if acct, err = s.sendingAccount(""); err != nil {
			return Draft{}, err
		}
	}
	own := func(addr string) bool {
		for _, a := range s.SendingAccounts() {
			if a.Owns(addr) {
				return true
			}
		}
		return false
	}
	var to []Address
	switch {
	case m.Direction == Out || own(m.From.Email):
		to = m.To
	case len(m.ReplyTo) > 0:
		to = m.ReplyTo
	default:
		to = []Address{m.From}
	}
	d := Draft{
		Account: acct.Name, From: Address{Name: cleanName(acct.DisplayName), Email: acct.Email},
		Subject: ReplySubject(m.Subject), CreatorID: m.CreatorID, ThreadID: m.ThreadID, Kind: "reply",
	}
	seen := map[string]bool{}
	add := func(dst *[]Address, as []Address) {
		for _, a := range as {
			n := NormalizeEmail(a.Email)
			if n == "" || seen[n] || own(a.Email) || CheckEmail(a.Email) != nil {
				continue
			}
			seen[n] = true
			*dst = append(*dst, Address{Name: cleanName(a.Name), Email: a.Email})
		}
	}
	add(&d.To, to)
	if all {
		add(&d.Cc, append(slices.Clone(m.To), m.Cc...))
	}
	if len(d.To) == 0 && len(d.Cc) > 0 {
		d.To, d.Cc = d.Cc[:1], d.Cc[1:]
	}
	if validMsgID(m.MessageID) {
		d.InReplyTo = m.MessageID
		refs := slices.Clone(m.References)
		if len(refs) == 0 && validMsgID(m.InReplyTo) {
			refs = []string{m.InReplyTo}
		}
		refs = slices.DeleteFunc(refs, func(r string) bool { return !validMsgID(r) || r == m.MessageID })
		d.References = trimReferences(append(refs, m.MessageID))
	}
	if m.CreatorID != "" {
		om := OutboxMail{CreatorID: m.CreatorID}
		_ = s.repo.View(func(tx Tx) error {
			if dl, ok, err := dealOfMail(tx, &om); err == nil && ok {
				d.DealID, d.CampaignID = dl.ID, dl.CampaignID
			}
			// Lists and the log name the creator ("reply to Maya Chen").
			if c, err := tx.Creator(m.CreatorID); err == nil {
				d.CreatorName = c.Name
			}
			return nil
		})
	}
	d.Text = "\n\n" + QuoteMessage(&m)
	return d, nil
}

// ReplySubject is "Re: " and the subject without the reply prefixes it
// already has (in any of the languages threading knows), so a long
// exchange never reads "Re: Re: Re:" or "Re: AW: Re:".
func ReplySubject(subject string) string {
	s := stripPrefixes(SanitizeLine(subject), replyOnlyPrefix)
	return "Re: " + strings.Join(strings.Fields(s), " ")
}

// quoteWidth is the width quoted lines are wrapped to, counting their
// "> " marks: what mail clients write, and narrow enough that the
// compose editor of an 80-column terminal never wraps one for the
// screen (where the continuation would show without its marks).
const quoteWidth = 76

// QuoteMessage is the attribution line and the message's text with "> "
// before each line, as mail clients quote; long lines are wrapped at
// spaces to quoteWidth, every piece keeping the line's quote marks.
func QuoteMessage(m *Message) string {
	who := cleanName(m.From.Name)
	if who == "" {
		who = m.From.Email
	}
	var b strings.Builder
	fmt.Fprintf(&b, "On %s, %s wrote:\n", m.Date.Format("Mon, 2 Jan 2006 at 15:04"), who)
	text := strings.TrimRight(SanitizeText(m.Text), "\n")
	if text == "" {
		text = "(the message's text has not been fetched)"
	}
	for _, line := range strings.Split(text, "\n") {
		marks := ">"
		if line != "" && !strings.HasPrefix(line, ">") {
			marks = "> "
		}
		// A line quoted already keeps its own marks on every piece.
		rest := strings.TrimLeft(line, "> ")
		marks += line[:len(line)-len(rest)]
		for _, piece := range wrapWords(rest, quoteWidth-utf8.RuneCountInString(marks)) {
			b.WriteString(strings.TrimRight(marks+piece, " ") + "\n")
		}
	}
	return b.String()
}

// wrapWords breaks s at spaces into pieces of at most width runes; a word
// longer than width (a link) is a piece of its own, never cut. It returns
// s as one piece when it is short, and when width is under 20 (a quote
// nested so deep that its pieces would be a word or two each).
func wrapWords(s string, width int) []string {
	if utf8.RuneCountInString(s) <= width || width < 20 {
		return []string{s}
	}
	var out []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wn := utf8.RuneCountInString(w)
		if n > 0 && n+1+wn > width {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wn
	}
	return append(out, cur.String())
}

// ComposeDraft is a blank mail to a creator's first address, for their
// deal when one is given.
func (s *Service) ComposeDraft(creator, deal ID, account string) (Draft, error) {
	acct, err := s.sendingAccount(account)
	if err != nil {
		return Draft{}, err
	}
	d := Draft{Account: acct.Name, From: Address{Name: cleanName(acct.DisplayName), Email: acct.Email}, Kind: "mail", DealID: deal, CreatorID: creator}
	err = s.repo.View(func(tx Tx) error {
		c, err := tx.Creator(creator)
		if err != nil {
			return err
		}
		if c.PrimaryEmail() == "" {
			return invalidf("%s has no email address", c.Name)
		}
		d.To = []Address{{Name: cleanName(c.Name), Email: c.PrimaryEmail()}}
		d.CreatorName = cleanName(c.Name)
		if deal != "" {
			dl, err := tx.Deal(deal)
			if err != nil {
				return err
			}
			d.CampaignID = dl.CampaignID
		}
		return nil
	})
	return d, err
}

// TemplateDraft fills the named template in for a deal's creator, sent
// from account ("" for the first). A field the template prints that is
// empty for this creator refuses, naming field and creator.
func (s *Service) TemplateDraft(template string, deal ID, account string) (Draft, error) {
	ts, err := s.Templates()
	if err != nil {
		return Draft{}, err
	}
	t, ok := ts[template]
	if !ok {
		return Draft{}, invalidf("no template %q (have %s)", template, strings.Join(slices.Sorted(maps.Keys(ts)), ", "))
	}
	acct, err := s.sendingAccount(account)
	if err != nil {
		return Draft{}, err
	}
	var d Draft
	err = s.repo.View(func(tx Tx) error {
		dl, err := tx.Deal(deal)
		if err != nil {
			return err
		}
		c, err := tx.Creator(dl.CreatorID)
		if err != nil {
			return err
		}
		cp, err := tx.Campaign(dl.CampaignID)
		if err != nil {
			return err
		}
		d, err = templateDraft(t, acct, &c, &dl, &cp)
		return err
	})
	return d, err
}

func templateDraft(t Template, acct SendingAccount, c *Creator, dl *Deal, cp *Campaign) (Draft, error) {
	if c.PrimaryEmail() == "" {
		return Draft{}, invalidf("%s has no email address", c.Name)
	}
	subject, body, err := t.Render(NewTemplateData(*c, *cp, cleanName(acct.DisplayName), acct.Email))
	if err != nil {
		return Draft{}, err
	}
	return Draft{
		Account: acct.Name, From: Address{Name: cleanName(acct.DisplayName), Email: acct.Email},
		To:      []Address{{Name: cleanName(c.Name), Email: c.PrimaryEmail()}},
		Subject: subject, Text: body, CreatorID: c.ID, DealID: dl.ID, CampaignID: dl.CampaignID,
		Kind: t.Name, CreatorName: cleanName(c.Name),
	}, nil
}
