package crm_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"unicode"

	"roster/crm"
)

// FuzzRenderTemplate feeds random template files and random creator values
// through ParseTemplate and Render. Whatever happens, nothing panics and
// every error matches ErrInvalid. When rendering succeeds: the subject is
// one line without control characters, the body has no CR and no control
// characters but tab and newline, and no field printed at the top level of
// the template was empty. The data is given twice: built by
// NewTemplateData, and built by hand from the raw values, as a careless
// caller would.
func FuzzRenderTemplate(f *testing.F) {
	for _, name := range []string{"outreach", "follow-up", "terms-confirmation"} {
		text, err := os.ReadFile("templates/" + name + ".tmpl")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(text), "Maya Chen", "maya@creator.example", "maya.bakes", int64(48_200), "$450", true)
		f.Add(string(text), "Eve\r\nBcc: x@y", "", "", int64(0), "", false)
	}
	for _, text := range []string{
		"Subject: Hi {{.Creator.Name}}\n\nHi {{.Creator.FirstName}},\n",
		"Subject: {{.Creator.Handle}} x {{.Campaign.Name}}\r\n\r\n{{if .Creator.Email}}{{.Creator.Email}}{{end}}",
		"Subject: t\n\n{{range $i, $t := .Creator.Tags}}{{if $i}}, {{end}}{{$t}}{{end}}\n{{join \", \" .Creator.Tags}}",
		"Subject: t\n\n{{with .Terms}}{{.Fee}}{{else}}no terms{{end}} {{or .Creator.Instagram \"there\"}}",
		"Subject: {{printf \"%s\" .Creator.Name}}\n\n{{$n := .Creator.Followers}}{{$n}} {{len .Creator.Name}} {{.Terms.Fee | upper}}",
		"Subject: {{printf \"%c\" 10}}\n\n{{range 3}}{{.}}{{end}}{{$.Sender.Name}}",
	} {
		f.Add(text, "Dr. Sarah Lee", "s@x.example", "sarah", int64(950), "", false)
	}
	f.Fuzz(func(t *testing.T, text, name, email, handle string, followers int64, fee string, withTerms bool) {
		tp, err := crm.ParseTemplate("fuzz", "templates/fuzz.tmpl", text)
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) {
				t.Fatalf("parse error %v does not match ErrInvalid", err)
			}
			return
		}
		c := crm.Creator{Name: name, Emails: []string{email}, Tags: []string{name, handle}}
		if handle != "" {
			c.Handles = []crm.Handle{{Platform: crm.TikTok, Handle: handle, Followers: followers}}
		}
		var terms *crm.TemplateTerms
		if withTerms {
			terms = &crm.TemplateTerms{Fee: fee, PromoCode: name, Deliverables: handle, Commission: "10%"}
		}
		clean := crm.NewTemplateData(c, crm.Campaign{Name: fee}, name, email)
		clean.Terms = terms
		raw := crm.TemplateData{
			Creator: crm.TemplateCreator{
				Name: name, FirstName: name, Email: email, TikTok: handle, Handle: handle,
				Platform: "TikTok", Followers: fee, Tags: []string{name, handle},
			},
			Campaign: crm.TemplateCampaign{Name: fee},
			Sender:   crm.TemplateSender{Name: handle, Email: email},
			Terms:    terms,
		}
		for _, d := range []crm.TemplateData{clean, raw} {
			subject, body, err := tp.Render(d)
			if err != nil {
				if !errors.Is(err, crm.ErrInvalid) {
					t.Fatalf("render error %v does not match ErrInvalid", err)
				}
				continue
			}
			if subject == "" || strings.TrimSpace(subject) != subject || strings.IndexFunc(subject, unicode.IsControl) >= 0 {
				t.Fatalf("subject %q", subject)
			}
			if strings.ContainsAny(body, "\r\x1b") || strings.IndexFunc(body, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0 {
				t.Fatalf("body %q", body)
			}
			subjectSrc, bodySrc := splitTemplate(text)
			for _, src := range []string{subjectSrc, bodySrc} {
				if field, ok := emptyTopLevelField(src, d); ok {
					t.Fatalf("rendered although %s is empty or missing:\n%s\n\n%s", field, subject, body)
				}
			}
		}
	})
}

// splitTemplate cuts a template file the way the format says: the
// subject after "Subject:" on the first line, the body after the second.
func splitTemplate(text string) (subject, body string) {
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	first, rest, _ := strings.Cut(text, "\n")
	_, subject, _ = strings.Cut(first, ":")
	_, body, _ = strings.Cut(rest, "\n")
	return subject, body
}

// emptyTopLevelField is the spec's oracle, written independently of the
// implementation: it parses src again and, for every output action at the
// top level (outside any {{if}}, {{with}} or {{range}}), resolves the fields
// the action prints or hands to a function other than and, or, not and
// the comparisons. It reports the first that is empty or missing.
func emptyTopLevelField(src string, d crm.TemplateData) (string, bool) {
	t, err := template.New("oracle").Funcs(template.FuncMap{"join": strings.Join, "lower": strings.ToLower, "upper": strings.ToUpper}).Parse(src)
	if err != nil || t.Tree == nil {
		return "", false
	}
	var fields []*parse.FieldNode
	var collect func(p *parse.PipeNode)
	collect = func(p *parse.PipeNode) {
		for i, cmd := range p.Cmds {
			args := cmd.Args
			if id, ok := args[0].(*parse.IdentifierNode); ok {
				switch id.Ident {
				case "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge":
					continue
				}
				args = args[1:]
			} else if i > 0 || len(args) > 1 {
				continue
			}
			for _, a := range args {
				switch a := a.(type) {
				case *parse.FieldNode:
					fields = append(fields, a)
				case *parse.PipeNode:
					collect(a)
				}
			}
		}
	}
	for _, n := range t.Root.Nodes {
		if a, ok := n.(*parse.ActionNode); ok && len(a.Pipe.Decl) == 0 {
			collect(a.Pipe)
		}
	}
	for _, f := range fields {
		v := reflect.ValueOf(d)
		for _, id := range f.Ident {
			for v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return f.String(), true
				}
				v = v.Elem()
			}
			if v.Kind() != reflect.Struct {
				break
			}
			v = v.FieldByName(id)
			if !v.IsValid() {
				return "", false // not a field: ParseTemplate rejected it
			}
		}
		switch v.Kind() {
		case reflect.String:
			if strings.TrimSpace(v.String()) == "" {
				return f.String(), true
			}
		case reflect.Slice:
			if v.Len() == 0 {
				return f.String(), true
			}
		case reflect.Pointer:
			if v.IsNil() {
				return f.String(), true
			}
		}
	}
	return "", false
}
