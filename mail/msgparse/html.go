package msgparse

// HTML to text: a small walker on golang.org/x/net/html, not an
// html2text library. The candidates on the Go module proxy were
// github.com/jaytaylor/html2text (no tagged release; last change March
// 2023) and its maintained fork github.com/inbucket/html2text v1.0.0.
// Neither fits what a CRM needs from marketing and reply mail: links come
// out as "text ( url )", images are dropped unless they are a link's only
// child, table cells run together unless the tablewriter "pretty" mode
// (boxed ASCII art) is on, and nothing removes hidden preheaders or 1×1
// tracking pixels, so the DOM would have to be walked and pruned here
// anyway. The fork also pulls olekukonko/tablewriter, fatih/color,
// olekukonko/ll and ssor/bom into the binary, and both recurse over the
// tree (deeply nested mail HTML means deep Go stacks). x/net/html is the
// parser both of them use; the walker below is iterative and does exactly:
// head/style/script/template dropped, hidden elements and tracking pixels
// dropped, block elements → line breaks, <br> → newline, <li> → "• ",
// <a> → "text <url>" (skipped when equal), <img> → "[image: alt]",
// tables row-wise with " | ", <blockquote> → "> " lines (so SplitQuoted
// can collapse HTML-only replies), <hr> → the Outlook separator line,
// entities decoded and white space collapsed (wrapping is the UI's job).

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText converts an HTML document to readable plain text. ok is
// false when the document could not be built into a tree (x/net/html
// refuses nesting over 512 open elements); the text then comes from the
// tokenizer alone, without layout.
func htmlToText(src string) (text string, ok bool) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return tokenText(src), false
	}
	w := &htmlWriter{atLineStart: true}
	for n := doc; ; {
		entered := w.open(n)
		if entered && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		if entered {
			w.close(n)
		}
		for n != doc && n.NextSibling == nil {
			n = n.Parent
			w.close(n)
		}
		if n == doc {
			break
		}
		n = n.NextSibling
	}
	return trimLines(w.b.String()), true
}

// tokenText extracts the text of an HTML document token by token: the
// fallback for documents the tree builder rejects. Skipped elements stay
// skipped; every tag that asks for a break gives a newline.
func tokenText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	w := &htmlWriter{atLineStart: true}
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return trimLines(w.b.String())
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped[a] {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if a == atom.Br {
				w.pendingNL = min(w.pendingNL+1, 2)
			}
			w.block(breaks[a])
		}
	}
}

// skipped elements are dropped with their content.
var skipped = map[atom.Atom]bool{
	atom.Head: true, atom.Style: true, atom.Script: true, atom.Template: true,
	atom.Title: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Audio: true,
	atom.Video: true, atom.Map: true, atom.Input: true, atom.Select: true,
	atom.Textarea: true,
}

// breaks gives the line breaks a block element asks for before and after
// itself: 1 starts a new line, 2 leaves a blank line.
var breaks = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Pre: 2, atom.Blockquote: 1, atom.Div: 1, atom.Section: 1, atom.Article: 1,
	atom.Header: 1, atom.Footer: 1, atom.Nav: 1, atom.Main: 1, atom.Aside: 1,
	atom.Address: 1, atom.Center: 1, atom.Form: 1, atom.Fieldset: 1, atom.Figure: 1,
	atom.Figcaption: 1, atom.Dl: 1, atom.Dt: 1, atom.Dd: 1, atom.Details: 1,
	atom.Summary: 1, atom.Ul: 1, atom.Ol: 1, atom.Li: 1, atom.Table: 1, atom.Tr: 1,
	atom.Caption: 1, atom.Hr: 1, atom.Body: 1,
}

type htmlWriter struct {
	b            strings.Builder
	atLineStart  bool
	pendingNL    int
	pendingSpace bool
	cellSep      bool
	quote        int
	pre          int
	lists        []int // -1 for <ul>, else the next <ol> number
	links        []link
}

type link struct {
	href  string
	start int
}

// open handles entering n and reports whether to visit its children.
func (w *htmlWriter) open(n *html.Node) bool {
	switch n.Type {
	case html.DocumentNode:
		return true
	case html.TextNode:
		w.text(n.Data)
		return false
	case html.ElementNode:
	default:
		return false
	}
	if skipped[n.DataAtom] || isHidden(n) {
		return false
	}
	w.block(breaks[n.DataAtom])
	switch n.DataAtom {
	case atom.Br:
		w.pendingNL = min(w.pendingNL+1, 2)
	case atom.Blockquote:
		w.quote++
	case atom.Div:
		if isQuoteDiv(n) {
			w.quote++
		}
	case atom.Pre:
		w.pre++
	case atom.Hr:
		w.word("________________________________")
	case atom.Ul:
		w.lists = append(w.lists, -1)
	case atom.Ol:
		start := 1
		if s, err := strconv.Atoi(attr(n, "start")); err == nil && s >= 0 && s < 1e6 {
			start = s
		}
		w.lists = append(w.lists, start)
	case atom.Li:
		w.bullet()
	case atom.Td, atom.Th:
		if !w.atLineStart && w.pendingNL == 0 {
			w.cellSep = true
		}
	case atom.Img:
		if !isPixel(n) {
			if alt := strings.Join(strings.Fields(attr(n, "alt")), " "); alt != "" {
				w.space()
				w.word("[image: " + alt + "]")
				w.space()
			}
		}
		return false
	case atom.A:
		w.links = append(w.links, link{href: strings.Join(strings.Fields(attr(n, "href")), ""), start: w.b.Len()})
	}
	return true
}

