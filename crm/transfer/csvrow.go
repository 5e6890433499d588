package transfer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"roster/crm"
)

// rowHandle is a handle found on a row, with where it came from so that
// per-platform followers columns find it.
type rowHandle struct {
	h      crm.Handle
	slot   int  // slot of its per-platform column
	column bool // came from a per-platform column (not a generic one)
	hasF   bool // followers already set: per-platform columns win over generic ones
	hasE   bool // engagement already set, likewise
}

// record reads one data row. A row with any problem gives problems and no
// record.
func (l layout) record(file string, line int, rec []string) (crm.ImportRecord, []crm.Problem) {
	r := crm.ImportRecord{Line: line, StageColumn: l.hasStage}
	var probs []crm.Problem
	var probCols []int // the column of each problem, to list them in order
	problem := func(c column, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if c.header != "" {
			msg = c.header + ": " + msg
		}
		probs = append(probs, crm.Problem{File: file, Line: line, Msg: msg})
		probCols = append(probCols, c.index)
	}
	cell := func(c column) string {
		if c.index >= len(rec) {
			return ""
		}
		v := unguard(strings.TrimSpace(rec[c.index]))
		return strings.TrimSpace(v)
	}

	var (
		first, last       string
		rowPlatform       crm.Platform
		handles           []rowHandle
		contactProblem    bool // an email or handle cell had a problem
		platformProblem   bool // the platform cell had a problem
		notes, tags       []string
		dncTrue, dncFalse bool
	)
	// Values of every used column, checked for damaged text first.
	vals := make([]string, len(l.cols))
	for i, c := range l.cols {
		v := cell(c)
		if !utf8.ValidString(v) {
			problem(c, "invalid UTF-8 text (the file mixes text encodings; save it as UTF-8 and import again)")
			v = ""
			switch c.field {
			case fieldEmail, fieldHandle:
				contactProblem = true
			case fieldPlatform:
				platformProblem = true
			}
		}
		vals[i] = v
	}
	for i, c := range l.cols {
		v := vals[i]
		if c.field == fieldPlatform && v != "" && rowPlatform == "" {
			p, err := crm.ParsePlatform(v)
			if err != nil {
				problem(c, "%v", err)
				platformProblem = true
				continue
			}
			rowPlatform = p
		}
	}

	addHandle := func(rh rowHandle) {
		for i := range handles {
			if handles[i].h.Platform == rh.h.Platform && handles[i].h.Handle == rh.h.Handle {
				if rh.column && !handles[i].column {
					handles[i].slot, handles[i].column = rh.slot, true
				}
				return
			}
		}
		handles = append(handles, rh)
	}

	for i, c := range l.cols {
		v := vals[i]
		if v == "" {
			continue
		}
		switch c.field {
		case fieldName:
			if r.Name == "" {
				r.Name = strings.Join(strings.Fields(v), " ")
			}
		case fieldFirstName:
			if first == "" {
				first = v
			}
		case fieldLastName:
			if last == "" {
				last = v
			}
		case fieldEmail:
			for _, e := range splitEmails(v) {
				if err := crm.CheckEmail(e); err != nil {
					problem(c, "%v", err)
					contactProblem = true
					continue
				}
				if !containsEmail(r.Emails, e) {
					r.Emails = append(r.Emails, e)
				}
			}
		case fieldHandle:
			hint, h, err := parseHandle(v)
			if err != nil {
				problem(c, "%v", err)
				contactProblem = true
				continue
			}
			if h == "" {
				continue
			}
			p := c.platform
			switch {
			case p != "" && hint != "" && hint != p:
				problem(c, "%s is a %s link, not %s", quote(v), hint, p)
				contactProblem = true
				continue
			case p == "" && hint != "":
				p = hint
			case p == "" && rowPlatform != "":
				p = rowPlatform
			case p == "" && platformProblem:
				contactProblem = true // already reported at the platform cell
				continue
			case p == "":
				problem(c, "%s has no platform: add a platform column, give a profile URL, or name the column after the platform (tiktok, instagram, youtube)", quote(v))
				contactProblem = true
				continue
			}
			addHandle(rowHandle{h: crm.Handle{Platform: p, Handle: h}, slot: c.slot, column: c.platform != ""})
		case fieldTags:
			tags = append(tags, strings.FieldsFunc(v, func(r rune) bool {
				return r == ',' || r == ';' || r == '\n' || r == '\r'
			})...)
		case fieldNotes:
			// One kind of line break: CSV itself turns \r\n into \n inside
			// quotes, so a stray \r would not survive the next export.
			if strings.IndexByte(v, '\r') >= 0 {
				v = lineBreaks.Replace(v)
			}
			notes = append(notes, v)
		case fieldSource:
			if r.Source == "" {
				r.Source = strings.Join(strings.Fields(v), " ")
			}
		case fieldOwner:
			if r.Owner == "" {
				r.Owner = strings.Join(strings.Fields(v), " ")
			}
		case fieldStage:
			if r.Stage == "" {
				st, err := crm.ParseStage(v)
				if err != nil {
					problem(c, "%v", err)
					continue
				}
				r.Stage = st
			}
		case fieldDoNotContact:
			b, ok, err := parseBool(v)
			if err != nil {
				problem(c, "%v", err)
				continue
			}
			if ok && b {
				dncTrue = true
			} else if ok {
				dncFalse = true
			}
		}
	}

	// Audience figures go to the handle they describe: per-platform columns
	// first, then generic ones.
	find := func(p crm.Platform, slot int) int {
		for i, h := range handles {
			if h.h.Platform == p && h.column && h.slot == slot {
				return i
			}
		}
		if slot == 0 {
			for i, h := range handles {
				if h.h.Platform == p {
					return i
				}
			}
		}
		return -1
	}
	for pass := 0; pass < 2; pass++ {
		for i, c := range l.cols {
			if c.field != fieldFollowers && c.field != fieldEngagement {
				continue
			}
			if generic := c.platform == ""; generic != (pass == 1) {
				continue
			}
			v := vals[i]
			var n int64
			var ok bool
			var err error
			if c.field == fieldFollowers {
				n, ok, err = parseFollowers(v)
			} else {
				var bp int
				bp, ok, err = parseEngagement(v)
				n = int64(bp)
			}
			if err != nil {
				problem(c, "%v", err)
				continue
			}
			if !ok || n == 0 {
				continue
			}
			target := -1
			if c.platform != "" {
				if target = find(c.platform, c.slot); target < 0 && contactProblem {
					continue // the handle it belongs to already has a problem
				} else if target < 0 {
					problem(c, "%s but the row has no %s handle for it", quote(v), c.platform)
					continue
				}
			} else {
				var candidates []int
				for j, h := range handles {
					if rowPlatform == "" || h.h.Platform == rowPlatform {
						candidates = append(candidates, j)
					}
				}
				switch {
				case len(candidates) == 1:
					target = candidates[0]
				case len(candidates) == 0 && contactProblem:
					continue // the handle it belongs to already has a problem
				case len(candidates) == 0 && rowPlatform != "":
					problem(c, "%s but the row has no %s handle for it", quote(v), rowPlatform)
					continue
				case len(candidates) == 0:
					problem(c, "%s but the row has no handle for it", quote(v))
					continue
				default:
					problem(c, "%s could be any of the row's %d handles; use a platform column or per-platform columns such as \"tiktok followers\"", quote(v), len(candidates))
					continue
				}
			}
			h := &handles[target]
			if c.field == fieldFollowers {
				if c.platform != "" || !h.hasF {
					h.h.Followers = n
					h.hasF = true
				}
			} else {
				if c.platform != "" || !h.hasE {
					h.h.EngagementBP = int(n)
					h.hasE = true
				}
			}
		}
	}

	if r.Name == "" {
		r.Name = strings.Join(strings.Fields(first+" "+last), " ")
	}
	for _, h := range handles {
		r.Handles = append(r.Handles, h.h)
	}
	r.Tags = crm.CleanTags(tags)
	r.Notes = strings.Join(notes, "\n")
	switch {
	case dncTrue:
		t := true
		r.DoNotContact = &t
	case dncFalse:
		f := false
		r.DoNotContact = &f
	}
	// Problems in column order, then those of the whole row.
	if len(probs) > 1 {
		order := make([]int, len(probs))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(probCols[a], probCols[b]) })
		sorted := make([]crm.Problem, len(probs))
		for i, j := range order {
			sorted[i] = probs[j]
		}
		probs = sorted
	}
	if r.Name == "" {
		probs = append(probs, crm.Problem{File: file, Line: line, Msg: "no name"})
	}
	if len(r.Emails) == 0 && len(r.Handles) == 0 && !contactProblem {
		probs = append(probs, crm.Problem{File: file, Line: line,
			Msg: "no email or handle; roster needs one to recognise the creator on the next import"})
	}
	return r, probs
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// splitEmails splits a cell holding several addresses, separated by
// commas, semicolons or spaces, and unwraps "Maya Chen <maya@example.com>"
// and "mailto:" links.
func splitEmails(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		if i, j := strings.LastIndexByte(part, '<'), strings.LastIndexByte(part, '>'); i >= 0 && j > i {
			part = part[i+1 : j]
		}
		for _, e := range strings.Fields(part) {
			if len(e) >= 7 && strings.EqualFold(e[:7], "mailto:") {
				e = e[7:]
			}
			if e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

func containsEmail(list []string, e string) bool {
	n := crm.NormalizeEmail(e)
	for _, x := range list {
		if crm.NormalizeEmail(x) == n {
			return true
		}
	}
	return false
}

// platformHosts maps profile URL hosts to platforms.
var platformHosts = []struct {
	host string
	p    crm.Platform
}{
	{"tiktok.com", crm.TikTok}, {"instagram.com", crm.Instagram}, {"instagr.am", crm.Instagram},
	{"youtube.com", crm.YouTube}, {"youtu.be", crm.YouTube}, {"twitch.tv", crm.Twitch},
	{"twitter.com", crm.X}, {"x.com", crm.X}, {"pinterest.com", crm.Pinterest},
	{"snapchat.com", "snapchat"}, {"facebook.com", "facebook"}, {"linkedin.com", "linkedin"},
}

// pathPrefixes come before the account name in profile URLs
// (youtube.com/c/name, youtube.com/channel/ID).
var pathPrefixes = map[string]bool{"c": true, "channel": true, "user": true, "stories": true, "add": true, "in": true}

// postPaths start links to one post rather than to a profile.
var postPaths = map[string]bool{"p": true, "reel": true, "reels": true, "tv": true, "watch": true,
	"shorts": true, "video": true, "status": true, "pin": true, "playlist": true}

// parseHandle reads a handle cell: "@maya", "maya", or a profile URL, with
// or without scheme, query or "www.". hint is the platform a URL names,
// if any. A blank cell gives an empty handle and no error.
func parseHandle(v string) (hint crm.Platform, handle string, err error) {
	s := strings.TrimSpace(v)
	if blankValue(s) {
		return "", "", nil
	}
	// A URL has a scheme, or a host with a dot before its first "/". A bare
	// "www.x" is not one: a handle (letters, digits and ._-) must never
	// read as a URL, or an exported handle would not import again.
	lower := strings.ToLower(s)
	isURL := strings.Contains(lower, "://")
	if i := strings.IndexByte(lower, '/'); !isURL && i > 0 && strings.Contains(lower[:i], ".") && !strings.Contains(lower[:i], "@") {
		isURL = true
	}
	if isURL {
		rest := s
		if i := strings.Index(rest, "://"); i >= 0 {
			rest = rest[i+3:]
		}
		if i := strings.IndexAny(rest, "?#"); i >= 0 {
			rest = rest[:i]
		}
		host, path, _ := strings.Cut(rest, "/")
		host = strings.ToLower(host)
		if i := strings.LastIndexByte(host, ':'); i >= 0 {
			host = host[:i]
		}
		for _, ph := range platformHosts {
			if host == ph.host || strings.HasSuffix(host, "."+ph.host) {
				hint = ph.p
				break
			}
		}
		if hint == "" && strings.Contains(host, "pinterest.") {
			hint = crm.Pinterest
		}
		segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
		for len(segs) > 1 && pathPrefixes[strings.ToLower(segs[0])] {
			segs = segs[1:]
		}
		if len(segs) == 0 {
			return "", "", fmt.Errorf("%s has no account name in it", quote(s))
		}
		if postPaths[strings.ToLower(segs[0])] {
			return "", "", fmt.Errorf("%s links to a post, not to a profile", quote(s))
		}
		s = segs[0]
	}
	if s != "" && s[0] == '@' {
		s = s[1:]
	}
	if crm.CheckEmail(s) == nil {
		return "", "", fmt.Errorf("%s is an email address, not a handle", quote(v))
	}
	h := crm.NormalizeHandle(s)
	if h == "" {
		return hint, "", nil
	}
	if len(h) > 100 {
		return "", "", fmt.Errorf("%s is too long for a handle", quote(v))
	}
	for _, r := range h {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' && r != '-' {
			what := fmt.Sprintf("%q", r)
			if unicode.IsSpace(r) {
				what = "a space"
			}
			return "", "", fmt.Errorf("%s is not a handle (it has %s in it)", quote(v), what)
		}
	}
	return hint, h, nil
}

// guardChars start cells that spreadsheets run as formulas. WriteCSV puts
// a ' before such a cell so that an export opened in Excel cannot run
// code a creator put in their name; ReadCSV takes it off again.
const guardChars = "=+-@\t\r"

func guard(v string) string {
	if v != "" && strings.IndexByte(guardChars, v[0]) >= 0 {
		return "'" + v
	}
	return v
}

func unguard(v string) string {
	if len(v) >= 2 && v[0] == '\'' && strings.IndexByte(guardChars, v[1]) >= 0 {
		return v[1:]
	}
	return v
}
