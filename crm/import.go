package crm

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ImportRecord is one creator as a file describes them, before it is
// matched against the roster. Parsers in crm/transfer produce it.
type ImportRecord struct {
	// Line is where the record starts in its file, for messages.
	Line    int
	Name    string
	Emails  []string
	Handles []Handle
	Tags    []string
	Notes   string
	Source  string
	Owner   string
	// Stage is the deal's stage in the import's campaign; empty leaves an
	// existing deal where it is and puts a new creator in Prospect.
	Stage Stage
	// StageColumn says the file has a stage column. A blank stage there
	// says the creator has no deal in the campaign (roster's own CSV
	// export writes it so for a creator whose deals are all elsewhere), so
	// a known creator without a deal in the import's campaign is left off
	// its board. Without a stage column the file is a list of people for
	// the campaign, and a known creator not on it yet joins as a prospect.
	StageColumn bool
	// DoNotContact, when set, overrides the flag.
	DoNotContact *bool
}

// sanitize removes terminal control sequences from the record's text, as
// the board's inputs never let them in: a file from anywhere must not
// store a name that clears the screen of whoever lists it later. A name
// keeps its line breaks, so that Validate still refuses them by name.
func (r *ImportRecord) sanitize() {
	sanitizeCreatorText(&r.Name, &r.Notes, &r.Source, &r.Owner, &r.Tags)
}

// sanitizeCreatorText cleans a creator's text fields from a file, for
// Import and Restore alike; the tags are copied, not changed in place.
func sanitizeCreatorText(name, notes, source, owner *string, tags *[]string) {
	*name, *notes = SanitizeText(*name), SanitizeText(*notes)
	*source, *owner = SanitizeLine(*source), SanitizeLine(*owner)
	ts := slices.Clone(*tags)
	for i, t := range ts {
		ts[i] = SanitizeLine(t)
	}
	*tags = ts
}

// ImportOptions steer Import.
type ImportOptions struct {
	// File names the source in problems and in the activity log.
	File string
	// Campaign receives new deals; empty means the default (first)
	// campaign. A name that does not exist yet creates the campaign.
	Campaign string
	// DryRun does all the work and reports it, then writes nothing.
	DryRun bool
	// SkipInvalid writes the valid records and reports the others; without
	// it any problem writes nothing at all.
	SkipInvalid bool
}

// ImportResult counts what an import did (or, dry, would do).
type ImportResult struct {
	New, Updated, Unchanged, Skipped int
	Problems                         []Problem
}

// Summary is the one line the CLI prints.
func (r ImportResult) Summary() string {
	return fmt.Sprintf("imported %d new, updated %d, skipped %d, unchanged %d", r.New, r.Updated, r.Skipped, r.Unchanged)
}

// Problem is something wrong at a line of an input file.
type Problem struct {
	File string
	Line int
	Msg  string
}

// Error is the problem as the CLI prints it, cleaned with SanitizeLine:
// messages quote cells of the file, and those must not reach the terminal
// as escape sequences.
func (p Problem) Error() string {
	if p.Line > 0 {
		return SanitizeLine(fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg))
	}
	return SanitizeLine(p.File + ": " + p.Msg)
}

// ProblemsError carries every problem of a rejected import.
type ProblemsError struct{ Problems []Problem }

