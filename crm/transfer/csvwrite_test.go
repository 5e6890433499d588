package transfer

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
)

// sampleSnapshot is a small roster with the awkward cases a spreadsheet
// round trip must survive.
func sampleSnapshot() crm.Snapshot {
	t0 := time.Date(2025, 3, 1, 14, 30, 0, 0, time.UTC)
	general := crm.Campaign{ID: "000000000001000000000001", Name: "General", CreatedAt: t0}
	summer := crm.Campaign{ID: "000000000001000000000002", Name: "Summer Launch",
		Budget: crm.Money{AmountMinor: 500000, Currency: "USD"}, CreatedAt: t0.Add(time.Hour)}
	creators := []crm.Creator{
		{ID: "000000000002000000000001", Name: "Maya Chen", Emails: []string{"maya@mayamakes.co", "maya.chen@gmail.com"},
			Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "maya.makes", Followers: 48200, EngagementBP: 610},
				{Platform: crm.Instagram, Handle: "maya.chen", Followers: 12000, EngagementBP: 425}},
			Tags: []string{"beauty", "skincare"}, Notes: "Met at VidCon.\nPrefers email, not DMs; \"no calls\".",
			Source: "tiktok marketplace", Owner: "sam", CreatedAt: t0, UpdatedAt: t0},
		{ID: "000000000002000000000002", Name: "Dev Patel", Emails: []string{"dev@x.com"},
			Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "devcooks", Followers: 0},
				{Platform: crm.TikTok, Handle: "devcooks.backup", Followers: 900, EngagementBP: 1},
				{Platform: "threads", Handle: "dev.threads", Followers: 300}},
			DoNotContact: true, CreatedAt: t0, UpdatedAt: t0},
		{ID: "000000000002000000000003", Name: "=HYPERLINK(\"http://evil\")", Emails: []string{"x@evil.example"},
			Notes: "-starts with a dash", Tags: []string{"@brand"}, CreatedAt: t0, UpdatedAt: t0},
		{ID: "000000000002000000000004", Name: "Zoë Brûlé", Emails: []string{"zoe@x.fr"},
			Handles:   []crm.Handle{{Platform: crm.YouTube, Handle: "zoebrule", Followers: 1_200_000, EngagementBP: 10000}},
			CreatedAt: t0, UpdatedAt: t0},
	}
	deals := []crm.Deal{
		{ID: "000000000003000000000001", CreatorID: creators[0].ID, CampaignID: general.ID, Stage: crm.Negotiating},
		{ID: "000000000003000000000002", CreatorID: creators[1].ID, CampaignID: summer.ID, Stage: crm.Active},
		{ID: "000000000003000000000003", CreatorID: creators[1].ID, CampaignID: general.ID, Stage: crm.Declined,
			DeclineReason: "budget"},
	}
	for i := range deals {
		deals[i].CreatedAt, deals[i].UpdatedAt = t0, t0
		deals[i].History = []crm.StageChange{{Stage: crm.Prospect, At: t0, By: "sam"}}
		if deals[i].Stage != crm.Prospect {
			deals[i].History = append(deals[i].History, crm.StageChange{Stage: deals[i].Stage,
				At: t0.Add(36 * time.Hour), By: "sam", Reason: deals[i].DeclineReason})
		}
	}
	return crm.Snapshot{Campaigns: []crm.Campaign{general, summer}, Creators: creators, Deals: deals,
		IgnoredSenders: []string{"deals@shop.example"}}
}

func TestWriteCSVLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff") {
		t.Error("no byte order mark")
	}
	lines := strings.Split(strings.TrimPrefix(out, "\ufeff"), "\n")
	wantHeader := "name,email,tiktok,tiktok followers,tiktok engagement,tiktok 2,tiktok 2 followers,tiktok 2 engagement," +
		"instagram,instagram followers,instagram engagement,youtube,youtube followers,youtube engagement," +
		"threads handle,threads followers,threads engagement,tags,notes,source,owner,stage,do not contact"
	if lines[0] != wantHeader {
		t.Errorf("header:\n got %s\nwant %s", lines[0], wantHeader)
	}
	wantFirst := `Maya Chen,maya@mayamakes.co; maya.chen@gmail.com,maya.makes,48200,6.1%,,,,maya.chen,12000,4.25%,,,,,,,` +
		`beauty; skincare,"Met at VidCon.`
	if lines[1] != wantFirst {
		t.Errorf("first row:\n got %s\nwant %s", lines[1], wantFirst)
	}
	if !strings.Contains(out, `'=HYPERLINK(""http://evil"")`) || !strings.Contains(out, "'-starts with a dash") {
		t.Errorf("formula cells not guarded:\n%s", out)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	snap := sampleSnapshot()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, snap); err != nil {
		t.Fatal(err)
	}
	res, err := ReadCSV("export.csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 || len(res.Ignored) > 0 {
		t.Fatalf("problems %v, ignored %v in:\n%s", res.Problems, res.Ignored, buf.String())
	}
	stages := []crm.Stage{crm.Negotiating, crm.Declined, "", ""}
	assertRecordsMatch(t, res.Records, snap.Creators, stages)
}

