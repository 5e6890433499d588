package transfer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"roster/crm"
)

// Schema names the version of the export document WriteJSON writes. Later
// versions only add fields, so ReadJSON accepts any "roster.export/"
// schema and ignores fields it does not know.
const Schema = "roster.export/v1"

// schemaPrefix is what every version of the export's schema starts with.
const schemaPrefix = "roster.export/"

// The document's shape is spelled out here rather than borrowed from the
// crm structs' JSON tags, so that a change inside crm cannot silently
// change a file format people keep for years. docs/export.md describes
// every field.
type exportDoc struct {
	Schema    string        `json:"schema"`
	Campaigns []campaignDoc `json:"campaigns"`
	// A pointer so that a document without "creators" is told from an
	// empty roster.
	Creators *[]creatorDoc `json:"creators"`
	// Unmatched is mail that belongs to no creator; exported, not
	// imported (mail comes back from the server).
	Unmatched []messageDoc `json:"unmatched"`
	// IgnoredSenders are restored: without them the next sync would
	// list their mail again.
	IgnoredSenders []string `json:"ignored_senders"`
}

type threadDoc struct {
	ID       string       `json:"id"`
	Subject  string       `json:"subject"`
	Messages []messageDoc `json:"messages"`
}

type messageDoc struct {
	MessageID string       `json:"message_id"`
	From      addressDoc   `json:"from"`
	To        []addressDoc `json:"to"`
	Cc        []addressDoc `json:"cc"`
	Date      string       `json:"date"`
	Subject   string       `json:"subject"`
	Direction string       `json:"direction"`
}

type addressDoc struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type campaignDoc struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Budget    moneyDoc `json:"budget"`
	CreatedAt string   `json:"created_at"`
}

type moneyDoc struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

type creatorDoc struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	Emails       []string    `json:"emails"`
	Handles      []handleDoc `json:"handles"`
	Tags         []string    `json:"tags"`
	Notes        string      `json:"notes"`
	Source       string      `json:"source"`
	Owner        string      `json:"owner"`
	DoNotContact bool        `json:"do_not_contact"`
	CreatedAt    string      `json:"created_at"`
	UpdatedAt    string      `json:"updated_at"`
	Deals        []dealDoc   `json:"deals"`
	Threads      []threadDoc `json:"threads"`
}

type handleDoc struct {
	Platform     string `json:"platform"`
	Handle       string `json:"handle"`
	Followers    int64  `json:"followers"`
	EngagementBP int    `json:"engagement_bp"`
}

type dealDoc struct {
	ID            string           `json:"id"`
	Campaign      string           `json:"campaign"`
	CampaignID    string           `json:"campaign_id"`
	Stage         string           `json:"stage"`
	DeclineReason string           `json:"decline_reason"`
	CreatedAt     string           `json:"created_at"`
	UpdatedAt     string           `json:"updated_at"`
	StageHistory  []stageChangeDoc `json:"stage_history"`
	// Terms, Deliverables and Payments are the deal's ledger
	// (ledgerdoc.go).
	Terms        []termsDoc       `json:"terms"`
	Deliverables []deliverableDoc `json:"deliverables"`
	Payments     []paymentDoc     `json:"payments"`
}

type stageChangeDoc struct {
	Stage  string `json:"stage"`
	At     string `json:"at"`
	By     string `json:"by"`
	Reason string `json:"reason"`
}

