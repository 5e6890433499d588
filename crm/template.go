package crm

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"unicode"
	"unicode/utf8"
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

// TemplateData is everything a template can refer to, as text ready to
// print. The service builds it with NewTemplateData; every value is a
// single sanitised line, so a field can never carry a line break into the
// subject header.
type TemplateData struct {
	Creator  TemplateCreator
	Campaign TemplateCampaign
	Sender   TemplateSender
	// Terms are the deal's agreed terms, nil until they are recorded. A
	// template that prints a .Terms field refuses to render without them.
	Terms *TemplateTerms
}

// TemplateCreator describes the recipient. A value the creator's record
// does not have is "", and a template that prints it refuses to render.
type TemplateCreator struct {
	Name      string // "Maya Chen"
	FirstName string // "Maya": see firstName for titles and "Chen, Maya"
	Email     string // the address roster writes to
	// TikTok, Instagram and YouTube are the creator's handle on that
	// platform with its "@" ("@maya.bakes"), or "".
	TikTok    string
	Instagram string
	YouTube   string
	// Handle and Platform name the creator's largest account: "@maya.bakes"
	// on "TikTok".
	Handle   string
	Platform string
	// Followers ("48.2k"), Engagement ("4.2%") and Tier ("micro") describe
	// that account. They are "" when the count was never recorded: zero
	// means unknown, and "your 0 followers" must not be sent.
	Followers  string
	Engagement string
	Tier       string
	Tags       []string
}

// TemplateCampaign is the campaign the deal belongs to.
type TemplateCampaign struct {
	// Name is "" for the default campaign: "General" is a bucket for deals
	// no one filed, not something to tell a creator about.
	Name string
}

// TemplateSender is the manager the mail goes out from: the account's
// display_name and address.
type TemplateSender struct {
	Name  string // "Sam Rivera"
	Email string // "sam@brand.example"
}

// TemplateTerms are a deal's agreed terms as they should read in mail
// ("$450", "15% of sales"). Free text on purpose: terms are negotiated in
// words, and the template only repeats them back.
type TemplateTerms struct {
	Deliverables    string // "1 TikTok video (30-60 s) and 3 Instagram stories"
	Fee             string // "$450"
	Commission      string // "15% of sales for 60 days"
	PromoCode       string // "MAYA15"
	AffiliateLink   string // "https://brand.example/r/maya"
	UsageRights     string // "organic reposts for 90 days, no paid ads"
	PaymentSchedule string // "50% on signing, 50% when the video is live"
}

// NewTemplateData builds what templates see from the records. Every value
// goes through SanitizeLine: a creator named "Eve\r\nBcc: x@y" becomes
// "Eve Bcc: x@y", one harmless line.
func NewTemplateData(c Creator, campaign Campaign, senderName, senderEmail string) TemplateData {
	name := SanitizeLine(c.Name)
	d := TemplateData{
		Creator: TemplateCreator{
			Name:      name,
			FirstName: firstName(name),
			Email:     SanitizeLine(c.PrimaryEmail()),
			TikTok:    handleOn(c, TikTok),
			Instagram: handleOn(c, Instagram),
			YouTube:   handleOn(c, YouTube),
		},
		Sender: TemplateSender{Name: SanitizeLine(senderName), Email: SanitizeLine(senderEmail)},
	}
	for _, t := range c.Tags {
		d.Creator.Tags = append(d.Creator.Tags, SanitizeLine(t))
	}
	d.Creator.Tags = CleanTags(d.Creator.Tags)
	if n := SanitizeLine(campaign.Name); !strings.EqualFold(n, DefaultCampaignName) {
		d.Campaign.Name = n
	}
	if h, ok := c.BestHandle(); ok {
		d.Creator.Handle = atHandle(h.Handle)
		d.Creator.Platform = platformName(h.Platform)
		if h.Followers > 0 {
			d.Creator.Followers = FormatFollowers(h.Followers)
			d.Creator.Tier = string(TierFor(h.Followers))
		}
		if h.EngagementBP > 0 {
			d.Creator.Engagement = FormatEngagement(h.EngagementBP)
		}
	}
	return d
}

