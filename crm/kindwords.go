package crm

import (
	"fmt"
	"strconv"
	"strings"
)

// A deliverable's kind is kept singular ("story"), so the terms' specs and
// the tracked deliverables compare by it, and is written with its count
// in English ("1 instagram story", "3 instagram stories"). The parser
// reads either form back, so what the terms field shows parses to the
// same terms.

// kindsUncounted are kinds whose plural is the word itself.
var kindsUncounted = map[string]bool{"series": true, "news": true, "species": true}

// kindsEndingIE are singulars ending in "ie", whose plural ("selfies")
// would otherwise read as one of "selfy".
var kindsEndingIE = map[string]bool{"selfie": true, "movie": true, "cookie": true, "goodie": true, "freebie": true,
	"hoodie": true, "rookie": true, "smoothie": true, "brownie": true, "zombie": true, "newbie": true}

// singular turns a kind as typed ("videos", "stories", "boxes") into the
// kind kept. singular(singular(k)) == singular(k): every rule's result
// is left alone by the rules, so a kept kind reads back as itself.
func singular(k string) string {
	n := len(k)
	switch {
	case kindsUncounted[k]:
		return k
	case n > 4 && strings.HasSuffix(k, "ies"):
		if kindsEndingIE[k[:n-1]] {
			return k[:n-1]
		}
		return k[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(k, "sses") || strings.HasSuffix(k, "xes") || strings.HasSuffix(k, "ches") || strings.HasSuffix(k, "shes")):
		return k[:n-2]
	case n > 3 && strings.HasSuffix(k, "s") && !strings.HasSuffix(k, "ss") && !strings.HasSuffix(k, "us") && !strings.HasSuffix(k, "is"):
		return k[:n-1]
	}
	return k
}

// Count writes n of a noun in English, "1 mail" or "2 mails", with the
// plural rules deliverable kinds use, so every message counts things the
// same way and none falls back to "mail(s)".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + plural(noun)
}

// plural is the English plural of a kind kept singular.
func plural(k string) string {
	n := len(k)
	switch {
	case k == "" || kindsUncounted[k]:
		return k
	case n > 1 && k[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(k[n-2])):
		return k[:n-1] + "ies"
	case strings.HasSuffix(k, "s") || strings.HasSuffix(k, "x") || strings.HasSuffix(k, "ch") || strings.HasSuffix(k, "sh"):
		return k + "es"
	}
	return k + "s"
}

// counted writes n of a platform's kind: "2 tiktok videos". A plural the
// parser would not read back as the kind (a rare word such as "bonus")
// keeps the singular, so the terms still parse to themselves.
func counted(n int, p Platform, kind string) string {
	word := kind
	if n != 1 && singular(plural(kind)) == kind {
		word = plural(kind)
	}
	return fmt.Sprintf("%d %s %s", n, p, word)
}