// close handles leaving an element whose children were visited.
func (w *htmlWriter) close(n *html.Node) {
	if n.Type != html.ElementNode {
		return
	}
	switch n.DataAtom {
	case atom.Blockquote:
		w.quote--
	case atom.Div:
		if isQuoteDiv(n) {
			w.quote--
		}
	case atom.Pre:
		w.pre--
	case atom.Ul, atom.Ol:
		if len(w.lists) > 0 {
			w.lists = w.lists[:len(w.lists)-1]
		}
	case atom.A:
		if len(w.links) > 0 {
			l := w.links[len(w.links)-1]
			w.links = w.links[:len(w.links)-1]
			if text := strings.Join(strings.Fields(w.b.String()[l.start:]), " "); showURL(l.href, text) {
				w.space()
				w.word("<" + l.href + ">")
			}
		}
	}
	w.block(breaks[n.DataAtom])
}

// block asks for k line breaks before the next text.
func (w *htmlWriter) block(k int) {
	w.pendingNL = max(w.pendingNL, k)
}

func (w *htmlWriter) space() {
	w.pendingSpace = true
}

// flush writes pending breaks, the quote prefix at a line start, or the
// pending space or cell separator between words.
func (w *htmlWriter) flush() {
	if w.pendingNL > 0 && w.b.Len() > 0 {
		for i := 0; i < w.pendingNL; i++ {
			w.b.WriteByte('\n')
			if i < w.pendingNL-1 && w.quote > 0 {
				w.b.WriteString(strings.Repeat(">", w.quote))
			}
		}
		w.atLineStart = true
	}
	w.pendingNL = 0
	switch {
	case w.atLineStart:
		if w.quote > 0 {
			w.b.WriteString(strings.Repeat(">", w.quote))
			w.b.WriteByte(' ')
		}
	case w.cellSep:
		w.b.WriteString(" | ")
	case w.pendingSpace:
		w.b.WriteByte(' ')
	}
	w.cellSep, w.pendingSpace = false, false
}

// word writes s as one unit of text.
func (w *htmlWriter) word(s string) {
	w.flush()
	w.b.WriteString(s)
	w.atLineStart = false
}

func (w *htmlWriter) bullet() {
	w.flush()
	depth := len(w.lists)
	if depth > 1 {
		w.b.WriteString(strings.Repeat("  ", min(depth-1, 10)))
	}
	if depth > 0 && w.lists[depth-1] >= 0 {
		w.b.WriteString(strconv.Itoa(w.lists[depth-1]) + ". ")
		w.lists[depth-1]++
	} else {
		w.b.WriteString("• ")
	}
	w.atLineStart = false
}

// invisible are characters newsletters pad preheaders with.
var invisible = strings.NewReplacer("\u00a0", " ", "\u200b", "", "\u200c", "", "\ufeff", "", "\u034f", "", "\u00ad", "", "\u2060", "")

func (w *htmlWriter) text(s string) {
	s = invisible.Replace(s)
	if w.pre > 0 {
		for i, l := range strings.Split(s, "\n") {
			if i > 0 {
				w.pendingNL++
			}
			if l = strings.TrimRight(l, "\r"); l != "" {
				w.word(l)
			}
		}
		return
	}
	if s == "" {
		return
	}
	if isSpaceByte(s[0]) {
		w.space()
	}
	for i, f := range strings.Fields(s) {
		if i > 0 {
			w.space()
		}
		w.word(f)
	}
	if isSpaceByte(s[len(s)-1]) {
		w.space()
	}
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// showURL reports whether a link's target adds something to its text.
func showURL(href, text string) bool {
	if href == "" || text == "" {
		return false
	}
	low := strings.ToLower(href)
	for _, p := range []string{"#", "javascript:", "cid:", "data:"} {
		if strings.HasPrefix(low, p) {
			return false
		}
	}
	return normURL(href) != normURL(text)
}

func normURL(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"mailto:", "tel:", "https://", "http://", "www."} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "/")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// styleDecls parses an inline style into lower-case property → value.
func styleDecls(n *html.Node) map[string]string {
	s := attr(n, "style")
	if s == "" {
		return nil
	}
	m := map[string]string{}
	for _, d := range strings.Split(strings.ToLower(s), ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		m[strings.TrimSpace(k)] = v
	}
	return m
}

// isHidden reports elements a mail client does not show: the hidden
// attribute, display:none, visibility:hidden, mso-hide:all, opacity 0,
// or a zero max-height with overflow hidden (the preheader trick).
func isHidden(n *html.Node) bool {
	if hasAttr(n, "hidden") {
		return true
	}
	d := styleDecls(n)
	if d == nil {
		return false
	}
	switch {
	case d["display"] == "none", d["visibility"] == "hidden", d["mso-hide"] == "all":
		return true
	case d["opacity"] == "0" || d["opacity"] == "0.0":
		return true
	case isZero(d["max-height"]) && d["overflow"] == "hidden":
		return true
	}
	return false
}

// isPixel reports tracking pixels and spacers: an image 1 px or less wide
// or high, by attribute or style.
func isPixel(n *html.Node) bool {
	d := styleDecls(n)
	for _, k := range []string{"width", "height"} {
		if v := attr(n, k); v != "" && tiny(v) {
			return true
		}
		if v, ok := d[k]; ok && tiny(v) {
			return true
		}
	}
	return false
}

// tiny reports a length of at most 1 (px or unitless).
func tiny(v string) bool {
	v = strings.TrimSuffix(strings.TrimSpace(v), "px")
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f <= 1
}

func isZero(v string) bool {
	v = strings.TrimSpace(v)
	return v == "0" || v == "0px" || v == "0em" || v == "0%"
}

// isQuoteDiv reports quote containers that are not blockquotes: Yahoo
// puts the quoted history in plain divs.
func isQuoteDiv(n *html.Node) bool {
	return strings.Contains(attr(n, "class"), "yahoo_quoted")
}