// assertRecordsMatch checks that records say what the creators say.
// Handles may come back in another order (the CSV groups them by
// platform).
func assertRecordsMatch(t *testing.T, records []crm.ImportRecord, creators []crm.Creator, stages []crm.Stage) {
	t.Helper()
	if len(records) != len(creators) {
		t.Fatalf("%d records for %d creators", len(records), len(creators))
	}
	byHandle := func(a, b crm.Handle) int {
		return cmp.Or(cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.Handle, b.Handle))
	}
	for i, r := range records {
		c := creators[i]
		got := creatorOf(r)
		slices.SortFunc(got.Handles, byHandle)
		want := crm.Creator{Name: c.Name, Emails: c.Emails, Handles: slices.Clone(c.Handles), Tags: c.Tags,
			Notes: c.Notes, Source: c.Source, Owner: c.Owner, DoNotContact: c.DoNotContact}
		slices.SortFunc(want.Handles, byHandle)
		if !equalCreators(got, want) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want)
		}
		if r.DoNotContact == nil {
			t.Errorf("record %d: do not contact not set", i)
		}
		if stages != nil && r.Stage != stages[i] {
			t.Errorf("record %d: stage %q, want %q", i, r.Stage, stages[i])
		}
	}
}

func equalCreators(a, b crm.Creator) bool {
	return a.Name == b.Name && slices.Equal(a.Emails, b.Emails) && slices.Equal(a.Handles, b.Handles) &&
		slices.Equal(a.Tags, b.Tags) && a.Notes == b.Notes && a.Source == b.Source && a.Owner == b.Owner &&
		a.DoNotContact == b.DoNotContact
}

func TestWriteCSVRefusesUnreadablePlatform(t *testing.T) {
	snap := crm.Snapshot{Creators: []crm.Creator{{Name: "A", Handles: []crm.Handle{{Platform: "x2", Handle: "a"}}}}}
	err := WriteCSV(&bytes.Buffer{}, snap)
	if err == nil || !strings.Contains(err.Error(), "use the JSON export") {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, crm.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "\ufeffname,email,tags,notes,source,owner,stage,do not contact\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatEngagement(t *testing.T) {
	for bp, want := range map[int]string{0: "", 1: "0.01%", 10: "0.1%", 420: "4.2%", 425: "4.25%", 400: "4%", 10000: "100%"} {
		if got := formatEngagement(bp); got != want {
			t.Errorf("formatEngagement(%d) = %q, want %q", bp, got, want)
		}
		if bp == 0 {
			continue
		}
		if back, _, err := parseEngagement(want); err != nil || back != bp {
			t.Errorf("parseEngagement(%q) = %d, %v, want %d", want, back, err, bp)
		}
	}
}

// A roster stored before import cleaned names may still hold escape
// sequences; the CSV export, which people cat and open, writes none.
func TestWriteCSVWritesNoControlSequences(t *testing.T) {
	snap := sampleSnapshot()
	snap.Creators[0].Name = "Eve\x1b[2J"
	snap.Creators[0].Notes = "hi\x1b]52;c;eA==\a\nthere"
	snap.Creators[0].Tags = []string{"vip\x1b[5m"}
	var b bytes.Buffer
	if err := WriteCSV(&b, snap); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\a") || !strings.Contains(out, "Eve,") || !strings.Contains(out, "\"hi\nthere\"") || !strings.Contains(out, ",vip,") {
		t.Fatalf("export:\n%q", out)
	}
}

// TestCSVExportImportChangesNothing: importing roster's own CSV export
// back into the roster it came from finds every creator unchanged. A
// creator whose deals are all in other campaigns has a blank stage in the
// export, and that must not put them on the first campaign's board.
func TestCSVExportImportChangesNothing(t *testing.T) {
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if _, err := svc.Restore("sam", sampleSnapshot(), crm.ImportOptions{File: "seed.json"}); err != nil {
		t.Fatal(err)
	}
	before, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, before); err != nil {
		t.Fatal(err)
	}
	read, err := ReadCSV("out.csv", &buf)
	if err != nil || len(read.Problems) > 0 {
		t.Fatalf("reading the export: %v %v", read.Problems, err)
	}
	for _, dry := range []bool{true, false} {
		res, err := svc.Import("sam", read.Records, nil, crm.ImportOptions{File: "out.csv", DryRun: dry})
		if err != nil || res.New != 0 || res.Updated != 0 || res.Unchanged != len(before.Creators) {
			t.Fatalf("dry run %v: %s, %v; want every creator unchanged", dry, res.Summary(), err)
		}
	}
	after, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Deals) != len(before.Deals) {
		t.Fatalf("re-importing the export made %d deals out of %d", len(after.Deals), len(before.Deals))
	}
}
