package transfer

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

var update = flag.Bool("update", false, "rewrite testdata/export_v1.json")

const golden = "testdata/export_v1.json"

func TestWriteJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteJSON differs from %s (go test -run Golden -update to accept):\n%s", golden, buf.String())
	}
}

func TestJSONRoundTripGolden(t *testing.T) {
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := ReadJSON("export.json", bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := normalize(snap), normalize(sampleSnapshot()); !reflect.DeepEqual(got, want) {
		t.Errorf("ReadJSON:\n got %+v\nwant %+v", got, want)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, snap); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("export → import → export changed the bytes:\n%s", buf.String())
	}
}

// normalize makes empty lists nil so that snapshots compare by content.
func normalize(s crm.Snapshot) crm.Snapshot {
	nilIfEmpty := func(l []string) []string {
		if len(l) == 0 {
			return nil
		}
		return l
	}
	for i := range s.Creators {
		c := &s.Creators[i]
		c.Emails, c.Tags = nilIfEmpty(c.Emails), nilIfEmpty(c.Tags)
		if len(c.Handles) == 0 {
			c.Handles = nil
		}
	}
	for i := range s.Deals {
		if len(s.Deals[i].History) == 0 {
			s.Deals[i].History = nil
		}
	}
	return s
}

// TestJSONRoundTripRandom: for any snapshot, export → import → export
// gives the same bytes.
func TestJSONRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		snap := randomSnapshot(rng)
		var first bytes.Buffer
		if err := WriteJSON(&first, snap); err != nil {
			t.Fatalf("snapshot %d: WriteJSON: %v", i, err)
		}
		back, err := ReadJSON("r.json", bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("snapshot %d: ReadJSON: %v\n%s", i, err, first.String())
		}
		var second bytes.Buffer
		if err := WriteJSON(&second, back); err != nil {
			t.Fatalf("snapshot %d: WriteJSON again: %v", i, err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("snapshot %d: bytes changed:\n%s\n----\n%s", i, first.String(), second.String())
		}
	}
}

