package ui

import (
	"slices"
	"strings"
	"unicode"

	"roster/crm"
)

// numCols counts the board stages; the declined column, shown on demand,
// sits after them at index declinedCol.
const (
	numCols     = len(crm.BoardStages)
	declinedCol = numCols
	maxCols     = numCols + 1
)

// boardModel is the pipeline board's state: the loaded campaign board, the
// filter, and a cursor per column. It does no I/O; the root model loads
// data and hands it over.
type boardModel struct {
	data crm.Board
	// view holds, per column, indices into data.Columns that pass the
	// filter, in board order.
	view   [maxCols][]int
	col    int
	sel    [maxCols]int // selected row in view[col]
	top    [maxCols]int // first visible row
	filter string
	// haystack caches each card's searchable text, per column, and lower
	// the same in lower case, for the plain (substring) match. Both are
	// built by the first filter after new data (searchable), not on every
	// load: most boards are opened and never filtered.
	haystack, lower [maxCols][]string
	searchable      bool
	// approx is set while the filter shows close (fuzzy) matches: a word
	// of it is in no card as typed.
	approx bool
	// showDeclined adds the declined column, where declined deals can be
	// found and reopened.
	showDeclined bool
	loaded       bool
	// rendered caches drawn cards: moving the cursor re-renders two cards,
	// not every visible one.
	rendered map[crm.ID]renderedCard
}

// renderedCard is a card's lines and everything they were drawn from.
type renderedCard struct {
	key   cardKey
	lines []string
}

type cardKey struct {
	dealV, creatorV uint64
	width           int
	selected        bool
	hour            int64 // "3d" changes with time
	styles          int   // styles generation (background, colour)
	mailAt          int64 // whose turn it is in the mail
	replyOwed       bool
	here            string // who else has the creator open (roster serve)
	marked          bool   // marked for outreach (space)
	flag            string // the ledger flag the card shows (cardFlag)
}

// setData replaces the board, keeping the cursor on the same deal where it
// still exists.
func (b *boardModel) setData(data crm.Board) {
	keep, _ := b.selectedDeal()
	b.data = data
	b.loaded = true
	b.searchable = false
	b.applyFilter()
	if keep != "" {
		b.selectDeal(keep)
	}
}

// cards is column i's cards, the declined ones for declinedCol.
func (b *boardModel) cards(i int) []crm.Card {
	if i == declinedCol {
		return b.data.Declined
	}
	return b.data.Columns[i]
}

// ncols is how many columns the board has now.
func (b *boardModel) ncols() int {
	if b.showDeclined {
		return maxCols
	}
	return numCols
}

// toggleDeclined shows or hides the declined column.
func (b *boardModel) toggleDeclined() {
	b.showDeclined = !b.showDeclined
	// Whether a filter word matches as typed depends on the columns
	// shown (anyHolds).
	b.applyFilter()
	if !b.showDeclined && b.col == declinedCol {
		b.col = numCols - 1
	}
	if b.showDeclined {
		b.col = declinedCol
	}
}

// searchText is what the filter matches against: name, handles, emails
// and tags.
func searchText(c *crm.Card) string {
	var sb strings.Builder
	sb.WriteString(c.Creator.Name)
	for _, h := range c.Creator.Handles {
		sb.WriteString(" @")
		sb.WriteString(h.Handle)
	}
	for _, e := range c.Creator.Emails {
		sb.WriteByte(' ')
		sb.WriteString(e)
	}
	for _, t := range c.Creator.Tags {
		sb.WriteString(" #")
		sb.WriteString(t)
	}
	return sb.String()
}

// setFilter filters every column; "" shows everything. Each word of the
// filter matches as typed (ignoring case) where some card holds it, so
// "maya" shows the cards that say maya, not every card with an m, a y
// and an a in that order; a word no card holds (a typo) matches fuzzily
// instead, and the header says the matches are close ones. A changed
// filter puts the cursor on its best match, in whichever column that is,
// since the card selected before may now be a weak match (or gone); an
// unchanged or empty one keeps the cursor where it was.
func (b *boardModel) setFilter(f string) {
	keep, _ := b.selectedDeal()
	f = strings.TrimSpace(f)
	changed := f != b.filter
	b.filter = f
	best := b.applyFilter()
	if changed && best.ok {
		b.col, b.sel[best.col] = best.col, best.row
		return
	}
	if keep != "" {
		b.selectDeal(keep)
	}
}

// filterHit is where the filter's best match sits in the view.
type filterHit struct {
	col, row, score int
	ok              bool
}

// index builds the search texts of every card, once per data.
func (b *boardModel) index() {
	if b.searchable {
		return
	}
	for i := range b.haystack {
		b.haystack[i], b.lower[i] = b.haystack[i][:0], b.lower[i][:0]
		for _, c := range b.cards(i) {
			text := searchText(&c)
			b.haystack[i] = append(b.haystack[i], text)
			b.lower[i] = append(b.lower[i], strings.ToLower(text))
		}
	}
	b.searchable = true
}

