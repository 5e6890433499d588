package crm_test

import (
	"testing"
	"time"

	"roster/crm"
)

func TestTierBoundaries(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want crm.Tier
	}{
		{0, crm.Unknown}, {1, crm.Nano}, {9_999, crm.Nano}, {10_000, crm.Micro}, {99_999, crm.Micro},
		{100_000, crm.Mid}, {499_999, crm.Mid}, {500_000, crm.Macro}, {1_000_000, crm.Macro},
		{1_000_001, crm.Mega},
	} {
		if got := crm.TierFor(tc.n); got != tc.want {
			t.Errorf("TierFor(%d) = %s, want %s", tc.n, got, tc.want)
		}
	}
}

func TestStageStep(t *testing.T) {
	if s, ok := crm.Prospect.Step(1); !ok || s != crm.Contacted {
		t.Fatalf("prospect+1 = %s %v", s, ok)
	}
	if _, ok := crm.Prospect.Step(-1); ok {
		t.Fatal("prospect-1 should leave the board")
	}
	if _, ok := crm.Paid.Step(1); ok {
		t.Fatal("paid+1 should leave the board")
	}
	if _, ok := crm.Declined.Step(1); ok {
		t.Fatal("declined has no step")
	}
	for in, want := range map[string]crm.Stage{"In Talks": crm.Negotiating, " reached  out ": crm.Contacted, "": crm.Prospect, "PAID": crm.Paid} {
		if got, err := crm.ParseStage(in); err != nil || got != want {
			t.Errorf("ParseStage(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := crm.ParseStage("maybe"); err == nil {
		t.Error("ParseStage(maybe) accepted")
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Maya.Chen+roster@GMail.com":  "mayachen@gmail.com",
		"m.a.y.a@googlemail.com":      "maya@gmail.com",
		" Maya.Chen+x@Brand.Example ": "maya.chen@brand.example",
		"+only@x.io":                  "+only@x.io",
	} {
		if got := crm.NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "maya", "@x.io", "maya@", "maya@localhost", "a b@x.io", "<a@x.io>"} {
		if crm.CheckEmail(bad) == nil {
			t.Errorf("CheckEmail(%q) accepted", bad)
		}
	}
}

func TestNormalizeHandle(t *testing.T) {
	for in, want := range map[string]string{
		"@Maya.Chen":                        "maya.chen",
		" maya ":                            "maya",
		"https://www.tiktok.com/@MayaChen":  "mayachen",
		"https://instagram.com/maya.makes/": "maya.makes",
		"youtube.com/@MayaMakes":            "mayamakes",
	} {
		if got := crm.NormalizeHandle(in); got != want {
			t.Errorf("NormalizeHandle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	for in, want := range map[string]int64{
		"12500": 12500, "12,500": 12500, "12 500": 12500, "12.5k": 12500, "12.5K followers": 12500,
		"1.2M": 1_200_000, "12,5k": 12500, "12.500": 12500, "": 0, "950": 950,
	} {
		if got, err := crm.ParseFollowers(in); err != nil || got != want {
			t.Errorf("ParseFollowers(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"12.x", "-5", "lots", "1e400"} {
		if _, err := crm.ParseFollowers(bad); err == nil {
			t.Errorf("ParseFollowers(%q) accepted", bad)
		}
	}
	for in, want := range map[string]int{"4.2%": 420, "4,2 %": 420, "0.042": 420, "4.2": 420, "100%": 10000, "0.5%": 50} {
		if got, err := crm.ParseEngagement(in); err != nil || got != want {
			t.Errorf("ParseEngagement(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := crm.ParseEngagement("140%"); err == nil {
		t.Error("140% accepted")
	}
	if got := crm.FormatFollowers(12_500); got != "12.5k" {
		t.Errorf("FormatFollowers = %s", got)
	}
	if got := crm.FormatFollowers(2_000_000); got != "2M" {
		t.Errorf("FormatFollowers = %s", got)
	}
	if got := crm.FormatEngagement(420); got != "4.2%" {
		t.Errorf("FormatEngagement = %s", got)
	}
}

// TestPercent covers the one formatter of basis points that schedules,
// commissions, engagement and the report share, and that ParsePercent
// reads what it writes.
func TestPercent(t *testing.T) {
	for bp, want := range map[int]string{0: "0%", 1: "0.01%", 10: "0.1%", 420: "4.2%", 425: "4.25%", 1250: "12.5%",
		5000: "50%", 10000: "100%", 123456: "1234.56%", -50: "-0.5%", -1250: "-12.5%"} {
		if got := crm.Percent(bp); got != want {
			t.Errorf("Percent(%d) = %q, want %q", bp, got, want)
		}
		if got := crm.FormatEngagement(bp); got != want {
			t.Errorf("FormatEngagement(%d) = %q, want %q", bp, got, want)
		}
		if bp < 0 || bp > 10000 {
			continue
		}
		if back, err := crm.ParsePercent("share", want); err != nil || back != bp {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", want, back, err, bp)
		}
	}
}

func TestIDsSortByTimeEvenWhenTheClockStandsStill(t *testing.T) {
	clock := crm.FixedClock{T: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	g := crm.NewIDGen(clock)
	prev := g.New()
	for range 1000 {
		id := g.New()
		if id <= prev {
			t.Fatalf("%s not after %s", id, prev)
		}
		prev = id
	}
	if !prev.Time().Equal(clock.T) {
		t.Fatalf("ID time %v, want %v", prev.Time(), clock.T)
	}
	later := crm.NewIDGen(crm.FixedClock{T: clock.T.Add(time.Millisecond)}).New()
	if later <= prev {
		t.Fatalf("later id %s not after %s", later, prev)
	}
}

func TestCreatorValidateCleans(t *testing.T) {
	c := crm.Creator{Name: "  Maya ", Emails: []string{"maya@x.io", "MAYA@x.io", ""},
		Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "@Maya"}, {Platform: crm.TikTok, Handle: "maya"}},
		Tags:    []string{"beauty", " Beauty", "", "vegan"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Name != "Maya" || len(c.Emails) != 1 || len(c.Handles) != 1 || c.Handles[0].Handle != "maya" || len(c.Tags) != 2 {
		t.Fatalf("not cleaned: %+v", c)
	}
	bad := crm.Creator{Name: "x", Emails: []string{"nope"}}
	err := bad.Validate()
	var fe *crm.FieldError
	if err == nil || !asField(err, &fe) || fe.Field != "email" {
		t.Fatalf("want email field error, got %v", err)
	}
}

func TestFeedNeverBlocksAndResetsWhenFarBehind(t *testing.T) {
	var f crm.Feed
	s := f.Subscribe()
	f.Publish([]crm.Event{{Summary: "a"}})
	f.Publish([]crm.Event{{Summary: "b"}})
	<-s.Ready()
	evs, reset := s.Take()
	if reset || len(evs) != 2 || evs[0].Summary != "a" {
		t.Fatalf("got %v reset=%v", evs, reset)
	}
	for range 5000 {
		f.Publish([]crm.Event{{}})
	}
	if _, reset := s.Take(); !reset {
		t.Fatal("a subscriber 5000 events behind should be told to reset")
	}
	s.Close()
	f.Publish([]crm.Event{{}}) // must not block or panic after close
	if f.Subscribers() != 0 {
		t.Fatal("subscriber not removed")
	}
}

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]crm.Platform{"IG": crm.Instagram, " tik tok ": crm.TikTok, "Twitter": crm.X, "snapchat": "snapchat"} {
		if got, err := crm.ParsePlatform(in); err != nil || got != want {
			t.Errorf("ParsePlatform(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x2", "my site", "@ig"} {
		if _, err := crm.ParsePlatform(bad); err == nil {
			t.Errorf("ParsePlatform(%q) accepted", bad)
		}
	}
}

// TestTierOfUnknownAudience: a creator whose followers nobody entered is
// no tier, not nano, which would price them as small.
func TestTierOfUnknownAudience(t *testing.T) {
	c := crm.Creator{Handles: []crm.Handle{{Platform: crm.Instagram, Handle: "ok"}}}
	if got := c.Tier(); got != crm.Unknown {
		t.Errorf("tier of a creator without followers = %q", got)
	}
}
