package crm_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"roster/crm"
)

// maya is a complete creator record, the kind the defaults are written for.
func tmplMaya() crm.Creator {
	return crm.Creator{
		Name:   "Maya Chen",
		Emails: []string{"maya@creator.example", "maya.chen@other.example"},
		Handles: []crm.Handle{
			{Platform: crm.Instagram, Handle: "mayachen", Followers: 12_300, EngagementBP: 310},
			{Platform: crm.TikTok, Handle: "maya.bakes", Followers: 48_200, EngagementBP: 420},
		},
		Tags: []string{"baking", "vegan"},
	}
}

func tmplMayaData() crm.TemplateData {
	return crm.NewTemplateData(tmplMaya(), crm.Campaign{Name: "Spring Glow"}, "Sam Rivera", "sam@brand.example")
}

func tmplTerms() *crm.TemplateTerms {
	return &crm.TemplateTerms{
		Deliverables:    "1 TikTok video (30-60 s) and 3 Instagram stories",
		Fee:             "$450",
		Commission:      "15% of sales for 60 days",
		PromoCode:       "MAYA15",
		AffiliateLink:   "https://brand.example/r/maya",
		UsageRights:     "organic reposts for 90 days, no paid ads",
		PaymentSchedule: "50% on signing, 50% when the video is live",
	}
}

func mustParseTemplate(t *testing.T, text string) crm.Template {
	t.Helper()
	tp, err := crm.ParseTemplate("outreach", "templates/outreach.tmpl", text)
	if err != nil {
		t.Fatalf("ParseTemplate: %v", err)
	}
	return tp
}

func TestParseTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       string // the whole message, or its start when it ends in "…"
	}{
		{"no subject", "Hi {{.Creator.FirstName}},\n\nbody\n",
			`templates/outreach.tmpl:1: the first line must be "Subject: ..."`},
		{"empty file", "", `templates/outreach.tmpl:1: the first line must be "Subject: ..."`},
		{"other key", "Subj: hi\n\nbody", `templates/outreach.tmpl:1: the first line must be "Subject: ..."`},
		{"empty subject", "Subject:   \n\nbody", "templates/outreach.tmpl:1: the subject is empty"},
		{"control char in subject", "Subject: hi \x1b[31mthere\n\nbody", "templates/outreach.tmpl:1: the subject has a control character (U+001B)"},
		{"bidi override in subject", "Subject: rates \u202egnp.exe\n\nbody", "templates/outreach.tmpl:1: the subject has a bidirectional control character (U+202E)"},
		{"no blank line", "Subject: hi\nHi there,\n", "templates/outreach.tmpl:2: the subject must be followed by a blank line"},
		{"second header", "Subject: hi\nCc: boss@brand.example\n\nbody",
			"templates/outreach.tmpl:2: a template has only a Subject: header; leave a blank line after it and start the body"},
		{"no body", "Subject: hi\n", "templates/outreach.tmpl:3: the body is empty"},
		{"blank body", "Subject: hi\n\n \n\t\n", "templates/outreach.tmpl:3: the body is empty"},
		{"syntax error in body", "Subject: hi\n\nHi,\n\n{{.Creator.Name}\n", "templates/outreach.tmpl:5: …"},
		{"syntax error in subject", "Subject: hi {{.Creator.Name\n\nbody", "templates/outreach.tmpl:1: …"},
		{"unclosed if", "Subject: hi\n\n{{if .Creator.Email}}\nx\n", "templates/outreach.tmpl:…"},
		{"undefined function", "Subject: hi\n\n{{default .Creator.FirstName \"there\"}}", `templates/outreach.tmpl:3: function "default" not defined`},
		{"unknown field", "Subject: hi\n\nHi,\n{{.Creator.Nmae}}\n",
			"templates/outreach.tmpl:4: unknown field .Creator.Nmae (.Creator has Name, FirstName, Email, TikTok, Instagram, YouTube, Handle, Platform, Followers, Engagement, Tier, Tags)"},
		{"unknown top-level field", "Subject: hi {{.Creatr.Name}}\n\nbody",
			"templates/outreach.tmpl:1: unknown field .Creatr (the fields are Creator, Campaign, Sender, Terms)"},
		{"unknown field in a condition", "Subject: hi\n\n{{if .Creator.Emial}}x{{end}}", "templates/outreach.tmpl:3: unknown field .Creator.Emial …"},
		{"unknown field under with", "Subject: hi\n\n{{with .Terms}}\n{{.Fees}}{{end}}", "templates/outreach.tmpl:4: unknown field .Terms.Fees …"},
		{"unknown field through a variable", "Subject: hi\n\n{{$s := .Sender}}{{$s.Phone}}", "templates/outreach.tmpl:3: unknown field .Sender.Phone …"},
		{"field of text", "Subject: hi\n\n{{.Creator.Name.First}}", "templates/outreach.tmpl:3: .Creator.Name is text and has no field First"},
		{"field of a tag", "Subject: hi\n\n{{range .Creator.Tags}}{{.Name}}{{end}}", "templates/outreach.tmpl:3: {{.}} is text and has no field Name"},
		{"field called", "Subject: hi\n\n{{.Creator.Name \"x\"}}", "templates/outreach.tmpl:3: .Creator.Name is not a function; it cannot take arguments"},
		{"define", "Subject: hi\n\nbody\n{{define \"sig\"}}Sam{{end}}", "templates/outreach.tmpl:4: {{define}} and {{block}} are not supported: a template is one self-contained file"},
		{"template", "Subject: hi\n\n{{template \"sig\"}}", "templates/outreach.tmpl:3: {{template}} is not supported: a template is one self-contained file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := crm.ParseTemplate("outreach", "templates/outreach.tmpl", tc.text)
			if err == nil {
				t.Fatal("parsed")
			}
			if !errors.Is(err, crm.ErrInvalid) {
				t.Errorf("%v does not match ErrInvalid", err)
			}
			var te *crm.TemplateError
			if !errors.As(err, &te) || te.Source != "templates/outreach.tmpl" {
				t.Errorf("%#v is not a TemplateError for the file", err)
			}
			if prefix, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error\n %s\ndoes not start with\n %s", err, prefix)
				}
			} else if err.Error() != tc.want {
				t.Errorf("error\n %s\nwant\n %s", err, tc.want)
			}
		})
	}
	if _, err := crm.ParseTemplate("", "x.tmpl", "Subject: a\n\nb"); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("empty name: %v", err)
	}
	if _, err := crm.ParseTemplate("my outreach", "x.tmpl", "Subject: a\n\nb"); err == nil {
		t.Error("a name with a space was accepted")
	}
}

func TestParseTemplateFormat(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"LF", "Subject: Hi {{.Creator.FirstName}}\n\nHi {{.Creator.FirstName}},\n\nThanks,\n{{.Sender.Name}}\n"},
		{"CRLF", "Subject: Hi {{.Creator.FirstName}}\r\n\r\nHi {{.Creator.FirstName}},\r\n\r\nThanks,\r\n{{.Sender.Name}}\r\n"},
		{"BOM and lower-case key", "\ufeffsubject:Hi {{.Creator.FirstName}}\n\nHi {{.Creator.FirstName}},\n\nThanks,\n{{.Sender.Name}}"},
		{"extra blank lines and trailing space", "SUBJECT:   Hi   {{.Creator.FirstName}}  \n\n\n\nHi {{.Creator.FirstName}},   \n\n\n\nThanks,\t\n{{.Sender.Name}}\n\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, body, err := mustParseTemplate(t, tc.text).Render(tmplMayaData())
			if err != nil {
				t.Fatal(err)
			}
			if subject != "Hi Maya" {
				t.Errorf("subject %q", subject)
			}
			if want := "Hi Maya,\n\nThanks,\nSam Rivera\n"; body != want {
				t.Errorf("body %q, want %q", body, want)
			}
		})
	}
}

