package crm

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"unicode"
)

// Message templates: the outreach, follow-up and terms mail roster writes
// for the manager. docs/templates.md is the author's guide; this comment
// explains how the guarantees are kept.
//
// A template is a text/template file: a "Subject:" line, a blank line, the
// body. Loading files is the caller's job (main and mail know where
// $XDG_CONFIG_HOME is); crm parses sources it is given, so every rule here
// is testable without a file system.
//
// The promise is that no "Hi ," ever reaches the outbox: a value a template
// prints must not be empty. text/template cannot express that (missingkey
// applies to maps only, and an empty string is not missing), so
// ParseTemplate walks the parse tree once and rewrites every output action:
// each field, variable, dot or sub-pipeline an action prints or hands to a
// function is wrapped in a check, and the action's final value is checked
// too, and must be text rather than a whole record or list. The check runs
// while the template executes, with the real dot, so
// {{with}}, {{range}}, variables and functions need no static guessing.
// What only decides something is left alone: the pipelines of
// {{if}}/{{with}}/{{range}} and the arguments of and, or, not and the
// comparisons may be empty, which is how an author writes optional parts
// ({{with .Creator.Instagram}}…{{end}}) and fallbacks
// ({{or .Creator.FirstName "there"}}, whose result is still checked).
//
// The same walk checks every field name against TemplateData's types, so a
// typo ({{.Creator.Nmae}}) fails when the file is loaded, with its line,
// instead of when the manager presses send; and it bounds every {{range}}
// so a template cannot loop for ever.

// BuiltinSource is the Source of the templates roster ships.
const BuiltinSource = "built-in"

// Limits that keep a broken template from hanging or flooding roster.
const (
	// maxSubjectBytes is the longest header line RFC 5322 allows; a real
	// subject is under 80.
	maxSubjectBytes = 998
	maxBodyBytes    = 256 << 10
	// maxLoops bounds {{range}} iterations per rendering: an email lists
	// a handful of things, and {{range 1000000000}} must not hang the TUI.
	maxLoops = 10_000
)

// Names of the functions ParseTemplate inserts into parsed templates.
const (
	checkFunc = "_roster_check" // an operand: not empty
	printFunc = "_roster_print" // what an action prints: not empty, and text
	tickFunc  = "_roster_tick"
)

// Template is a parsed message template.
type Template struct {
	Name string // "outreach"
	// Source is the file the template came from, or BuiltinSource.
	Source        string
	subject, body *template.Template
}

// TemplateError is a template that cannot be used: a malformed file, a
// field TemplateData does not have, or a failure while rendering. Source
// and Line point the author at the place to fix.
type TemplateError struct {
	Source string // "templates/outreach.tmpl", or "built-in outreach"
	Line   int    // 1-based; 0 when unknown
	Msg    string
}

func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Msg)
	}
	return e.Source + ": " + e.Msg
}

// Is makes every TemplateError match ErrInvalid.
func (e *TemplateError) Is(target error) bool { return target == ErrInvalid }

// TemplateFieldError is a refusal to render because a value the template
// prints is empty or missing for this creator. It names both, because the
// fix is usually in the creator's record, not in the template.
type TemplateFieldError struct {
	Template string // "outreach"
	Field    string // ".Creator.FirstName", as the template reaches it
	Creator  string // "Maya Chen"
	// Problem completes the sentence: "is empty" (the default), "is
	// missing (no terms are recorded yet)", "has a line break".
	Problem string
}

func (e *TemplateFieldError) Error() string {
	p := e.Problem
	if p == "" {
		p = "is empty"
	}
	return fmt.Sprintf("%s: {{%s}} %s for creator %q", e.Template, e.Field, p, e.Creator)
}

// Is makes every TemplateFieldError match ErrInvalid.
func (e *TemplateFieldError) Is(target error) bool { return target == ErrInvalid }

// Problems a printed value can have.
const (
	problemEmpty   = "is empty"
	problemMissing = "is missing"
)

// templateFuncs are the helpers templates may use besides text/template's
// built-ins. There is deliberately no "default": or already is one
// ({{or .Creator.FirstName "there"}}), and a second spelling would only
// make templates harder to read.
var templateFuncs = template.FuncMap{
	// join takes the separator first so that it reads well in a pipeline:
	// {{.Creator.Tags | join ", "}}.
	"join":  func(sep string, items []string) string { return strings.Join(items, sep) },
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
}

// decides lists the built-ins whose arguments decide rather than print:
// their arguments may be empty, and what they return is checked instead.
var decides = map[string]bool{
	"and": true, "or": true, "not": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
}