// firstName is what a greeting uses: the first word of the name, so
// "Maya Chen" is "Maya" and a single name stays whole. Two common shapes
// are handled because getting them wrong is rude: "Chen, Maya" (a comma
// after the first word: family name first) gives "Maya", and a title
// ("Dr. Sarah Lee") is skipped, unless only one word follows it ("Dr.
// Lee" is greeted as "Dr. Lee"). Anything subtler needs a template that
// uses .Creator.Name.
func firstName(name string) string {
	w := strings.Fields(name)
	switch {
	case len(w) == 0:
		return ""
	case len(w) >= 2 && strings.HasSuffix(w[0], ","):
		return strings.TrimRight(w[1], ",")
	case isTitle(w[0]) && len(w) == 2:
		return name
	case isTitle(w[0]) && len(w) > 2:
		return strings.TrimRight(w[1], ",")
	}
	return strings.TrimRight(w[0], ",")
}

func isTitle(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "dr", "mr", "mrs", "ms", "mx", "miss", "prof":
		return true
	}
	return false
}

// handleOn is the creator's largest account on p as "@handle", or "".
func handleOn(c Creator, p Platform) string {
	var best *Handle
	for i, h := range c.Handles {
		if h.Platform == p && (best == nil || h.Followers > best.Followers) {
			best = &c.Handles[i]
		}
	}
	if best == nil {
		return ""
	}
	return atHandle(best.Handle)
}

func atHandle(h string) string {
	h = SanitizeLine(strings.TrimPrefix(h, "@"))
	if h == "" {
		return ""
	}
	return "@" + h
}

// platformName spells a platform the way the platform does.
func platformName(p Platform) string {
	switch p {
	case TikTok:
		return "TikTok"
	case Instagram:
		return "Instagram"
	case YouTube:
		return "YouTube"
	case Twitch:
		return "Twitch"
	case X:
		return "X"
	case Pinterest:
		return "Pinterest"
	}
	s := SanitizeLine(string(p))
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

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

// lineProblem says what makes s unfit for a subject line, or "": a line
// break (header injection), invalid UTF-8, or a control character (ESC
// starts terminal sequences) or bidi override. Tabs are fine: they
// collapse into a space.
func lineProblem(s string) string {
	switch {
	case strings.ContainsAny(s, "\r\n"):
		return "has a line break"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexFunc(s, func(r rune) bool { return r != '\t' && (unicode.IsControl(r) || IsBidiControl(r)) }) >= 0:
		return "has a control character"
	}
	return ""
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

// checker walks a parsed template once, before it is ever executed. It
// rejects fields TemplateData does not have, wraps the values output
// actions print in checkFunc, and puts a tickFunc call at the top of
// every {{range}} body.
type checker struct {
	tree  *parse.Tree
	where string
	err   error
}

// scope is what the walk knows at a point in the template: the type of
// dot and the variables in scope. A nil type means unknown (the result of
// a function); nothing below it is checked.
type scope struct {
	dot reflect.Type
	// dotName is how dot is written from the top, for error messages:
	// ".Terms" inside {{with .Terms}}, "" at the top or when unknown.
	dotName string
	vars    []variable
}

type variable struct {
	name string
	typ  reflect.Type
	// path is how the variable's value is written from the top
	// (".Terms" for $t := .Terms), or "" when it is not a field.
	path string
}

// child is a scope for a nested block: declarations inside it do not leak
// out, as in text/template.
func (s *scope) child() *scope {
	c := *s
	c.vars = slices.Clip(s.vars)
	return &c
}

func (s *scope) lookup(name string) variable {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i]
		}
	}
	return variable{name: name}
}

func (c *checker) fail(n parse.Node, format string, args ...any) {
	if c.err == nil {
		c.err = &TemplateError{Source: c.where, Line: lineOf(c.tree, n), Msg: fmt.Sprintf(format, args...)}
	}
}

func (c *checker) list(l *parse.ListNode, s *scope) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		if c.err != nil {
			return
		}
		c.node(n, s)
	}
}