func TestRenderRefusesEmptyFields(t *testing.T) {
	noEmail := tmplMaya()
	noEmail.Emails = nil
	noCounts := tmplMaya()
	for i := range noCounts.Handles {
		noCounts.Handles[i].Followers = 0
	}
	onlyTikTok := tmplMaya()
	onlyTikTok.Handles = onlyTikTok.Handles[1:]
	onlyTikTok.Tags = nil
	tiktokWithTags := onlyTikTok
	tiktokWithTags.Tags = []string{"baking"}
	blankName := tmplMaya()
	blankName.Name = " \u202e\u200f "
	data := func(c crm.Creator) crm.TemplateData {
		return crm.NewTemplateData(c, crm.Campaign{Name: "Spring Glow"}, "Sam Rivera", "sam@brand.example")
	}
	emptyFee := tmplMayaData()
	emptyFee.Terms = tmplTerms()
	emptyFee.Terms.Fee = " "

	for _, tc := range []struct {
		name, text string
		data       crm.TemplateData
		field      string
		want       string
	}{
		{"email used in the body", "Subject: hi\n\nWe will write to {{.Creator.Email}}.", data(noEmail),
			".Creator.Email", `outreach: {{.Creator.Email}} is empty for creator "Maya Chen"`},
		{"first name of a blank name", "Subject: hi\n\nHi {{.Creator.FirstName}},", data(blankName),
			".Creator.FirstName", `outreach: {{.Creator.FirstName}} is empty for creator "maya@creator.example"`},
		{"first name in the subject", "Subject: For {{.Creator.FirstName}}\n\nbody", data(blankName),
			".Creator.FirstName", `outreach: {{.Creator.FirstName}} is empty for creator "maya@creator.example"`},
		{"unknown follower count", "Subject: hi\n\nYour {{.Creator.Followers}} followers", data(noCounts),
			".Creator.Followers", `outreach: {{.Creator.Followers}} is empty for creator "Maya Chen"`},
		{"argument of printf", "Subject: hi\n\n{{printf \"IG: %s\" .Creator.Instagram}}", data(onlyTikTok),
			".Creator.Instagram", ""},
		{"through a pipeline", "Subject: hi\n\n{{.Creator.Instagram | upper}}", data(onlyTikTok),
			".Creator.Instagram", ""},
		{"through a variable", "Subject: hi\n\n{{$ig := .Creator.Instagram}}IG: {{$ig}}", data(onlyTikTok),
			".Creator.Instagram", ""},
		{"through $ in a range", "Subject: hi\n\n{{range .Creator.Tags}}{{.}} {{$.Creator.Instagram}}{{end}}", data(tiktokWithTags),
			".Creator.Instagram", ""},
		{"inside a true if", "Subject: hi\n\n{{if .Creator.TikTok}}TikTok and {{.Creator.Instagram}}{{end}}", data(onlyTikTok),
			".Creator.Instagram", ""},
		{"empty tags", "Subject: hi\n\nYou post about {{join \", \" .Creator.Tags}}.", data(onlyTikTok),
			".Creator.Tags", ""},
		{"or with nothing to fall back on", "Subject: hi\n\n{{or .Creator.Instagram .Creator.YouTube}}", data(onlyTikTok),
			"or .Creator.Instagram .Creator.YouTube", ""},
		{"a function returning nothing", "Subject: hi\n\nHi {{slice .Creator.Name 0 0}},", tmplMayaData(),
			"slice .Creator.Name 0 0", ""},
		{"terms missing", "Subject: hi\n\nFee: {{.Terms.Fee}}", tmplMayaData(),
			".Terms.Fee", `outreach: {{.Terms.Fee}} is missing (no terms are recorded yet) for creator "Maya Chen"`},
		{"terms missing, via a variable", "Subject: hi\n\n{{$t := .Terms}}Fee: {{$t.Fee}}", tmplMayaData(),
			".Terms.Fee", `outreach: {{.Terms.Fee}} is missing (no terms are recorded yet) for creator "Maya Chen"`},
		{"terms field empty, under with", "Subject: hi\n\n{{with .Terms}}Fee: {{.Fee}}{{end}}", emptyFee,
			".Terms.Fee", `outreach: {{.Terms.Fee}} is empty for creator "Maya Chen"`},
		{"default campaign", "Subject: hi\n\nfor {{.Campaign.Name}}",
			crm.NewTemplateData(tmplMaya(), crm.Campaign{Name: crm.DefaultCampaignName}, "Sam", "sam@brand.example"),
			".Campaign.Name", `outreach: {{.Campaign.Name}} is empty (the default campaign has no name to show a creator) for creator "Maya Chen"`},
		{"sender without display name", "Subject: hi\n\nThanks,\n{{.Sender.Name}}",
			crm.NewTemplateData(tmplMaya(), crm.Campaign{Name: "x"}, "", "sam@brand.example"),
			".Sender.Name", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, body, err := mustParseTemplate(t, tc.text).Render(tc.data)
			var fe *crm.TemplateFieldError
			if !errors.As(err, &fe) {
				t.Fatalf("rendered %q / %q, err %v; want a TemplateFieldError", subject, body, err)
			}
			if subject != "" || body != "" {
				t.Errorf("refusal returned text %q / %q", subject, body)
			}
			if !errors.Is(err, crm.ErrInvalid) {
				t.Error("not ErrInvalid")
			}
			if fe.Template != "outreach" || fe.Field != tc.field || fe.Creator == "" {
				t.Errorf("got %+v, want field %s", *fe, tc.field)
			}
			if tc.want != "" && err.Error() != tc.want {
				t.Errorf("message\n %s\nwant\n %s", err, tc.want)
			}
		})
	}
}

