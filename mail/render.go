package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"roster/crm"
	"roster/mail/config"
)

// Renderer is crm.MailRenderer on go-mail: the outbox calls it once per
// mail, with the Message-ID and Date it chose, and stores the bytes; every
// attempt and the Sent copy are those bytes. TemplateDir holds the
// manager's templates ("" for none).
type Renderer struct {
	TemplateDir string
}

var _ crm.MailRenderer = Renderer{}

// DefaultTemplateDir is $XDG_CONFIG_HOME/roster/templates, beside the
// default config file.
func DefaultTemplateDir() string {
	return filepath.Join(filepath.Dir(config.DefaultPath()), "templates")
}

// RenderMail builds the message. References is one space-separated value
// (go-mail would join several values with commas, which RFC 5322 does not
// allow) and every id stays ASCII so no client drops it; go-mail writes
// no User-Agent and never invents its own Message-ID or Date.
func (Renderer) RenderMail(d *crm.Draft, messageID string, date time.Time) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.FromFormat(d.From.Name, d.From.Email); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	for _, a := range d.To {
		if err := m.AddToFormat(a.Name, a.Email); err != nil {
			return nil, fmt.Errorf("to %s: %w", a.Email, err)
		}
	}
	for _, a := range d.Cc {
		if err := m.AddCcFormat(a.Name, a.Email); err != nil {
			return nil, fmt.Errorf("cc %s: %w", a.Email, err)
		}
	}
	m.Subject(d.Subject)
	m.SetMessageIDWithValue(messageID)
	m.SetDateWithValue(date)
	if d.InReplyTo != "" {
		m.SetGenHeader(gomail.HeaderInReplyTo, "<"+d.InReplyTo+">")
	}
	if len(d.References) > 0 {
		refs := make([]string, len(d.References))
		for i, r := range d.References {
			refs[i] = "<" + r + ">"
		}
		m.SetGenHeader(gomail.HeaderReferences, strings.Join(refs, " "))
	}
	m.SetBodyString(gomail.TypeTextPlain, d.Text)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Templates are the built-in templates with the files of TemplateDir laid
// over them, read on every call so an edited file applies at once.
func (r Renderer) Templates() (map[string]crm.Template, error) {
	own, err := LoadTemplates(r.TemplateDir)
	if err != nil {
		return nil, err
	}
	return crm.MergeTemplates(crm.DefaultTemplates(), own), nil
}

// LoadTemplates reads every NAME.tmpl in dir. A missing dir is no
// templates; every broken file is reported (FILE:LINE: what), not just the
// first.
func LoadTemplates(dir string) (map[string]crm.Template, error) {
	out := map[string]crm.Template{}
	if dir == "" {
		return out, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	var errs []error
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".tmpl")
		if !ok || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t, err := crm.ParseTemplate(name, path, string(data))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[name] = t
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return out, errors.Join(errs...)
}