func (c *checker) node(n parse.Node, s *scope) {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		c.pipe(n.Pipe, s, false)
		if len(n.Pipe.Decl) == 0 && c.err == nil {
			c.guardOutput(n.Pipe, s)
		}
	case *parse.IfNode:
		in := s.child()
		c.pipe(n.Pipe, in, false)
		c.list(n.List, in.child())
		c.list(n.ElseList, in.child())
	case *parse.WithNode:
		in := s.child()
		typ, name := c.pipe(n.Pipe, in, false)
		body := in.child()
		body.dot, body.dotName = typ, name
		c.list(n.List, body)
		c.list(n.ElseList, in.child())
	case *parse.RangeNode:
		in := s.child()
		typ, _ := c.pipe(n.Pipe, in, true)
		key, elem := rangeTypes(typ)
		switch len(n.Pipe.Decl) {
		case 1:
			in.vars = append(in.vars, variable{name: n.Pipe.Decl[0].Ident[0], typ: elem})
		case 2:
			in.vars = append(in.vars,
				variable{name: n.Pipe.Decl[0].Ident[0], typ: key},
				variable{name: n.Pipe.Decl[1].Ident[0], typ: elem})
		}
		body := in.child()
		body.dot, body.dotName = elem, ""
		c.list(n.List, body)
		c.list(n.ElseList, in.child())
		if n.List == nil {
			n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: n.Pos}
		}
		n.List.Nodes = slices.Insert(n.List.Nodes, 0, parse.Node(&parse.ActionNode{
			NodeType: parse.NodeAction, Pos: n.Pos,
			Pipe: pipeOf(n.Pos, parse.NewIdentifier(tickFunc).SetPos(n.Pos)),
		}))
	case *parse.TemplateNode:
		c.fail(n, "{{template}} is not supported: a template is one self-contained file")
	default:
		c.fail(n, "unexpected %s", n)
	}
}

// rangeTypes are the key and element types {{range}} yields over t.
func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return nil, nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeFor[int](), t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return t, t
	}
	return nil, nil
}

// pipe checks a pipeline's fields and declares its variables; it returns
// the pipeline's type and, when the pipeline is one field, how that field
// is written from the top.
func (c *checker) pipe(p *parse.PipeNode, s *scope, isRange bool) (reflect.Type, string) {
	var typ reflect.Type
	var name string
	for i, cmd := range p.Cmds {
		typ, name = c.command(cmd, i > 0, s)
	}
	if len(p.Cmds) != 1 {
		name = ""
	}
	if !isRange && !p.IsAssign && len(p.Decl) == 1 {
		s.vars = append(s.vars, variable{name: p.Decl[0].Ident[0], typ: typ, path: name})
	}
	return typ, name
}

func (c *checker) command(cmd *parse.CommandNode, piped bool, s *scope) (reflect.Type, string) {
	for _, a := range cmd.Args[1:] {
		c.arg(a, s)
	}
	first := cmd.Args[0]
	if _, ok := first.(*parse.IdentifierNode); ok {
		return nil, "" // a function: what it returns is not checked
	}
	typ, name := c.arg(first, s)
	if len(cmd.Args) > 1 || piped {
		switch first.(type) {
		case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode:
			c.fail(first, "%s is not a function; it cannot take arguments", first)
		}
	}
	return typ, name
}

// arg checks one operand and returns its type and field path.
func (c *checker) arg(n parse.Node, s *scope) (reflect.Type, string) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return c.chain(n, s.dot, s.dotName, n.Ident)
	case *parse.VariableNode:
		v := s.lookup(n.Ident[0])
		prefix := v.path // "" for $, the top
		if prefix == "" && v.name != "$" {
			prefix = v.name
		}
		if len(n.Ident) == 1 {
			return v.typ, prefix
		}
		return c.chain(n, v.typ, prefix, n.Ident[1:])
	case *parse.ChainNode:
		typ, _ := c.arg(n.Node, s)
		typ, _ = c.chain(n, typ, "", n.Field)
		return typ, ""
	case *parse.PipeNode:
		return c.pipe(n, s, false)
	case *parse.DotNode:
		return s.dot, s.dotName
	}
	return nil, ""
}

