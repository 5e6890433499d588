package msgparse

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// date reads the Date field: net/mail first, then the broken formats seen
// in the wild. A hopeless value gives the zero time and a Problem (the
// sync engine can fall back to INTERNALDATE).
func (p *parser) date(fields []field) time.Time {
	v := strings.TrimSpace(get(fields, "Date"))
	if v == "" {
		p.problem("no Date header")
		return time.Time{}
	}
	if t, ok := parseDate(v); ok {
		return t
	}
	p.problem("unreadable Date %q", truncRunes(fixUTF8String(v), 60))
	return time.Time{}
}

var (
	commentRe = regexp.MustCompile(`\([^()]*\)`)
	// gmtOffRe matches "GMT+0100", "UTC-05:00", "UTC+1".
	gmtOffRe = regexp.MustCompile(`(?i)\b(?:gmt|utc|ut)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b`)
	// zoneWordRe matches an alphabetic zone after the time of day.
	zoneWordRe = regexp.MustCompile(`(\d:\d\d(?::\d\d)?(?:\s*[AaPp][Mm])?)\s+([A-Za-z]{1,5})\b`)
	// numZoneRe matches a numeric offset.
	numZoneRe  = regexp.MustCompile(`[+-]\d\d:?\d\d\b`)
	weekdayRe  = regexp.MustCompile(`^[A-Za-z]+\.?,?\s+`)
	multiSpace = regexp.MustCompile(`\s+`)
)

// zones maps the RFC 5322 obsolete zone names (and a few common others)
// to offsets. time.Parse would otherwise give them offset 0, or the local
// zone's offset when the abbreviation matches it: machine-dependent.
var zones = map[string]string{
	"ut": "+0000", "utc": "+0000", "gmt": "+0000", "z": "+0000",
	"est": "-0500", "edt": "-0400", "cst": "-0600", "cdt": "-0500",
	"mst": "-0700", "mdt": "-0600", "pst": "-0800", "pdt": "-0700",
	"cet": "+0100", "cest": "+0200", "met": "+0100", "mest": "+0200",
	"bst": "+0100", "eet": "+0200", "eest": "+0300", "wet": "+0000",
	"west": "+0100", "jst": "+0900", "kst": "+0900", "aest": "+1000",
}

var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 January 2006 15:04:05 -0700",
	"2-Jan-2006 15:04:05 -0700",
	"Jan 2 15:04:05 2006 -0700",
	"Jan 2 15:04:05 -0700 2006",
	"Jan 2 2006 15:04:05 -0700",
	"January 2, 2006 15:04:05 -0700",
	"January 2, 2006 3:04 PM -0700",
	"January 2, 2006 3:04:05 PM -0700",
	"2 Jan 2006 3:04:05 PM -0700",
	"2 Jan 2006 3:04 PM -0700",
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05 -0700",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05 -0700",
	"2006/01/02 15:04:05 -0700",
	"02.01.2006 15:04:05 -0700",
	"02.01.2006 15:04 -0700",
	"2 Jan 2006 -0700",
	"2006-01-02 -0700",
}

// parseDate parses a Date value; ok is false when nothing fits.
func parseDate(v string) (time.Time, bool) {
	v = fixUTF8String(v)
	// Fast path: what nearly all mail sends (net/mail tries many
	// layouts, each failure allocating an error).
	if t, err := time.Parse("Mon, 2 Jan 2006 15:04:05 -0700", v); err == nil {
		return t, true
	}
	if t, err := mail.ParseDate(v); err == nil && !hasZoneWord(v) {
		return t, true
	}
	s := commentRe.ReplaceAllString(v, " ")
	s = multiSpace.ReplaceAllString(strings.TrimSpace(s), " ")
	s = gmtOffRe.ReplaceAllStringFunc(s, func(m string) string {
		g := gmtOffRe.FindStringSubmatch(m)
		h, mm := g[2], g[3]
		if len(h) == 1 {
			h = "0" + h
		}
		if mm == "" {
			mm = "00"
		}
		return g[1] + h + mm
	})
	// An alphabetic zone: dropped when a numeric one is also there,
	// else replaced by its offset (unknown ones by +0000).
	hasNum := numZoneRe.MatchString(s)
	s = zoneWordRe.ReplaceAllStringFunc(s, func(m string) string {
		g := zoneWordRe.FindStringSubmatch(m)
		w := strings.ToLower(g[2])
		if w == "am" || w == "pm" {
			return m
		}
		if hasNum {
			return g[1]
		}
		if off, ok := zones[w]; ok {
			return g[1] + " " + off
		}
		return g[1] + " +0000"
	})
	if m := numZoneRe.FindStringIndex(s); m != nil {
		// Offsets written "+01:00" become "+0100".
		z := strings.ReplaceAll(s[m[0]:m[1]], ":", "")
		s = s[:m[0]] + z + s[m[1]:]
	}
	if strings.HasSuffix(s, "Z") && strings.Contains(s, "T") {
		s = strings.TrimSuffix(s, "Z") + "+0000"
	}
	s = strings.TrimSpace(weekdayRe.ReplaceAllStringFunc(s, func(m string) string {
		if isMonth(strings.TrimRight(m, "., ")) {
			return m
		}
		return ""
	}))
	candidates := []string{s}
	if !numZoneRe.MatchString(s) {
		candidates = append(candidates, s+" +0000")
	}
	for _, c := range candidates {
		if t, err := mail.ParseDate(c); err == nil {
			return t, true
		}
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, c); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// hasZoneWord reports an alphabetic zone that net/mail would resolve
// against the local zone (its offset would depend on the machine).
func hasZoneWord(v string) bool {
	v = commentRe.ReplaceAllString(v, " ")
	if numZoneRe.MatchString(v) {
		return false
	}
	f := strings.Fields(v)
	if len(f) == 0 {
		return false
	}
	last := strings.ToLower(f[len(f)-1])
	return last != "gmt" && last != "ut" && last != "utc" && last != "z"
}

func isMonth(s string) bool {
	if len(s) < 3 {
		return false
	}
	switch strings.ToLower(s[:3]) {
	case "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec":
		return true
	}
	return false
}