func (e *ProblemsError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Is makes a ProblemsError match ErrInvalid.
func (e *ProblemsError) Is(target error) bool { return target == ErrInvalid }

var errDryRun = errors.New("dry run")

// Import merges records into the roster in one transaction. A record
// matches an existing creator by any normalised email or platform handle;
// a match is updated (new emails, handles and tags added, audience figures
// refreshed, notes appended), anything else is created with a deal in the
// import's campaign. Importing the same file twice changes nothing.
//
// parsed holds the problems the parser already found. Unless
// opts.SkipInvalid, any problem means nothing is written and the error is
// a *ProblemsError listing them all.
func (s *Service) Import(actor string, records []ImportRecord, parsed []Problem, opts ImportOptions) (ImportResult, error) {
	res := ImportResult{Problems: slices.Clone(parsed)}
	for i := range res.Problems {
		if res.Problems[i].File == "" {
			res.Problems[i].File = opts.File
		}
	}
	base := res
	err := s.repo.Update(func(tx Tx) error {
		res = base
		res.Problems = slices.Clone(base.Problems)
		w := s.writer(tx, actor)
		campaign, err := w.importCampaign(opts.Campaign)
		if err != nil {
			return err
		}
		for _, r := range records {
			outcome, err := w.importOne(r, campaign, opts.File)
			if err != nil {
				if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrDuplicate) {
					return err
				}
				res.Problems = append(res.Problems, Problem{File: opts.File, Line: r.Line, Msg: err.Error()})
				// Keep collecting: without SkipInvalid the transaction is
				// rolled back below, with every problem reported at once.
				continue
			}
			switch outcome {
			case importedNew:
				res.New++
			case importedUpdated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		res.Skipped = rowsWithProblems(res.Problems)
		return endImport(res.Problems, opts.SkipInvalid, opts)
	})
	return res, dryRunOK(err)
}

// rowsWithProblems counts the rows an import skips: a row with three
// problems is one row left out, though each problem is listed. A problem
// without a line stands for itself.
func rowsWithProblems(problems []Problem) int {
	type row struct {
		file string
		line int
	}
	rows := make(map[row]bool)
	n := 0
	for _, p := range problems {
		if p.Line <= 0 {
			n++
			continue
		}
		k := row{p.File, p.Line}
		if !rows[k] {
			rows[k] = true
			n++
		}
	}
	return n
}

// endImport decides how an import transaction ends: rolled back with every
// problem, rolled back because it was a dry run, or committed.
func endImport(problems []Problem, tolerate bool, opts ImportOptions) error {
	if len(problems) > 0 && !tolerate {
		return &ProblemsError{Problems: problems}
	}
	if opts.DryRun {
		return errDryRun
	}
	return nil
}

// dryRunOK turns the rollback of a dry run back into success.
func dryRunOK(err error) error {
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

type importOutcome int

const (
	importedUnchanged importOutcome = iota
	importedNew
	importedUpdated
)

func (w *writer) importCampaign(name string) (ID, error) {
	cs, err := w.tx.Campaigns()
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(name) == "" {
		if len(cs) == 0 {
			c, err := w.createCampaign(Campaign{Name: DefaultCampaignName})
			return c.ID, err
		}
		return cs[0].ID, nil
	}
	if c, ok := FindCampaign(cs, name); ok {
		return c.ID, nil
	}
	c, err := w.createCampaign(Campaign{Name: name})
	return c.ID, err
}

// match finds the one creator a record refers to. A record whose keys
// point at two different creators is a problem, not a guess.
func (w *writer) match(r *ImportRecord) (ID, error) {
	var found ID
	var foundKey string
	see := func(id ID, key string) error {
		if found != "" && id != found {
			a, _ := w.tx.Creator(found)
			b, _ := w.tx.Creator(id)
			return invalidf("%s belongs to %s but %s belongs to %s", foundKey, a.Name, key, b.Name)
		}
		found, foundKey = id, key
		return nil
	}
	for _, e := range r.Emails {
		if id, ok, err := w.tx.CreatorByEmail(e); err != nil {
			return "", err
		} else if ok {
			if err := see(id, "email "+e); err != nil {
				return "", err
			}
		}
	}
	for _, h := range r.Handles {
		if id, ok, err := w.tx.CreatorByHandle(h.Platform, NormalizeHandle(h.Handle)); err != nil {
			return "", err
		} else if ok {
			if err := see(id, fmt.Sprintf("%s @%s", h.Platform, NormalizeHandle(h.Handle))); err != nil {
				return "", err
			}
		}
	}
	return found, nil
}

func (w *writer) importOne(r ImportRecord, campaign ID, file string) (importOutcome, error) {
	r.sanitize()
	if r.Stage != "" && !r.Stage.Valid() {
		return 0, invalidf("unknown stage %q", r.Stage)
	}
	if len(r.Emails) == 0 && len(r.Handles) == 0 {
		return 0, invalidf("%q has neither an email nor a handle, so it could never be matched again", r.Name)
	}
	id, err := w.match(&r)
	if err != nil {
		return 0, err
	}
	from := "imported from " + file
	if file == "" {
		from = "imported"
	}
	if id == "" {
		c := Creator{Name: r.Name, Emails: r.Emails, Handles: r.Handles, Tags: r.Tags,
			Notes: r.Notes, Source: r.Source, Owner: r.Owner}
		if r.DoNotContact != nil {
			c.DoNotContact = *r.DoNotContact
		}
		created, err := w.createCreator(c, from+":")
		if err != nil {
			return 0, err
		}
		stage, reason := r.Stage, ""
		if stage == "" {
			stage = Prospect
		}
		if stage == Declined {
			reason = from
		}
		_, err = w.createDeal(&created, campaign, stage, reason)
		return importedNew, err
	}
	old, err := w.tx.Creator(id)
	if err != nil {
		return 0, err
	}
	next := mergeRecord(old, r)
	if err := w.updateCreator(old, &next, from); err != nil {
		return 0, err
	}
	outcome := importedUnchanged
	if next.Version != old.Version {
		outcome = importedUpdated
	}
	moved, err := w.importDealStage(&next, campaign, r, from)
	if moved {
		outcome = importedUpdated
	}
	return outcome, err
}

// importDealStage makes sure the creator has a deal in campaign and, when
// the file names a stage, that the deal is in it. A blank stage in a stage
// column leaves a creator without a deal there as they are.
func (w *writer) importDealStage(c *Creator, campaign ID, r ImportRecord, from string) (bool, error) {
	stage := r.Stage
	ds, err := w.tx.DealsOf(c.ID)
	if err != nil {
		return false, err
	}
	for _, d := range ds {
		if d.CampaignID != campaign {
			continue
		}
		if stage == "" || stage == d.Stage {
			return false, nil
		}
		reason := ""
		if stage == Declined {
			reason = from
		}
		return true, w.moveDeal(&d, stage, reason)
	}
	if stage == "" && r.StageColumn {
		return false, nil
	}
	if stage == "" {
		stage = Prospect
	}
	reason := ""
	if stage == Declined {
		reason = from
	}
	_, err = w.createDeal(c, campaign, stage, reason)
	return true, err
}

// mergeRecord applies what a file says about a known creator without losing
// what roster already knows: lists grow, figures refresh, notes append.
func mergeRecord(c Creator, r ImportRecord) Creator {
	c.Emails = slices.Clone(c.Emails)
	c.Handles = slices.Clone(c.Handles)
	c.Tags = slices.Clone(c.Tags)
	if n := strings.TrimSpace(r.Name); n != "" {
		c.Name = n
	}
	for _, e := range r.Emails {
		if !slices.ContainsFunc(c.Emails, func(x string) bool { return NormalizeEmail(x) == NormalizeEmail(e) }) {
			c.Emails = append(c.Emails, strings.TrimSpace(e))
		}
	}
	for _, h := range r.Handles {
		h.Handle = NormalizeHandle(h.Handle)
		i := slices.IndexFunc(c.Handles, func(x Handle) bool { return x.Platform == h.Platform && x.Handle == h.Handle })
		if i < 0 {
			c.Handles = append(c.Handles, h)
			continue
		}
		if h.Followers > 0 {
			c.Handles[i].Followers = h.Followers
		}
		if h.EngagementBP > 0 {
			c.Handles[i].EngagementBP = h.EngagementBP
		}
	}
	c.Tags = CleanTags(append(c.Tags, r.Tags...))
	if n := strings.TrimSpace(r.Notes); n != "" && !strings.Contains(c.Notes, n) {
		if c.Notes != "" {
			c.Notes += "\n"
		}
		c.Notes += n
	}
	if s := strings.TrimSpace(r.Source); s != "" {
		c.Source = s
	}
	if o := strings.TrimSpace(r.Owner); o != "" {
		c.Owner = o
	}
	if r.DoNotContact != nil {
		c.DoNotContact = *r.DoNotContact
	}
	return c
}