func TestRenderOptionalParts(t *testing.T) {
	onlyTikTok := tmplMaya()
	onlyTikTok.Handles = onlyTikTok.Handles[1:]
	onlyTikTok.Tags = nil
	d := crm.NewTemplateData(onlyTikTok, crm.Campaign{Name: crm.DefaultCampaignName}, "Sam Rivera", "sam@brand.example")
	for _, tc := range []struct{ name, text, want string }{
		{"if", "{{if .Creator.Instagram}}IG: {{.Creator.Instagram}}{{end}}TT: {{.Creator.TikTok}}", "TT: @maya.bakes\n"},
		{"if/else", "{{if .Creator.Instagram}}IG{{else}}no IG{{end}}", "no IG\n"},
		{"with", "{{with .Campaign.Name}}for {{.}}{{else}}no campaign{{end}}", "no campaign\n"},
		{"or fallback", "Hi {{or .Creator.Instagram \"there\"}},", "Hi there,\n"},
		{"comparison", "{{if eq .Creator.Platform \"TikTok\"}}on TikTok{{end}}", "on TikTok\n"},
		{"and/not on empty", "{{if and .Creator.TikTok (not .Creator.YouTube)}}TikTok only{{end}}", "TikTok only\n"},
		{"range over nothing", "{{range .Creator.Tags}}#{{.}} {{else}}no tags{{end}}", "no tags\n"},
		{"terms absent", "{{if .Terms}}terms{{else}}no terms{{end}} {{with .Terms}}{{.Fee}}{{end}}{{if .Terms.Fee}}fee{{end}}.", "no terms .\n"},
		{"variable in a condition", "{{$ig := .Creator.Instagram}}{{if $ig}}{{$ig}}{{else}}none{{end}}", "none\n"},
		{"gap left by an optional block", "Hi,\n\n{{if .Creator.Instagram}}IG line\n{{end}}\n\nBye", "Hi,\n\nBye\n"},
		{"optional sentence", "I saw you{{with .Creator.Instagram}} on Instagram ({{.}}){{end}}{{with .Creator.TikTok}} on TikTok ({{.}}){{end}}.", "I saw you on TikTok (@maya.bakes).\n"},
		{"numbers are values", "{{len .Creator.Handle}} {{0}}", "11 0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body, err := mustParseTemplate(t, "Subject: hi\n\n"+tc.text).Render(d)
			if err != nil {
				t.Fatal(err)
			}
			if body != tc.want {
				t.Errorf("body %q, want %q", body, tc.want)
			}
		})
	}
}