// ParseTemplate reads a template file: "Subject: …" on the first line
// (the key in any case), a blank line, then the body. CRLF line ends and a
// byte-order mark are accepted. name is what the manager picks the
// template by ("outreach"); source is the file's path, used in errors
// ("templates/outreach.tmpl:1: …"). Errors match ErrInvalid.
func ParseTemplate(name, source, text string) (Template, error) {
	where := source
	switch source {
	case "":
		where = name
	case BuiltinSource:
		where = BuiltinSource + " " + name
	}
	fail := func(line int, format string, args ...any) (Template, error) {
		return Template{}, &TemplateError{Source: where, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if name == "" || strings.IndexFunc(name, badNameRune) >= 0 {
		return fail(0, "%q is not a template name (use letters, digits, -, _ and .)", name)
	}
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")

	first, rest, _ := strings.Cut(text, "\n")
	key, subject, ok := strings.Cut(first, ":")
	if !ok || !strings.EqualFold(key, "subject") {
		return fail(1, `the first line must be "Subject: ..."`)
	}
	subject = strings.TrimSpace(subject)
	if subject == "" {
		return fail(1, "the subject is empty")
	}
	if p := lineProblem(subject); p != "" {
		return fail(1, "the subject %s", p)
	}
	second, body, _ := strings.Cut(rest, "\n")
	if strings.TrimSpace(second) != "" {
		if k, _, ok := strings.Cut(second, ":"); ok && k != "" && !strings.ContainsAny(k, " \t{") {
			return fail(2, "a template has only a Subject: header; leave a blank line after it and start the body")
		}
		return fail(2, "the subject must be followed by a blank line")
	}
	if strings.TrimSpace(body) == "" {
		return fail(3, "the body is empty")
	}

	t := Template{Name: name, Source: source}
	var err error
	if t.subject, err = parseOne(where, subject, false); err != nil {
		return Template{}, err
	}
	// The body starts on the file's third line. A comment spanning two
	// lines in front of it makes text/template's line numbers (in syntax
	// errors and in ours) the file's, and prints nothing.
	if t.body, err = parseOne(where, "{{/*\n\n*/}}"+body, true); err != nil {
		return Template{}, err
	}
	return t, nil
}

func badNameRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.')
}

// parseOne parses and checks the subject or the body.
func parseOne(where, text string, isBody bool) (*template.Template, error) {
	t := template.New(where).Funcs(templateFuncs).Funcs(template.FuncMap{
		checkFunc: checkValue(!isBody),
		printFunc: printValue(!isBody),
		tickFunc:  func() (string, error) { return "", nil }, // replaced per rendering
	})
	// The default missingkey: the only map a template meets is noTerms,
	// and a lookup in it must be nil, so that {{if .Terms.Fee}} is simply
	// false and {{.Terms.Fee}} reaches checkValue, which says "missing".
	t.Option("missingkey=default")
	if _, err := t.Parse(text); err != nil {
		return nil, execError(where, err)
	}
	for _, d := range t.Templates() {
		if d.Name() != where {
			line := 0
			if d.Tree != nil && d.Root != nil {
				line = lineOf(d.Tree, d.Root)
			}
			return nil, &TemplateError{Source: where, Line: line, Msg: "{{define}} and {{block}} are not supported: a template is one self-contained file"}
		}
	}
	if t.Tree == nil || t.Root == nil {
		return nil, &TemplateError{Source: where, Msg: "the template is empty"}
	}
	c := checker{tree: t.Tree, where: where}
	c.list(t.Root, &scope{dot: reflect.TypeFor[TemplateData](), vars: []variable{{name: "$", typ: reflect.TypeFor[TemplateData]()}}})
	if c.err != nil {
		return nil, c.err
	}
	return t, nil
}

// lineOf is the line of n in the file.
func lineOf(tree *parse.Tree, n parse.Node) int {
	loc, _ := tree.ErrorContext(n) // "name:line:col"
	loc = loc[:strings.LastIndexByte(loc, ':')]
	line, _ := strconv.Atoi(loc[strings.LastIndexByte(loc, ':')+1:])
	return line
}

// execError turns a text/template error ("template: NAME:3: …" or
// "template: NAME:3:7: executing "NAME" at <…>: …") into a TemplateError
// with the line, dropping the repetition and the context: the context
// would show the checks ParseTemplate inserted, which the author never
// wrote.
func execError(where string, err error) error {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "template: "+where+":")
	if !ok {
		return &TemplateError{Source: where, Msg: strings.TrimPrefix(msg, "template: ")}
	}
	e := &TemplateError{Source: where}
	num, after, ok := strings.Cut(rest, ":")
	if n, err := strconv.Atoi(num); ok && err == nil {
		e.Line, rest = n, after
		if num, after, ok := strings.Cut(rest, ":"); ok {
			if _, err := strconv.Atoi(num); err == nil {
				rest = after
			}
		}
	}
	rest = strings.TrimSpace(rest)
	rest = strings.TrimPrefix(rest, "executing "+strconv.Quote(where)+" ")
	if strings.HasPrefix(rest, "at <") {
		if i := strings.Index(rest, ">: "); i >= 0 {
			rest = rest[i+3:]
		}
	}
	rest = strings.TrimPrefix(rest, "error calling "+printFunc+": ")
	e.Msg = rest
	return e
}