// chain follows .A.B.C from a value of type base written as prefix,
// failing on a name the type does not have.
func (c *checker) chain(n parse.Node, base reflect.Type, prefix string, idents []string) (reflect.Type, string) {
	name := prefix + "." + strings.Join(idents, ".")
	t := base
	for i, id := range idents {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil {
			return nil, name
		}
		owner := prefix + "." + strings.Join(idents[:i], ".")
		owner = strings.TrimSuffix(owner, ".")
		switch t.Kind() {
		case reflect.Struct:
			f, ok := t.FieldByName(id)
			if !ok || !f.IsExported() {
				if owner == "" {
					c.fail(n, "unknown field %s.%s (the fields are %s)", prefix, strings.Join(idents[:i+1], "."), fieldNames(t))
				} else {
					c.fail(n, "unknown field %s.%s (%s has %s)", prefix, strings.Join(idents[:i+1], "."), owner, fieldNames(t))
				}
				return nil, name
			}
			t = f.Type
		case reflect.Map, reflect.Interface:
			return nil, name
		default:
			if owner == "" {
				owner = "{{.}}"
			}
			c.fail(n, "%s is %s and has no field %s", owner, kindWord(t), id)
			return nil, name
		}
	}
	return t, name
}

func fieldNames(t reflect.Type) string {
	var names []string
	for f := range t.Fields() {
		if f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, ", ")
}

func kindWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "a " + t.Kind().String()
}

// guardOutput makes an output action check what it prints: every operand
// and, unless the action is a single operand, its final value.
func (c *checker) guardOutput(p *parse.PipeNode, s *scope) {
	whole := p.String()
	c.guardPipe(p, s, true)
	last := p.Cmds[len(p.Cmds)-1]
	if len(p.Cmds) == 1 && len(last.Args) == 1 && isOperand(last.Args[0]) {
		return // the operand itself is checked with printFunc
	}
	p.Cmds = append(p.Cmds, &parse.CommandNode{
		NodeType: parse.NodeCommand, Pos: last.Pos,
		Args: []parse.Node{parse.NewIdentifier(printFunc).SetPos(last.Pos), stringNode(last.Pos, whole)},
	})
}

// guardPipe wraps the operands of p's commands; printed says that p's
// value is what an output action prints.
func (c *checker) guardPipe(p *parse.PipeNode, s *scope, printed bool) {
	for i, cmd := range p.Cmds {
		switch fn := cmd.Args[0].(type) {
		case *parse.IdentifierNode:
			if decides[fn.Ident] {
				continue // and, or, eq…: their operands decide, the result is checked
			}
			for j := 1; j < len(cmd.Args); j++ {
				cmd.Args[j] = c.guardOperand(cmd.Args[j], s, checkFunc)
			}
		default:
			// A lone operand; with arguments it is a call of something that
			// is not a function, which text/template reports.
			if i == 0 && len(cmd.Args) == 1 {
				check := checkFunc
				if printed && len(p.Cmds) == 1 {
					check = printFunc
				}
				cmd.Args[0] = c.guardOperand(fn, s, check)
			}
		}
	}
}

func isOperand(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.FieldNode, *parse.VariableNode, *parse.DotNode, *parse.ChainNode:
		return true
	case *parse.PipeNode:
		return len(n.Decl) == 0
	}
	return false
}

// guardOperand wraps n in (check "name" n).
func (c *checker) guardOperand(n parse.Node, s *scope, check string) parse.Node {
	if !isOperand(n) {
		return n
	}
	var name string
	switch n := n.(type) {
	case *parse.PipeNode:
		name = n.String()
		c.guardPipe(n, s, false)
	case *parse.ChainNode:
		name = n.String()
	default:
		_, name = c.arg(n, s) // how a field, variable or dot is written from the top
	}
	if name == "" {
		name = n.String()
	}
	pos := n.Position()
	return pipeOf(pos, parse.NewIdentifier(check).SetPos(pos), stringNode(pos, name), n)
}

// pipeOf builds the pipeline of one command. The nodes have no tree;
// text/template then falls back to the template's own for positions.
func pipeOf(pos parse.Pos, args ...parse.Node) *parse.PipeNode {
	return &parse.PipeNode{
		NodeType: parse.NodePipe, Pos: pos,
		Cmds: []*parse.CommandNode{{NodeType: parse.NodeCommand, Pos: pos, Args: args}},
	}
}

func stringNode(pos parse.Pos, s string) *parse.StringNode {
	return &parse.StringNode{NodeType: parse.NodeString, Pos: pos, Quoted: strconv.Quote(s), Text: s}
}
