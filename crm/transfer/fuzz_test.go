package transfer

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"roster/crm"
)

// FuzzReadCSV: ReadCSV never panics; every record is a creator crm would
// store as it is (a name, an email or a handle, valid values); every
// problem points at a line that exists; and records survive a round trip
// through WriteCSV.
func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"testdata/marketplace.csv", "testdata/european.csv"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"name,email\nMaya,maya@x.com\n",
		"\ufeffName;E-Mail;TikTok;TikTok Followers\r\nJana;jana@x.de;@jana;12,5k\r\n",
		"name,email,notes\n\"Jo\nBlack\",jo@x.com,\"a\nb\"\nAnn,bad,\n",
		"platform,handle,followers,engagement,name\nTikTok,@maya,1.2M,4.2%,Maya\nIG,https://instagram.com/dev/,\"1,234\",0.05,Dev\n",
		"sep=|\nname|tiktok|tiktok 2|tiktok 2 followers\nA|a|b|5k\n",
		"name,email\rA,a@x.com\r",
		"name,email,notes\nZo\xeb,z@x.com,\x93hi\x94\n",
		"\xff\xfen\x00a\x00m\x00e\x00,\x00t\x00t\x00\n\x00A\x00,\x00a\x00",
		"name,email\nA,\"a@x.com\nB,b@x.com\n",
		"name,tiktok,followers\nA,a,5'10\"\n",
		"name,threads handle,threads followers\nA,a,1k\n",
		"name,email,dnc,stage\n'=A,a@x.com,yes,in talks\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadCSV("f.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		lines := max(bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r"))) + 1
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem %q at line %d of %d", p.Msg, p.Line, lines)
			}
			if p.File != "f.csv" {
				t.Fatalf("problem %v names file %q", p, p.File)
			}
		}
		for _, r := range res.Records {
			if r.Line < 1 || r.Line > lines {
				t.Fatalf("record at line %d of %d", r.Line, lines)
			}
			if strings.TrimSpace(r.Name) == "" {
				t.Fatalf("record at line %d has no name", r.Line)
			}
			if len(r.Emails) == 0 && len(r.Handles) == 0 {
				t.Fatalf("record at line %d has neither email nor handle", r.Line)
			}
			if r.Stage != "" && !r.Stage.Valid() {
				t.Fatalf("record at line %d has stage %q", r.Line, r.Stage)
			}
			c := creatorOf(r)
			if err := c.Validate(); err != nil {
				t.Fatalf("record at line %d is not a valid creator: %v\n%+v", r.Line, err, r)
			}
			// Validate only cleans what ReadCSV should already have
			// cleaned.
			if !equalCreators(c, creatorOf(r)) {
				t.Fatalf("record at line %d changed under Validate:\n got %+v\nwant %+v", r.Line, creatorOf(r), c)
			}
		}

		// What was read writes out and reads back the same.
		snap := crm.Snapshot{Campaigns: []crm.Campaign{{ID: "k1", Name: "General"}}}
		var stages []crm.Stage
		for i, r := range res.Records {
			c := creatorOf(r)
			c.ID = crm.ID(rune('a' + i%26))
			c.ID += crm.ID(strings.Repeat("x", i/26))
			snap.Creators = append(snap.Creators, c)
			stages = append(stages, r.Stage)
			if r.Stage != "" {
				snap.Deals = append(snap.Deals, crm.Deal{ID: c.ID, CreatorID: c.ID, CampaignID: "k1", Stage: r.Stage})
			}
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, snap); err != nil {
			return // a platform no header can carry; WriteCSV says so
		}
		back, err := ReadCSV("back.csv", &buf)
		if err != nil {
			t.Fatalf("re-reading the export: %v\n%s", err, buf.String())
		}
		if len(back.Problems) > 0 || len(back.Ignored) > 0 {
			t.Fatalf("re-reading the export: problems %v, ignored %v\n%s", back.Problems, back.Ignored, buf.String())
		}
		assertRecordsMatch(t, back.Records, snap.Creators, stages)
	})
}

// FuzzReadJSON: ReadJSON never panics, and whatever it accepts exports to
// a document that reads back and exports to the same bytes.
func FuzzReadJSON(f *testing.F) {
	golden, err := os.ReadFile(golden)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	for _, s := range []string{
		`{"schema": "roster.export/v1", "creators": []}`,
		`{"schema": "roster.export/v2", "creators": [{"id": "c1", "name": "A\u00e9", "emails": null, "x": 1}]}`,
		`{"schema": "roster.export/v1", "campaigns": [{"id": "k1", "name": "G", "created_at": "2025-01-01T00:00:00.123+05:30"}],
		  "creators": [{"id": "c1", "deals": [{"id": "d1", "campaign": "g", "stage": "paid",
		  "stage_history": [{"stage": "prospect", "at": "2025-01-01T00:00:00Z"}]}]}]}`,
		`{"schema": "roster.export/v1", "creators": [{"id": "c1", "deals": [{"id": "d1", "campaign_id": "elsewhere", "stage": "declined"}]}]}`,
		`{"schema": "roster.export/v1", "creators": [{"id": "c1", "created_at": "9999-12-31T23:59:59-01:00"}]}`,
		`{"schema": "roster.export/v1", "creators": [{"id": "\ud800", "notes": "<&>\u2028"}]}`,
		`[]`, `null`, `{"schema": 5}`, `{"schema": "roster.export/v1", "creators": {}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		snap, err := ReadJSON("f.json", bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		var first bytes.Buffer
		if err := WriteJSON(&first, snap); err != nil {
			t.Fatalf("WriteJSON of an accepted document: %v", err)
		}
		back, err := ReadJSON("first.json", bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("ReadJSON of our own export: %v\n%s", err, first.String())
		}
		var second bytes.Buffer
		if err := WriteJSON(&second, back); err != nil {
			t.Fatalf("WriteJSON again: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("export → import → export changed the bytes:\n%s\n----\n%s", first.String(), second.String())
		}
	})
}
