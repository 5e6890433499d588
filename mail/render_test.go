package mail

import (
	"bytes"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

func TestRenderHeaders(t *testing.T) {
	d := &crm.Draft{
		From:    crm.Address{Name: "Sam Rivera", Email: "sam@brand.example"},
		To:      []crm.Address{{Name: "Maya Lin", Email: "maya@creator.example"}},
		Cc:      []crm.Address{{Name: "Zoë Ünal", Email: "zoe@creator.example"}},
		Subject: "Re: Collab for Spring Glow", Text: "Hi Maya,\n\nSounds good.\n",
		InReplyTo: "m2@creator.example", References: []string{"m0@brand.example", "m1@brand.example", "m2@creator.example"},
	}
	date := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	raw, err := Renderer{}.RenderMail(d, "abc.123@brand.example", date)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Renderer{}.RenderMail(d, "abc.123@brand.example", date)
	if !bytes.Equal(raw, again) {
		t.Error("rendering the same draft twice gives other bytes")
	}
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Header
	for k, want := range map[string]string{
		"Message-Id":  "<abc.123@brand.example>",
		"In-Reply-To": "<m2@creator.example>",
		"References":  "<m0@brand.example> <m1@brand.example> <m2@creator.example>",
		"Subject":     "Re: Collab for Spring Glow",
		"From":        `"Sam Rivera" <sam@brand.example>`,
	} {
		if got := strings.Join(strings.Fields(h.Get(k)), " "); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if got, _ := h.Date(); !got.Equal(date) {
		t.Errorf("Date %v", got)
	}
	if h.Get("User-Agent") != "" || h.Get("X-Mailer") != "" {
		t.Error("a User-Agent or X-Mailer leaks")
	}
	if !bytes.Contains(raw, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("line ends are not CRLF throughout")
	}
}

// TestRenderRefusesHeaderInjection: whatever a field holds, the rendered
// mail has exactly the headers roster wrote.
func TestRenderRefusesHeaderInjection(t *testing.T) {
	base := crm.Draft{From: crm.Address{Email: "sam@brand.example"}, To: []crm.Address{{Email: "maya@creator.example"}}, Subject: "hi", Text: "hi"}
	for _, mutate := range []func(d *crm.Draft){
		func(d *crm.Draft) { d.Subject = "hi\r\nBcc: evil@x.example" },
		func(d *crm.Draft) { d.To[0].Name = "Maya\nBcc: evil@x.example" },
		func(d *crm.Draft) { d.From.Name = "Sam\r\nX-Evil: 1" },
		func(d *crm.Draft) { d.References = []string{"a@b\r\nBcc: evil@x.example"} },
	} {
		d := base
		d.To = []crm.Address{base.To[0]}
		mutate(&d)
		if raw, err := (Renderer{}).RenderMail(&d, "x@brand.example", time.Now()); err == nil {
			t.Errorf("rendered %q", raw)
		}
	}
	// A hostile name that was cleaned (as drafts clean names) stays one
	// header value.
	d := base
	d.To = []crm.Address{{Name: "Eve Bcc: evil@x.example", Email: "maya@creator.example"}}
	raw, err := Renderer{}.RenderMail(&d, "x@brand.example", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := netmail.ReadMessage(bytes.NewReader(raw))
	if m.Header.Get("Bcc") != "" || len(m.Header["To"]) != 1 {
		t.Errorf("headers %v", m.Header)
	}
}

func TestLoadTemplatesOverridesAndReportsFileLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "outreach.tmpl"), []byte("Subject: Hey {{.Creator.FirstName}}\n\nHi {{.Creator.FirstName}}, from {{.Sender.Name}}.\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "broken.tmpl"), []byte("Subject: x\n\nHi {{.Creator.Nmae}}\n"), 0o600)
	_, err := Renderer{TemplateDir: dir}.Templates()
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "broken.tmpl")+":3") {
		t.Fatalf("broken template: %v, want FILE:3", err)
	}
	os.Remove(filepath.Join(dir, "broken.tmpl"))
	ts, err := Renderer{TemplateDir: dir}.Templates()
	if err != nil {
		t.Fatal(err)
	}
	if ts["outreach"].Source != filepath.Join(dir, "outreach.tmpl") || ts["follow-up"].Source != crm.BuiltinSource {
		t.Errorf("sources %q %q", ts["outreach"].Source, ts["follow-up"].Source)
	}
	if ts, err := (Renderer{TemplateDir: filepath.Join(dir, "none")}).Templates(); err != nil || len(ts) != 3 {
		t.Errorf("missing dir: %d templates, %v", len(ts), err)
	}
}