func randomSnapshot(rng *rand.Rand) crm.Snapshot {
	pieces := []string{"", "a", "Maya", "Zoë", "🌸", "<b>&amp;</b>", "\"quoted\"", "line\nbreak", "tab\t",
		"\u2028", "\\", "\xff\xfe", "  ", "é\u0301", "\x00", "{}", "null"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	list := func() []string {
		if rng.IntN(3) == 0 {
			return nil
		}
		l := make([]string, rng.IntN(3))
		for i := range l {
			l[i] = str()
		}
		return l
	}
	zones := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("X", -5*3600-30*60)}
	when := func() time.Time {
		if rng.IntN(10) == 0 {
			return time.Time{}
		}
		return time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)*int64(rng.IntN(2))).In(zones[rng.IntN(len(zones))])
	}
	id := func() crm.ID { return crm.ID(str() + "id" + string(rune('a'+rng.IntN(26)))) }
	var s crm.Snapshot
	for range rng.IntN(4) {
		s.Campaigns = append(s.Campaigns, crm.Campaign{ID: id(), Name: str(),
			Budget: crm.Money{AmountMinor: rng.Int64() - rng.Int64(), Currency: str()}, CreatedAt: when()})
	}
	stages := []crm.Stage{crm.Prospect, crm.Contacted, crm.Negotiating, crm.Active, crm.Paid, crm.Declined}
	for range rng.IntN(5) {
		c := crm.Creator{ID: id(), Name: str(), Emails: list(), Tags: list(), Notes: str(), Source: str(),
			Owner: str(), DoNotContact: rng.IntN(2) == 0, CreatedAt: when(), UpdatedAt: when()}
		for range rng.IntN(3) {
			c.Handles = append(c.Handles, crm.Handle{Platform: crm.Platform(str()), Handle: str(),
				Followers: rng.Int64N(1e9), EngagementBP: rng.IntN(10001)})
		}
		s.Creators = append(s.Creators, c)
		for range rng.IntN(3) {
			d := crm.Deal{ID: id(), CreatorID: c.ID, Stage: stages[rng.IntN(len(stages))],
				DeclineReason: str(), CreatedAt: when(), UpdatedAt: when()}
			if len(s.Campaigns) > 0 && rng.IntN(4) > 0 {
				d.CampaignID = s.Campaigns[rng.IntN(len(s.Campaigns))].ID
			} else {
				d.CampaignID = id() // a campaign outside the document
			}
			for range rng.IntN(3) {
				d.History = append(d.History, crm.StageChange{Stage: stages[rng.IntN(len(stages))], At: when(),
					By: str(), Reason: str()})
			}
			s.Deals = append(s.Deals, d)
		}
	}
	return s
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, "roster.json:1:1: not valid JSON: unexpected end of JSON input"},
		{"syntax error names the line", "{\n  \"schema\": \"roster.export/v1\",\n  \"creators\": [,]\n}",
			"roster.json:3:16: not valid JSON: invalid character ','"},
		{"an array", `[1, 2]`, "roster.json:1:1: not a roster export: the document is a JSON array, not an object"},
		{"no schema", `{"creators": []}`, `roster.json: not a roster export: no "schema" field`},
		{"null schema", `{"schema": null, "creators": []}`, `roster.json: not a roster export: no "schema" field`},
		{"schema not a string", `{"schema": 1, "creators": []}`, `roster.json: not a roster export: "schema" is 1, not a string`},
		{"other schema", `{"schema": "acme.crm/v3", "creators": []}`,
			`roster.json: not a roster export: schema "acme.crm/v3" (want "roster.export/v1")`},
		{"no creators", `{"schema": "roster.export/v1"}`, `roster.json: no "creators" list`},
		{"wrong type names the field and line", "{\"schema\": \"roster.export/v1\",\n\"creators\": [{\"id\": \"c1\", \"handles\": [{\"followers\": \"12k\"}]}]}",
			"roster.json:2:57: creators.handles.followers: want a number, found string"},
		{"creator without id", `{"schema": "roster.export/v1", "creators": [{"name": "A"}]}`, "roster.json: creators[0]: no id"},
		{"campaign without id", `{"schema": "roster.export/v1", "campaigns": [{"name": "A"}], "creators": []}`,
			"roster.json: campaigns[0]: no id"},
		{"bad time", `{"schema": "roster.export/v1", "creators": [{"id": "c1", "created_at": "yesterday"}]}`,
			`roster.json: creators[0].created_at: "yesterday" is not an RFC 3339 time`},
		{"year out of range", `{"schema": "roster.export/v1", "creators": [{"id": "c1", "created_at": "0000-01-01T00:00:00+01:00"}]}`,
			`roster.json: creators[0].created_at: "0000-01-01T00:00:00+01:00" is out of range`},
		{"unknown stage", `{"schema": "roster.export/v1", "campaigns": [{"id": "k1", "name": "G"}],
			"creators": [{"id": "c1", "deals": [{"id": "d1", "campaign_id": "k1", "stage": "won"}]}]}`,
			`roster.json: creators[0].deals[0].stage: unknown stage "won"`},
		{"unknown history stage", `{"schema": "roster.export/v1", "campaigns": [{"id": "k1", "name": "G"}],
			"creators": [{"id": "c1", "deals": [{"id": "d1", "campaign_id": "k1", "stage": "paid",
			"stage_history": [{"stage": "prospect"}, {"stage": "Paid"}]}]}]}`,
			`roster.json: creators[0].deals[0].stage_history[1].stage: unknown stage "Paid"`},
		{"deal without campaign", `{"schema": "roster.export/v1", "creators": [{"id": "c1", "deals": [{"id": "d1", "stage": "paid"}]}]}`,
			"roster.json: creators[0].deals[0]: no campaign_id or campaign"},
		{"deal with unknown campaign name", `{"schema": "roster.export/v1", "creators": [{"id": "c1", "deals": [{"id": "d1", "campaign": "Fall", "stage": "paid"}]}]}`,
			`roster.json: creators[0].deals[0].campaign: no campaign named "Fall" in "campaigns"`},
		{"deal without id", `{"schema": "roster.export/v1", "creators": [{"id": "c1", "deals": [{"campaign_id": "k", "stage": "paid"}]}]}`,
			"roster.json: creators[0].deals[0]: no id"},
		{"trailing garbage", `{"schema": "roster.export/v1", "creators": []} {}`, "roster.json:1:48: not valid JSON: invalid character '{' after top-level value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON("roster.json", strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant %s...", err, tt.want)
			}
		})
	}
}