// checkValue is the check wrapped around every printed value. In the
// subject it also refuses line breaks and control characters, naming the
// field: NewTemplateData already made every value one line, so this only
// fires for data built by hand, and then refusing is the safe answer.
func checkValue(subject bool) func(field string, v any) (any, error) {
	return func(field string, v any) (any, error) {
		if p := emptiness(v); p != "" {
			return nil, &TemplateFieldError{Field: field, Problem: p}
		}
		if s, ok := v.(string); ok && subject {
			if p := lineProblem(s); p != "" {
				return nil, &TemplateFieldError{Field: field, Problem: p}
			}
		}
		return v, nil
	}
}

// printValue is checkValue for the value an action prints, which must
// also be something a reader understands: {{.Creator}} would print Go's
// notation for a struct ("{Maya Chen Maya …}") and {{.Creator.Tags}}
// "[baking vegan]". That is a mistake in the template, not in the data,
// so it is a plain error, reported with the template's line.
func printValue(subject bool) func(field string, v any) (any, error) {
	check := checkValue(subject)
	return func(field string, v any) (any, error) {
		v, err := check(field, v)
		if err != nil {
			return nil, err
		}
		r := reflect.ValueOf(v)
		for r.Kind() == reflect.Pointer {
			r = r.Elem()
		}
		switch r.Kind() {
		case reflect.Struct:
			return nil, fmt.Errorf("{{%s}} is a group of fields; print one of them", field)
		case reflect.Slice, reflect.Array, reflect.Map:
			return nil, fmt.Errorf("{{%s}} is a list; print it with join or range", field)
		}
		return v, nil
	}
}

// emptiness says why v must not be printed, or "". Blank text, empty
// lists and nil are refused; numbers and booleans are values even when
// zero.
func emptiness(v any) string {
	if v == nil {
		return problemMissing
	}
	if _, ok := v.(noTerms); ok {
		return problemMissing
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.String:
		if strings.TrimSpace(r.String()) == "" {
			return problemEmpty
		}
	case reflect.Slice, reflect.Map, reflect.Array:
		if r.Len() == 0 {
			return problemEmpty
		}
	case reflect.Pointer, reflect.Interface:
		if r.IsNil() {
			return problemMissing
		}
	}
	return ""
}

// execData is what templates execute with: TemplateData, except that
// missing terms are an empty map instead of a nil pointer. A nil pointer
// makes text/template fail on {{if .Terms.Fee}}; an empty map is false in
// {{if .Terms}}, yields nil for .Terms.Fee, and checkValue calls that
// missing.
type execData struct {
	Creator  TemplateCreator
	Campaign TemplateCampaign
	Sender   TemplateSender
	Terms    any
}

type noTerms map[string]any

// Render fills the template in for one creator. subject is one line with
// runs of space collapsed. body has LF line ends, no control characters
// but tab, no trailing space, no run of blank lines (an optional block
// that is left out leaves no gap) and ends with one newline. A value the
// template prints that is empty gives a *TemplateFieldError; every error
// matches ErrInvalid.
func (t Template) Render(d TemplateData) (subject, body string, err error) {
	where := t.Source
	if where == BuiltinSource {
		where += " " + t.Name
	}
	if t.subject == nil || t.body == nil {
		return "", "", &TemplateError{Source: where, Msg: "the template was not parsed"}
	}
	data := &execData{Creator: d.Creator, Campaign: d.Campaign, Sender: d.Sender, Terms: noTerms{}}
	if d.Terms != nil {
		data.Terms = d.Terms
	}
	subject, err = execute(t.subject, data, maxSubjectBytes)
	if err != nil {
		return "", "", t.renderError(where, err, d)
	}
	if p := lineProblem(subject); p != "" {
		return "", "", &TemplateError{Source: where, Line: 1, Msg: "the subject " + p}
	}
	subject = strings.Join(strings.Fields(subject), " ")
	if subject == "" {
		return "", "", &TemplateError{Source: where, Line: 1, Msg: fmt.Sprintf("the subject is empty for creator %q", creatorLabel(d.Creator))}
	}
	body, err = execute(t.body, data, maxBodyBytes)
	if err != nil {
		return "", "", t.renderError(where, err, d)
	}
	body = tidyBody(body)
	if body == "" {
		return "", "", &TemplateError{Source: where, Msg: fmt.Sprintf("the body is empty for creator %q", creatorLabel(d.Creator))}
	}
	return subject, body, nil
}