// applyFilter rebuilds the view and returns the best-scoring match among
// the columns shown (the first in board order on a tie).
func (b *boardModel) applyFilter() filterHit {
	var best filterHit
	if b.filter != "" {
		b.index()
	}
	words := strings.Fields(strings.ToLower(b.filter))
	plain := make([]bool, len(words))
	typos := make([]typoMatcher, len(words))
	b.approx = false
	for k, word := range words {
		if plain[k] = b.anyHolds(word); !plain[k] {
			typos[k] = newTypoMatcher(word)
		}
	}
	for i := range b.view {
		b.view[i] = b.view[i][:0]
		if b.filter == "" {
			for j := range b.cards(i) {
				b.view[i] = append(b.view[i], j)
			}
			continue
		}
		// Every word must match on its own, so "beauty maya" finds Maya
		// among beauty creators whatever the field order.
		// A card's score is the sum of its words' scores.
		var keep []bool
		score := make([]int, len(b.haystack[i]))
		for k, word := range words {
			hit := make([]bool, len(b.haystack[i]))
			if plain[k] {
				for j, text := range b.lower[i] {
					if at := strings.Index(text, word); at >= 0 {
						hit[j] = true
						score[j] += plainScore(text, at)
					}
				}
			} else {
				for j, text := range b.lower[i] {
					if d, ok := typos[k].distance(text); ok {
						hit[j] = true
						score[j] += 300 - 100*d
					}
				}
			}
			if keep == nil {
				keep = hit
				continue
			}
			for j := range keep {
				keep[j] = keep[j] && hit[j]
			}
		}
		for j, ok := range keep {
			if !ok {
				continue
			}
			if i < b.ncols() && (!best.ok || score[j] > best.score) {
				best = filterHit{col: i, row: len(b.view[i]), score: score[j], ok: true}
			}
			b.view[i] = append(b.view[i], j)
		}
	}
	for i := range b.sel {
		b.clamp(i)
	}
	// "(close matches)" only when some card shows through a typo match.
	if slices.Contains(plain, false) {
		for i := range b.ncols() {
			b.approx = b.approx || len(b.view[i]) > 0
		}
	}
	return best
}

// typoMatcher matches a filter word no card holds as typed against the
// words of a card's text (split at anything not a letter or digit): a
// word within one edit of one of them (two from seven letters on; a swap
// of two neighbours is one edit), or of its beginning while the word is
// still being typed, matches. Shorter words do not: with one edit, almost
// any three letters match something. This replaced a fuzzy subsequence
// match, which found "cehn" in Daniel Kim and Noah Fischer and nothing
// for "majya" or "beuaty". One matcher serves a word over every card, so
// a typed key costs no allocation per card: a typo searched 5,000 cards
// with 300,000 of them.
type typoMatcher struct {
	word  []rune
	limit int    // the edits allowed
	tok   []rune // the text's word being compared, reused
}

func newTypoMatcher(word string) typoMatcher {
	w := []rune(strings.Trim(word, "@#"))
	limit := 1
	if len(w) >= 7 {
		limit = 2
	}
	return typoMatcher{word: w, limit: limit}
}

// distance is the fewest edits from the word to a word of text, or to
// its beginning, and whether that is close enough to match.
func (m *typoMatcher) distance(text string) (d int, ok bool) {
	if len(m.word) < 4 {
		return 0, false
	}
	best := m.limit + 1
	m.tok = m.tok[:0]
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			m.tok = append(m.tok, r)
			continue
		}
		best = m.closer(best)
		m.tok = m.tok[:0]
	}
	best = m.closer(best)
	return best, best <= m.limit
}

// closer is best, or the edits from the word to a beginning of m.tok
// (len(word) ± limit letters) where that is fewer. Every edit loses at
// most one of the letters the two have in common, so a token sharing
// too few of the word's letters is passed over without measuring: most
// are, since most of a card's words are nothing like the typo.
func (m *typoMatcher) closer(best int) int {
	w, tok := m.word, m.tok
	lo, hi := len(w)-m.limit, min(len(tok), len(w)+m.limit)
	if lo > hi || len(w)-sharedLetters(w, tok[:hi]) >= best {
		return best
	}
	for n := lo; n <= hi; n++ {
		best = min(best, crm.EditDistanceRunes(w, tok[:n]))
	}
	return best
}

// sharedLetters counts the letters a and b have in common, each letter
// as often as both have it; past 64 letters in a it says all of a's.
func sharedLetters(a, b []rune) int {
	if len(a) > 64 {
		return len(a)
	}
	var used uint64
	n := 0
	for _, r := range b {
		for i, x := range a {
			if x == r && used&(1<<i) == 0 {
				used |= 1 << i
				n++
				break
			}
		}
	}
	return n
}