func TestRenderHeaderInjection(t *testing.T) {
	eve := crm.Creator{Name: "Eve\r\nBcc: x@y", Emails: []string{"eve@creator.example"}}
	tp := mustParseTemplate(t, "Subject: Partnership for {{.Creator.Name}} ({{.Creator.FirstName}})\n\nHi {{.Creator.Name}},\n")

	// Through NewTemplateData, as the service does: the name is one line.
	subject, body, err := tp.Render(crm.NewTemplateData(eve, crm.Campaign{Name: "Launch"}, "Sam\nReply-To: evil@x", "sam@brand.example"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Partnership for Eve Bcc: x@y (Eve)" {
		t.Errorf("subject %q", subject)
	}
	if strings.ContainsAny(subject, "\r\n") || strings.Contains(body, "\r") {
		t.Errorf("line break got through: %q / %q", subject, body)
	}
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, "Bcc:") {
			t.Errorf("body line %q", line)
		}
	}

	// Data built by hand, skipping NewTemplateData: the subject refuses,
	// naming the field.
	raw := tmplMayaData()
	raw.Creator.Name = "Eve\r\nBcc: x@y"
	_, _, err = tp.Render(raw)
	var fe *crm.TemplateFieldError
	if !errors.As(err, &fe) || fe.Field != ".Creator.Name" || fe.Problem != "has a line break" {
		t.Errorf("hand-built CR/LF name: %v", err)
	}
	raw.Creator.Name = "Eve \x1b]0;owned\x07"
	if _, _, err = tp.Render(raw); !errors.As(err, &fe) || fe.Problem != "has a control character (U+001B)" {
		t.Errorf("hand-built ESC name: %v", err)
	}

	// A line break made by a function in the subject is refused too.
	for _, text := range []string{
		"Subject: a{{printf \"%c\" 10}}Bcc: x@y\n\nbody",
		"Subject: a{{\"\\r\\nBcc: x@y\"}}\n\nbody",
		"Subject: a{{print \"\\u2028\" \"\\x85\"}}\n\nbody",
	} {
		s, _, err := mustParseTemplate(t, text).Render(tmplMayaData())
		if err == nil {
			t.Errorf("%q rendered subject %q", text, s)
		}
	}

	// The body is sanitised: no escape sequence reaches a terminal or a
	// message.
	raw = tmplMayaData()
	raw.Creator.FirstName = "Eve\x1b[2J\x1b]52;c;Y2F0\x07"
	_, body, err = mustParseTemplate(t, "Subject: hi\n\nHi {{.Creator.FirstName}},\n").Render(raw)
	if err != nil || body != "Hi Eve,\n" {
		t.Errorf("body %q, %v", body, err)
	}
}

func TestRenderLimits(t *testing.T) {
	for _, text := range []string{
		"{{range 1000000000}}{{end}}",
		"{{range 100000}}{{range 100000}}x{{end}}{{end}}",
		"{{range 1000}}{{printf \"%900s\" \"x\"}}{{end}}",
		"{{range $i, $t := .Creator.Tags}}{{range 100000}}{{$t}}{{end}}{{end}}",
	} {
		// The limit trips with an error; without it these would run
		// for hours, which the test's own timeout would report.
		_, _, err := mustParseTemplate(t, "Subject: hi\n\n"+text).Render(tmplMayaData())
		if !errors.Is(err, crm.ErrInvalid) {
			t.Errorf("%s: %v", text, err)
		}
	}
	if _, _, err := mustParseTemplate(t, "Subject: {{range 500}}xx{{end}}\n\nbody").Render(tmplMayaData()); err == nil {
		t.Error("a 1000-byte subject rendered")
	}
	if _, _, err := (crm.Template{}).Render(tmplMayaData()); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("zero Template: %v", err)
	}
}