func TestReadJSONIOError(t *testing.T) {
	if _, err := ReadJSON("roster.json", failingReader{}); err == nil || err.Error() != "roster.json: disk on fire" {
		t.Fatalf("err = %v", err)
	}
}

// A newer export with fields this version does not know still restores
// what it does know; deals may name their campaign instead of its id.
func TestReadJSONForwardCompatible(t *testing.T) {
	in := "\ufeff" + `{
  "schema": "roster.export/v2",
  "threads": [{"id": "t1"}],
  "campaigns": [{"id": "k1", "name": "General", "budget": {"amount_minor": 50000, "currency": "USD"}, "created_at": "2025-03-01T15:30:00+01:00", "color": "red"}],
  "creators": [{
    "id": "c1", "name": "Maya", "emails": ["maya@x.com"], "payments": [],
    "handles": [{"platform": "tiktok", "handle": "maya", "followers": 12500, "engagement_bp": 420, "verified": true}],
    "deals": [{"id": "d1", "campaign": "general", "stage": "contacted", "contract": {"fee": 1},
      "stage_history": [{"stage": "prospect", "at": "2025-03-01T14:30:00Z", "by": "sam"},
                        {"stage": "contacted", "at": "2025-03-02T09:00:00.5Z", "by": "sam"}]}]
  }]
}`
	snap, err := ReadJSON("v2.json", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 3, 1, 14, 30, 0, 0, time.UTC)
	want := crm.Snapshot{
		Campaigns: []crm.Campaign{{ID: "k1", Name: "General", Budget: crm.Money{AmountMinor: 50000, Currency: "USD"}, CreatedAt: t0}},
		Creators: []crm.Creator{{ID: "c1", Name: "Maya", Emails: []string{"maya@x.com"},
			Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "maya", Followers: 12500, EngagementBP: 420}}}},
		Deals: []crm.Deal{{ID: "d1", CreatorID: "c1", CampaignID: "k1", Stage: crm.Contacted, History: []crm.StageChange{
			{Stage: crm.Prospect, At: t0, By: "sam"},
			{Stage: crm.Contacted, At: time.Date(2025, 3, 2, 9, 0, 0, 5e8, time.UTC), By: "sam"},
		}}},
	}
	if got := normalize(snap); !reflect.DeepEqual(got, normalize(want)) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if !snap.Campaigns[0].CreatedAt.Equal(t0) || snap.Campaigns[0].CreatedAt.Location() != time.UTC {
		t.Errorf("created_at not converted to UTC: %v", snap.Campaigns[0].CreatedAt)
	}
}

func TestWriteJSONShape(t *testing.T) {
	snap := crm.Snapshot{Creators: []crm.Creator{{ID: "c1", Name: "A"}}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, snap); err != nil {
		t.Fatal(err)
	}
	want := `{
  "schema": "roster.export/v1",
  "campaigns": [],
  "creators": [
    {
      "id": "c1",
      "name": "A",
      "emails": [],
      "handles": [],
      "tags": [],
      "notes": "",
      "source": "",
      "owner": "",
      "do_not_contact": false,
      "created_at": "0001-01-01T00:00:00Z",
      "updated_at": "0001-01-01T00:00:00Z",
      "deals": [],
      "threads": []
    }
  ],
  "unmatched": [],
  "ignored_senders": []
}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := WriteJSON(&buf, crm.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"schema\": \"roster.export/v1\",\n  \"campaigns\": [],\n  \"creators\": [],\n  \"unmatched\": [],\n  \"ignored_senders\": []\n}\n"; buf.String() != want {
		t.Errorf("empty roster: got %q, want %q", buf.String(), want)
	}
}

func TestWriteJSONOrphanDeal(t *testing.T) {
	snap := crm.Snapshot{Deals: []crm.Deal{{ID: "d1", CreatorID: "gone", CampaignID: "k1", Stage: crm.Paid}}}
	err := WriteJSON(&bytes.Buffer{}, snap)
	if err == nil || !strings.Contains(err.Error(), "deal d1: its creator gone is not in the roster") {
		t.Fatalf("err = %v", err)
	}
}