// WriteJSON writes the whole roster as one export document (schema
// Schema, described in docs/export.md): campaigns and creators in
// snapshot order, each creator with its deals. The output depends on the
// snapshot alone — no export timestamp, times in UTC, lists as [] rather
// than null — so exporting, restoring and exporting again gives the same
// bytes, and two exports can be compared with diff.
//
// A deal whose creator is not in the snapshot is an error: the document
// nests deals under creators and would lose it.
func WriteJSON(w io.Writer, snap crm.Snapshot) error {
	doc := exportDoc{Schema: Schema, Campaigns: []campaignDoc{}}
	names := map[crm.ID]string{}
	for _, c := range snap.Campaigns {
		if _, ok := names[c.ID]; !ok {
			names[c.ID] = c.Name
		}
		doc.Campaigns = append(doc.Campaigns, campaignDoc{
			ID: str(string(c.ID)), Name: str(c.Name),
			Budget:    moneyDoc{AmountMinor: c.Budget.AmountMinor, Currency: str(c.Budget.Currency)},
			CreatedAt: formatTime(c.CreatedAt),
		})
	}
	dealsOf := map[crm.ID][]crm.Deal{}
	for _, d := range snap.Deals {
		dealsOf[d.CreatorID] = append(dealsOf[d.CreatorID], d)
	}
	creators := make([]creatorDoc, 0, len(snap.Creators))
	for _, c := range snap.Creators {
		cd := creatorDoc{
			ID: str(string(c.ID)), Name: str(c.Name),
			Emails: strs(c.Emails), Handles: []handleDoc{}, Tags: strs(c.Tags),
			Notes: str(c.Notes), Source: str(c.Source), Owner: str(c.Owner),
			DoNotContact: c.DoNotContact,
			CreatedAt:    formatTime(c.CreatedAt), UpdatedAt: formatTime(c.UpdatedAt),
			Deals: []dealDoc{}, Threads: []threadDoc{},
		}
		for _, cv := range snap.Conversations[c.ID] {
			td := threadDoc{ID: str(string(cv.Thread.ID)), Subject: str(cv.Thread.Subject), Messages: []messageDoc{}}
			for _, m := range cv.Messages {
				td.Messages = append(td.Messages, messageDocOf(m))
			}
			cd.Threads = append(cd.Threads, td)
		}
		for _, h := range c.Handles {
			cd.Handles = append(cd.Handles, handleDoc{Platform: str(string(h.Platform)), Handle: str(h.Handle),
				Followers: h.Followers, EngagementBP: h.EngagementBP})
		}
		for _, d := range dealsOf[c.ID] {
			dd := dealDoc{
				ID: str(string(d.ID)), Campaign: str(names[d.CampaignID]), CampaignID: str(string(d.CampaignID)),
				Stage: str(string(d.Stage)), DeclineReason: str(d.DeclineReason),
				CreatedAt: formatTime(d.CreatedAt), UpdatedAt: formatTime(d.UpdatedAt),
				StageHistory: []stageChangeDoc{},
			}
			for _, h := range d.History {
				dd.StageHistory = append(dd.StageHistory, stageChangeDoc{Stage: str(string(h.Stage)),
					At: formatTime(h.At), By: str(h.By), Reason: str(h.Reason)})
			}
			dd.Terms, dd.Deliverables, dd.Payments = ledgerDocs(snap.Ledgers[d.ID])
			cd.Deals = append(cd.Deals, dd)
		}
		delete(dealsOf, c.ID)
		creators = append(creators, cd)
	}
	for _, d := range snap.Deals {
		if _, orphan := dealsOf[d.CreatorID]; orphan {
			return fmt.Errorf("cannot export deal %s: its creator %s is not in the roster", d.ID, d.CreatorID)
		}
	}
	doc.Creators = &creators
	doc.Unmatched = []messageDoc{}
	for _, m := range snap.Unmatched {
		doc.Unmatched = append(doc.Unmatched, messageDocOf(m))
	}
	doc.IgnoredSenders = append([]string{}, snap.IgnoredSenders...)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // notes with <, > and & stay readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ReadJSON reads an export document back into a snapshot for
// crm.Service.Restore. It accepts every "roster.export/" schema and
// ignores fields it does not know, so files from newer versions still
// restore what this version understands. Errors name the file and either
// a line and column (syntax, wrong types) or the path of the bad value
// ("creators[3].deals[0].stage").
//
// Deals find their campaign by campaign_id, or, when that is empty, by
// the campaign name among the document's campaigns. Domain rules (valid
// emails, unique handles) are Restore's to check.
func ReadJSON(file string, r io.Reader) (crm.Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return crm.Snapshot{}, fmt.Errorf("%s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))

	var probe struct {
		Schema json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return crm.Snapshot{}, jsonError(file, data, err)
	}
	var schema string
	if len(probe.Schema) == 0 || string(probe.Schema) == "null" {
		return crm.Snapshot{}, fmt.Errorf("%s: not a roster export: no \"schema\" field (a roster export starts with \"schema\": %q)", file, Schema)
	}
	if err := json.Unmarshal(probe.Schema, &schema); err != nil {
		return crm.Snapshot{}, fmt.Errorf("%s: not a roster export: \"schema\" is %s, not a string", file, probe.Schema)
	}
	if !strings.HasPrefix(schema, schemaPrefix) {
		return crm.Snapshot{}, fmt.Errorf("%s: not a roster export: schema %q (want %q)", file, schema, Schema)
	}

	var doc exportDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return crm.Snapshot{}, jsonError(file, data, err)
	}
	if doc.Creators == nil {
		return crm.Snapshot{}, fmt.Errorf("%s: no \"creators\" list", file)
	}
	return doc.snapshot(file)
}

// snapshot converts a decoded document, checking what the document format
// itself promises: IDs present, known stages, valid times, deals pointing
// at a campaign.
func (doc *exportDoc) snapshot(file string) (crm.Snapshot, error) {
	var snap crm.Snapshot
	var err error
	fail := func(path, format string, args ...any) error {
		return fmt.Errorf("%s: %s: %s", file, path, fmt.Sprintf(format, args...))
	}
	byID := map[string]bool{}
	byName := map[string]string{}
	for i, c := range doc.Campaigns {
		path := fmt.Sprintf("campaigns[%d]", i)
		if c.ID == "" {
			return snap, fail(path, "no id")
		}
		cc := crm.Campaign{ID: crm.ID(c.ID), Name: c.Name,
			Budget: crm.Money{AmountMinor: c.Budget.AmountMinor, Currency: c.Budget.Currency}}
		if cc.CreatedAt, err = parseTime(c.CreatedAt); err != nil {
			return snap, fail(path+".created_at", "%v", err)
		}
		byID[c.ID] = true
		if k := strings.ToLower(strings.TrimSpace(c.Name)); byName[k] == "" {
			byName[k] = c.ID
		}
		snap.Campaigns = append(snap.Campaigns, cc)
	}
	for i, c := range *doc.Creators {
		path := fmt.Sprintf("creators[%d]", i)
		if c.ID == "" {
			return snap, fail(path, "no id")
		}
		cr := crm.Creator{ID: crm.ID(c.ID), Name: c.Name, Emails: c.Emails, Tags: c.Tags,
			Notes: c.Notes, Source: c.Source, Owner: c.Owner, DoNotContact: c.DoNotContact}
		for _, h := range c.Handles {
			cr.Handles = append(cr.Handles, crm.Handle{Platform: crm.Platform(h.Platform), Handle: h.Handle,
				Followers: h.Followers, EngagementBP: h.EngagementBP})
		}
		if cr.CreatedAt, err = parseTime(c.CreatedAt); err != nil {
			return snap, fail(path+".created_at", "%v", err)
		}
		if cr.UpdatedAt, err = parseTime(c.UpdatedAt); err != nil {
			return snap, fail(path+".updated_at", "%v", err)
		}
		snap.Creators = append(snap.Creators, cr)
		for j, d := range c.Deals {
			dpath := fmt.Sprintf("%s.deals[%d]", path, j)
			if d.ID == "" {
				return snap, fail(dpath, "no id")
			}
			dl := crm.Deal{ID: crm.ID(d.ID), CreatorID: cr.ID, Stage: crm.Stage(d.Stage), DeclineReason: d.DeclineReason}
			switch {
			case byID[d.CampaignID]:
				dl.CampaignID = crm.ID(d.CampaignID)
			case d.CampaignID == "" && d.Campaign != "":
				id := byName[strings.ToLower(strings.TrimSpace(d.Campaign))]
				if id == "" {
					return snap, fail(dpath+".campaign", "no campaign named %q in \"campaigns\"", d.Campaign)
				}
				dl.CampaignID = crm.ID(id)
			case d.CampaignID != "":
				// A campaign outside the document: Restore looks for it in
				// the roster.
				dl.CampaignID = crm.ID(d.CampaignID)
			default:
				return snap, fail(dpath, "no campaign_id or campaign")
			}
			if !dl.Stage.Valid() {
				return snap, fail(dpath+".stage", "unknown stage %q", d.Stage)
			}
			if dl.CreatedAt, err = parseTime(d.CreatedAt); err != nil {
				return snap, fail(dpath+".created_at", "%v", err)
			}
			if dl.UpdatedAt, err = parseTime(d.UpdatedAt); err != nil {
				return snap, fail(dpath+".updated_at", "%v", err)
			}
			for k, h := range d.StageHistory {
				hpath := fmt.Sprintf("%s.stage_history[%d]", dpath, k)
				sc := crm.StageChange{Stage: crm.Stage(h.Stage), By: h.By, Reason: h.Reason}
				if !sc.Stage.Valid() {
					return snap, fail(hpath+".stage", "unknown stage %q", h.Stage)
				}
				if sc.At, err = parseTime(h.At); err != nil {
					return snap, fail(hpath+".at", "%v", err)
				}
				dl.History = append(dl.History, sc)
			}
			l, ok, err := d.ledgerOf(dpath, dl.ID)
			if err != nil {
				return snap, fmt.Errorf("%s: %w", file, err)
			}
			if ok {
				if snap.Ledgers == nil {
					snap.Ledgers = map[crm.ID]crm.Ledger{}
				}
				snap.Ledgers[dl.ID] = l
			}
			snap.Deals = append(snap.Deals, dl)
		}
	}
	snap.IgnoredSenders = doc.IgnoredSenders
	return snap, nil
}

// formatTime writes t in UTC with as many fractional digits as it has.
func messageDocOf(m crm.Message) messageDoc {
	addrs := func(as []crm.Address) []addressDoc {
		out := []addressDoc{}
		for _, a := range as {
			out = append(out, addressDoc{Name: str(a.Name), Email: str(a.Email)})
		}
		return out
	}
	return messageDoc{MessageID: str(m.MessageID), From: addressDoc{Name: str(m.From.Name), Email: str(m.From.Email)},
		To: addrs(m.To), Cc: addrs(m.Cc), Date: formatTime(m.Date), Subject: str(m.Subject), Direction: str(string(m.Direction))}
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// parseTime reads an RFC 3339 time into UTC. An empty string is the zero
// time. Years outside 0000–9999 are refused because they cannot be
// written back in RFC 3339.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time such as \"2025-03-01T14:30:00Z\"", s)
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}, fmt.Errorf("%q is out of range", s)
	}
	return t, nil
}