func TestRenderErrorsNameTheLine(t *testing.T) {
	_, _, err := mustParseTemplate(t, "Subject: hi\n\nHi,\n{{index .Creator.Tags 7}}\n").Render(tmplMayaData())
	var te *crm.TemplateError
	if !errors.As(err, &te) || te.Line != 4 || !strings.HasPrefix(err.Error(), "templates/outreach.tmpl:4: error calling index:") {
		t.Errorf("%#v", err)
	}
	if strings.Contains(err.Error(), "_roster") {
		t.Errorf("error shows the inserted checks: %v", err)
	}
}

func TestRenderRefusesWholeRecords(t *testing.T) {
	withTerms := tmplMayaData()
	withTerms.Terms = tmplTerms()
	for text, want := range map[string]string{
		"Hi,\n{{.Creator}}":           "templates/outreach.tmpl:4: {{.Creator}} is a group of fields; print one of them",
		"{{$}}":                       "templates/outreach.tmpl:3: {{$}} is a group of fields; print one of them",
		"{{.Terms}}":                  "templates/outreach.tmpl:3: {{.Terms}} is a group of fields; print one of them",
		"{{with .Terms}}{{.}}{{end}}": "templates/outreach.tmpl:3: {{.Terms}} is a group of fields; print one of them",
		"{{.Creator.Tags}}":           "templates/outreach.tmpl:3: {{.Creator.Tags}} is a list; print it with join or range",
		"{{slice .Creator.Tags 0 1}}": "templates/outreach.tmpl:3: {{slice .Creator.Tags 0 1}} is a list; print it with join or range",
	} {
		_, _, err := mustParseTemplate(t, "Subject: hi\n\n"+text).Render(withTerms)
		if err == nil || err.Error() != want || !errors.Is(err, crm.ErrInvalid) {
			t.Errorf("%s:\n got %v\nwant %s", text, err, want)
		}
	}
	_, body, err := mustParseTemplate(t, "Subject: hi\n\n{{len .Creator.Tags}} {{index .Creator.Tags 1}} {{.Creator.Tags | join \"+\"}}").Render(withTerms)
	if err != nil || body != "2 vegan baking+vegan\n" {
		t.Errorf("%q %v", body, err)
	}
}