var (
	errTooLong   = errors.New("output too long")
	errTooManyIt = errors.New("too many loop iterations")
)

// execute runs one parsed template with a fresh loop budget. The budget
// lives in a function bound to a clone, so concurrent renderings of one
// Template do not share it; a clone copies a few maps, not the tree.
func execute(t *template.Template, data *execData, limit int) (string, error) {
	c, err := t.Clone()
	if err != nil {
		return "", err
	}
	budget := maxLoops
	c.Funcs(template.FuncMap{tickFunc: func() (string, error) {
		if budget--; budget < 0 {
			return "", errTooManyIt
		}
		return "", nil
	}})
	w := &limitWriter{limit: limit}
	if err := c.Execute(w, data); err != nil {
		return "", err
	}
	return w.b.String(), nil
}

// limitWriter fails once more than limit bytes are written, which stops
// text/template at once.
type limitWriter struct {
	b     strings.Builder
	limit int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.limit {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

func (t Template) renderError(where string, err error, d TemplateData) error {
	var fe *TemplateFieldError
	switch {
	case errors.As(err, &fe):
		e := *fe
		e.Template, e.Creator = t.Name, creatorLabel(d.Creator)
		switch {
		case d.Terms == nil && (e.Field == ".Terms" || strings.HasPrefix(e.Field, ".Terms.")):
			e.Problem = problemMissing + " (no terms are recorded yet)"
		case e.Field == ".Campaign.Name" && e.Problem == problemEmpty:
			e.Problem = problemEmpty + " (the default campaign has no name to show a creator)"
		}
		return &e
	case errors.Is(err, errTooLong):
		return &TemplateError{Source: where, Msg: "renders more text than any email needs (a runaway {{range}} or printf?)"}
	case errors.Is(err, errTooManyIt):
		return &TemplateError{Source: where, Msg: fmt.Sprintf("loops more than %d times", maxLoops)}
	}
	return execError(where, err)
}

// creatorLabel names the creator in an error message.
func creatorLabel(c TemplateCreator) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Email != "":
		return c.Email
	case c.Handle != "":
		return c.Handle
	}
	return "(no name)"
}

// tidyBody sanitises the rendered body and evens out the blank lines that
// optional blocks leave behind.
func tidyBody(s string) string {
	s = SanitizeText(s) // also turns CRLF and lone CR into LF
	var b strings.Builder
	blank := false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteByte('\n')
			blank = false
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

//go:embed templates/*.tmpl
var builtinFS embed.FS

// builtins parses the shipped templates once, on first use rather than at
// start-up, so that a program that never sends mail pays nothing. A
// default that does not parse is a bug in roster, not in the user's
// setup, so it panics; TestDefaultTemplates makes the panic a test
// failure long before a release.
var builtins = sync.OnceValue(func() map[string]Template {
	files, err := fs.Glob(builtinFS, "templates/*.tmpl")
	if err != nil {
		panic(err)
	}
	out := make(map[string]Template, len(files))
	for _, f := range files {
		text, err := builtinFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		name := strings.TrimSuffix(path.Base(f), ".tmpl")
		t, err := ParseTemplate(name, BuiltinSource, string(text))
		if err != nil {
			panic(fmt.Sprintf("crm: built-in template %s: %v", name, err))
		}
		out[name] = t
	}
	return out
})

// DefaultTemplates are the templates roster ships: outreach, follow-up
// and terms-confirmation. The map is the caller's to change.
func DefaultTemplates() map[string]Template { return maps.Clone(builtins()) }

// MergeTemplates is defaults with overrides laid over them: a file named
// like a default replaces it, other files add templates. Neither argument
// is changed.
func MergeTemplates(defaults, overrides map[string]Template) map[string]Template {
	out := make(map[string]Template, len(defaults)+len(overrides))
	maps.Copy(out, defaults)
	maps.Copy(out, overrides)
	return out
}