// anyHolds reports whether some card in a column shown holds word (lower
// case) as typed: a word only a hidden declined card holds leaves the
// shown columns to close matches, not empty.
func (b *boardModel) anyHolds(word string) bool {
	for i := range b.lower[:b.ncols()] {
		for _, text := range b.lower[i] {
			if strings.Contains(text, word) {
				return true
			}
		}
	}
	return false
}

// plainScore ranks a plain match at byte at of text: the start of the
// name first, then the start of any word (a handle, an email, a tag),
// then earlier before later.
func plainScore(text string, at int) int {
	switch {
	case at == 0:
		return 2000
	case strings.IndexByte(" @#.", text[at-1]) >= 0:
		return 1000 - min(at, 999)
	}
	return 500 - min(at, 499)
}

func (b *boardModel) clamp(col int) {
	n := len(b.view[col])
	if b.sel[col] >= n {
		b.sel[col] = n - 1
	}
	if b.sel[col] < 0 {
		b.sel[col] = 0
	}
}

// selected returns the card under the cursor.
func (b *boardModel) selected() (*crm.Card, bool) {
	v, cards := b.view[b.col], b.cards(b.col)
	// The view can be a step behind the data while upsert or remove
	// rebuilds it (the last card just left this column).
	if sel := b.sel[b.col]; sel < 0 || sel >= len(v) || v[sel] >= len(cards) {
		return nil, false
	}
	return &cards[v[b.sel[b.col]]], true
}

func (b *boardModel) selectedDeal() (crm.ID, bool) {
	c, ok := b.selected()
	if !ok {
		return "", false
	}
	return c.Deal.ID, true
}

// selectDeal moves the cursor to a deal, changing column if needed.
func (b *boardModel) selectDeal(id crm.ID) bool {
	for i := range b.ncols() {
		for r, j := range b.view[i] {
			if b.cards(i)[j].Deal.ID == id {
				b.col, b.sel[i] = i, r
				return true
			}
		}
	}
	return false
}

func (b *boardModel) move(dc, dr int) {
	b.col = min(max(b.col+dc, 0), b.ncols()-1)
	b.sel[b.col] += dr
	b.clamp(b.col)
}

func (b *boardModel) jump(end bool) {
	if end {
		b.sel[b.col] = len(b.view[b.col]) - 1
	} else {
		b.sel[b.col] = 0
	}
	b.clamp(b.col)
}

// page moves half a visible column.
func (b *boardModel) page(dir int) {
	b.move(0, dir*4)
}

// upsert puts a changed card where its stage and activity say, or removes
// it when it left the board or this campaign.
func (b *boardModel) upsert(c crm.Card) {
	keep, _ := b.selectedDeal()
	defer b.rebuild(keep)
	b.remove(c.Deal.ID)
	if c.Deal.CampaignID != b.data.Campaign.ID {
		return
	}
	if i := c.Deal.Stage.Index(); i >= 0 {
		b.data.Columns[i] = append(b.data.Columns[i], c)
		crm.SortCards(b.data.Columns[i])
	} else {
		b.data.Declined = append(b.data.Declined, c)
		crm.SortCards(b.data.Declined)
	}
}

// remove drops a deal from the board; it reports whether it was there.
func (b *boardModel) remove(id crm.ID) bool {
	drop := func(cards []crm.Card) ([]crm.Card, bool) {
		for j := range cards {
			if cards[j].Deal.ID == id {
				return append(cards[:j:j], cards[j+1:]...), true
			}
		}
		return cards, false
	}
	var ok bool
	for i := range b.data.Columns {
		if b.data.Columns[i], ok = drop(b.data.Columns[i]); ok {
			return true
		}
	}
	b.data.Declined, ok = drop(b.data.Declined)
	return ok
}

// rebuild recomputes search text and the filtered view after an edit and
// puts the cursor back on keep, or on the nearest row when keep is gone.
func (b *boardModel) rebuild(keep crm.ID) {
	col, row := b.col, b.sel[b.col]
	b.setData(b.data)
	if keep == "" || !b.selectDeal(keep) {
		b.col, b.sel[col] = col, row
		b.clamp(col)
	}
}

// dealsOfCreator lists the deals on this board that belong to a creator.
func (b *boardModel) dealsOfCreator(id crm.ID) []crm.ID {
	var out []crm.ID
	for i := range maxCols {
		for _, c := range b.cards(i) {
			if c.Creator.ID == id {
				out = append(out, c.Deal.ID)
			}
		}
	}
	return out
}

// total counts the cards on the board (declined ones aside) and those
// passing the filter.
func (b *boardModel) total() (all, shown int) {
	for i := range numCols {
		all += len(b.data.Columns[i])
		shown += len(b.view[i])
	}
	if b.showDeclined {
		shown += len(b.view[declinedCol]) // the header counts what is on screen
	}
	return all, shown
}

// hiddenMatches is how many declined cards the filter matches while the
// declined column is hidden, so the header can say D shows them.
func (b *boardModel) hiddenMatches() int {
	if b.showDeclined || b.filter == "" {
		return 0
	}
	return len(b.view[declinedCol])
}