func TestRenderConcurrently(t *testing.T) {
	tp := mustParseTemplate(t, "Subject: hi {{.Creator.FirstName}}\n\n{{range .Creator.Tags}}#{{.}} {{end}}")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, body, err := tp.Render(tmplMayaData()); err != nil || body != "#baking #vegan\n" {
					t.Errorf("%q %v", body, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewTemplateData(t *testing.T) {
	d := crm.NewTemplateData(tmplMaya(), crm.Campaign{Name: " Spring\tGlow "}, " Sam  Rivera ", "sam@brand.example")
	want := crm.TemplateData{
		Creator: crm.TemplateCreator{
			Name: "Maya Chen", FirstName: "Maya", Email: "maya@creator.example",
			TikTok: "@maya.bakes", Instagram: "@mayachen",
			Handle: "@maya.bakes", Platform: "TikTok", Followers: "48.2k", Engagement: "4.2%", Tier: "micro",
			Tags: []string{"baking", "vegan"},
		},
		Campaign: crm.TemplateCampaign{Name: "Spring Glow"},
		Sender:   crm.TemplateSender{Name: "Sam Rivera", Email: "sam@brand.example"},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got  %+v\nwant %+v", d, want)
	}

	bare := crm.NewTemplateData(crm.Creator{Name: "Lu", Handles: []crm.Handle{{Platform: "threads", Handle: "lu"}}, Tags: []string{"a\nb", " A b", "\x1b[1m"}},
		crm.Campaign{Name: "general"}, "", "")
	if c := bare.Creator; c.Handle != "@lu" || c.Platform != "Threads" || c.Followers != "" || c.Tier != "" || c.Engagement != "" || c.TikTok != "" {
		t.Errorf("unknown counts: %+v", c)
	}
	if !reflect.DeepEqual(bare.Creator.Tags, []string{"a b"}) {
		t.Errorf("tags %q", bare.Creator.Tags)
	}
	if bare.Campaign.Name != "" {
		t.Errorf("default campaign shows as %q", bare.Campaign.Name)
	}

	for name, first := range map[string]string{
		"Maya Chen":          "Maya",
		"Maya":               "Maya",
		"  maya   chen ":     "maya",
		"Chen, Maya":         "Maya",
		"Dr. Sarah Lee":      "Sarah",
		"dr sarah lee":       "sarah",
		"Dr. Lee":            "Dr. Lee",
		"Prof.":              "Prof.",
		"Maya Chen, PhD":     "Maya",
		"@maya.bakes":        "@maya.bakes",
		"Eve\r\nBcc: x@y":    "Eve",
		"\u202eEve\u202c Li": "Eve",
		"   ":                "",
	} {
		if got := crm.NewTemplateData(crm.Creator{Name: name}, crm.Campaign{}, "", "").Creator.FirstName; got != first {
			t.Errorf("first name of %q = %q, want %q", name, got, first)
		}
	}
}

func TestDefaultTemplates(t *testing.T) {
	defs := crm.DefaultTemplates() // panics if one does not parse
	var names []string
	for n, tp := range defs {
		names = append(names, n)
		if tp.Name != n || tp.Source != crm.BuiltinSource {
			t.Errorf("%s: %+v", n, tp)
		}
	}
	if len(names) != 3 || defs["outreach"].Name == "" || defs["follow-up"].Name == "" || defs["terms-confirmation"].Name == "" {
		t.Fatalf("defaults %v", names)
	}
	delete(defs, "outreach")
	if _, ok := crm.DefaultTemplates()["outreach"]; !ok {
		t.Error("DefaultTemplates returned a shared map")
	}

	full := tmplMayaData()
	full.Terms = tmplTerms()
	for name, wants := range map[string][]string{
		"outreach":           {"Hi Maya,", "I'm Sam Rivera", "Spring Glow", "@maya.bakes on TikTok", "rates and media kit", "\nSam Rivera\n"},
		"follow-up":          {"Hi Maya,", "for Spring Glow", "rates and media kit", "\nSam Rivera\n"},
		"terms-confirmation": {"Hi Maya,", "- Deliverables: 1 TikTok video (30-60 s) and 3 Instagram stories\n- Fee: $450\n- Commission: 15% of sales for 60 days\n- Your promo code: MAYA15\n- Your affiliate link: https://brand.example/r/maya\n- Usage rights: organic reposts for 90 days, no paid ads\n- Payment: 50% on signing, 50% when the video is live\n", `reply "confirmed"`, "\nSam Rivera\n"},
	} {
		subject, body, err := crm.DefaultTemplates()[name].Render(full)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.Contains(subject, "Maya") && !strings.Contains(subject, "Spring Glow") {
			t.Errorf("%s: subject %q is not personal", name, subject)
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body lacks %q:\n%s", name, w, body)
			}
		}
		if strings.Contains(body, "{{") || strings.Contains(body, "no value") || strings.Contains(body, "\n\n\n") {
			t.Errorf("%s: body:\n%s", name, body)
		}
	}
	if s, _, _ := crm.DefaultTemplates()["follow-up"].Render(full); s != "Re: Paid partnership idea for you, Maya" {
		t.Errorf("follow-up subject %q does not thread with outreach", s)
	}

	// The first two work for a sparse record: a name and an address, no
	// handle, the default campaign.
	sparse := crm.NewTemplateData(crm.Creator{Name: "Lu", Emails: []string{"lu@x.example"}}, crm.Campaign{Name: crm.DefaultCampaignName}, "Sam", "sam@brand.example")
	for _, name := range []string{"outreach", "follow-up"} {
		if _, body, err := crm.DefaultTemplates()[name].Render(sparse); err != nil || strings.Contains(body, " on .") || strings.Contains(body, "for .") {
			t.Errorf("%s for a sparse record: %v\n%s", name, err, body)
		}
	}

	// Terms confirmation refuses without terms, and with a term missing.
	_, _, err := crm.DefaultTemplates()["terms-confirmation"].Render(tmplMayaData())
	var fe *crm.TemplateFieldError
	if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, ".Terms.") || fe.Template != "terms-confirmation" || fe.Creator != "Maya Chen" {
		t.Errorf("without terms: %v", err)
	}
	partial := tmplMayaData()
	partial.Terms = tmplTerms()
	partial.Terms.Deliverables = "" // what the deal is for is never optional
	if _, _, err := crm.DefaultTemplates()["terms-confirmation"].Render(partial); !errors.As(err, &fe) || fe.Field != ".Terms.Deliverables" {
		t.Errorf("without deliverables: %v", err)
	}
	partial.Terms = tmplTerms()
	partial.Terms.UsageRights = "" // optional: the line is left out
	if _, body, err := crm.DefaultTemplates()["terms-confirmation"].Render(partial); err != nil || strings.Contains(body, "Usage rights") {
		t.Errorf("without usage rights: %v\n%s", err, body)
	}
	partial.Terms = tmplTerms()
	partial.Terms.AffiliateLink = "" // optional: a code-only deal
	if _, body, err := crm.DefaultTemplates()["terms-confirmation"].Render(partial); err != nil || strings.Contains(body, "affiliate") {
		t.Errorf("without affiliate link: %v\n%s", err, body)
	}
}

func TestMergeTemplates(t *testing.T) {
	defs := crm.DefaultTemplates()
	mine := mustParseTemplate(t, "Subject: Yo {{.Creator.FirstName}}\n\nYo.")
	extra, err := crm.ParseTemplate("gifting", "templates/gifting.tmpl", "Subject: A gift\n\nFor you, {{.Creator.FirstName}}.")
	if err != nil {
		t.Fatal(err)
	}
	over := map[string]crm.Template{"outreach": mine, "gifting": extra}
	all := crm.MergeTemplates(defs, over)
	if len(all) != 4 || all["outreach"].Source != "templates/outreach.tmpl" || all["follow-up"].Source != crm.BuiltinSource || all["gifting"].Name != "gifting" {
		t.Errorf("merged %+v", all)
	}
	if s, _, err := all["outreach"].Render(tmplMayaData()); err != nil || s != "Yo Maya" {
		t.Errorf("override rendered %q, %v", s, err)
	}
	if defs["outreach"].Source != crm.BuiltinSource || len(defs) != 3 || len(over) != 2 {
		t.Error("MergeTemplates changed its arguments")
	}
	if got := crm.MergeTemplates(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("MergeTemplates(nil, nil) = %v", got)
	}
}

// TestTemplateDocs keeps docs/templates.md honest: it shows every default
// in full, as shipped, and lists every field.
func TestTemplateDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/templates.md")
	if err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		text, err := os.ReadFile("templates/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), "```\n"+string(text)+"```\n") {
			t.Errorf("docs/templates.md does not show templates/%s as shipped", f.Name())
		}
	}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		for f := range typ.Fields() {
			p := prefix + "." + f.Name
			if f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer {
				walk(p, f.Type)
				continue
			}
			if !strings.Contains(string(doc), "`{{"+p+"}}`") {
				t.Errorf("docs/templates.md does not list `{{%s}}`", p)
			}
		}
	}
	walk("", reflect.TypeFor[crm.TemplateData]())
}