// jsonError places a decoding error in the file. Both error types carry
// the offset just past the byte that gave them away (the offending
// character, the end of a wrongly typed literal, the "[" or "{" of a
// wrongly typed list or object), so the position shown is that byte.
func jsonError(file string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(data, se.Offset-1)
		return fmt.Errorf("%s:%d:%d: not valid JSON: %v", file, line, col, se)
	case errors.As(err, &te):
		line, col := position(data, te.Offset-1)
		if te.Field == "" {
			return fmt.Errorf("%s:%d:%d: not a roster export: the document is a JSON %s, not an object", file, line, col, te.Value)
		}
		return fmt.Errorf("%s:%d:%d: %s: want %s, found %s", file, line, col, te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return fmt.Errorf("%s: %w", file, err)
}

// jsonKind names a Go kind the way a JSON document's reader thinks of it.
func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "a number"
	case k == "string":
		return "a string"
	case k == "bool":
		return "true or false"
	case k == "slice", k == "array":
		return "a list"
	case k == "struct", k == "map", k == "ptr":
		return "an object"
	}
	return k
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// str makes text safe to round-trip: invalid UTF-8 would be written as
// \ufffd the first time and as the character itself the second.
func str(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// strs copies a list of strings for the document, never nil.
func strs(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, str(s))
	}
	return out
}
