package transfer

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"roster/crm"
)

// field is what a CSV column holds.
type field int

const (
	fieldNone field = iota
	fieldName
	fieldFirstName
	fieldLastName
	fieldEmail
	fieldHandle     // per-platform when column.platform is set, else generic
	fieldFollowers  // ditto
	fieldEngagement // ditto
	fieldPlatform
	fieldTags
	fieldNotes
	fieldSource
	fieldOwner
	fieldStage
	fieldDoNotContact
)

// column is one recognised header cell.
type column struct {
	index  int
	header string // as written in the file, trimmed, for messages
	field  field
	// platform and slot place per-platform handle, followers and
	// engagement columns: "tiktok 2 followers" is TikTok, slot 1.
	platform crm.Platform
	slot     int
}

// Header keys are the header cell lower-cased with everything but letters
// and digits removed ("E-mail Address" → "emailaddress"), and with a small
// number word taken out as a slot ("Email 2", "TikTok 2 Followers").
var simpleKeys = map[string]field{}

func init() {
	add := func(f field, keys ...string) {
		for _, k := range keys {
			simpleKeys[k] = f
		}
	}
	add(fieldName, "name", "fullname", "creator", "creatorname", "creatorsname", "creatorfullname",
		"influencer", "influencername", "influencersname", "displayname", "contactname", "talent", "talentname")
	add(fieldFirstName, "firstname", "first", "givenname", "forename")
	add(fieldLastName, "lastname", "last", "surname", "familyname")
	add(fieldPlatform, "platform", "network", "socialnetwork", "socialplatform", "socialmedia", "site", "app")
	add(fieldTags, "tags", "tag", "labels", "label", "categories", "category", "niche", "niches",
		"topics", "topic", "vertical", "verticals", "keywords", "contentcategory", "contentcategories", "interests")
	add(fieldNotes, "notes", "note", "comments", "comment", "remarks", "remark", "memo")
	add(fieldSource, "source", "leadsource", "origin", "foundvia", "foundon", "foundthrough",
		"discoveredvia", "discoveredon")
	add(fieldOwner, "owner", "assignedto", "assignee", "accountowner", "ownedby", "recruiter",
		"partnershipmanager", "partnershipsmanager")
	add(fieldStage, "stage", "status", "pipelinestage", "dealstage", "dealstatus", "outreachstatus", "pipelinestatus")
	add(fieldDoNotContact, "donotcontact", "dnc", "unsubscribed", "unsubscribe", "optout", "optedout",
		"donotemail", "nocontact")
	for k := range genericHandleKeys {
		simpleKeys[k] = fieldHandle
	}
	for k := range followersKeys {
		simpleKeys[k] = fieldFollowers
	}
	for k := range engagementKeys {
		simpleKeys[k] = fieldEngagement
	}
}

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

var (
	// genericHandleKeys hold a handle or profile URL of any platform; the
	// platform comes from the URL or from a platform column.
	genericHandleKeys = set("handle", "handles", "username", "user", "account", "accounthandle",
		"creatorhandle", "socialhandle", "profile", "profileurl", "profilelink", "url", "link")
	// platformHandleSuffixes follow a platform name: "TikTok Handle",
	// "YouTube Channel". "Channel" alone is not a handle (CRMs use it for
	// the lead source).
	platformHandleSuffixes = set("", "handle", "handles", "username", "user", "account", "accounthandle",
		"profile", "profileurl", "profilelink", "url", "link", "channel", "channelurl", "channelname", "page")
	followersKeys = set("followers", "follower", "followercount", "followerscount", "numberoffollowers",
		"nooffollowers", "offollowers", "followersnumber", "totalfollowers", "audience", "audiencesize",
		"subscribers", "subscriber", "subscribercount", "subscriberscount", "subs", "fans", "fancount")
	engagementKeys = set("engagement", "engagementrate", "engagementratepct", "engagementpercent",
		"engagementpct", "er", "eng", "engrate", "avgengagement", "avgengagementrate",
		"averageengagement", "averageengagementrate", "avger")

	emailBases      = set("email", "emails", "emailaddress", "emailaddresses", "mail", "mailaddress", "emailid")
	emailQualifiers = []string{"contact", "business", "secondary", "alternate", "alternative", "alt", "other",
		"additional", "backup", "personal", "work", "primary", "second", "third", "main", "preferred",
		"creator", "public", "private", "extra", "all"}

	// notPlatforms are words that end up before "handle" in a header
	// without naming a platform ("Secondary Handle").
	notPlatforms = set("secondary", "other", "alt", "alternate", "backup", "main", "primary", "personal",
		"business", "creator", "social", "account", "user", "profile", "brand", "contact", "new", "old")
)

// platformAliases are the platform names a header may start or end with.
// Longest first, so that "instagram" is tried before "ig" would be.
var platformAliases = []struct {
	key string
	p   crm.Platform
}{
	{"instagram", crm.Instagram}, {"pinterest", crm.Pinterest}, {"snapchat", "snapchat"},
	{"facebook", "facebook"}, {"linkedin", "linkedin"}, {"youtube", crm.YouTube},
	{"twitter", crm.X}, {"tiktok", crm.TikTok}, {"twitch", crm.Twitch}, {"insta", crm.Instagram},
	{"ig", crm.Instagram}, {"yt", crm.YouTube}, {"tt", crm.TikTok}, {"x", crm.X},
}

// headerName is the header WriteCSV uses for a platform's handle column,
// one that ReadCSV maps back to the same platform: the bare name for
// platforms it knows by name, "<platform> handle" for others.
func headerName(p crm.Platform) string {
	for _, a := range platformAliases {
		if a.key == string(p) && a.p == p {
			return string(p)
		}
	}
	return string(p) + " handle"
}

// headerWords splits a header cell into lower-case words of letters or
// digits: "TikTok 2 Followers" → tiktok 2 followers, "Email2" → email 2.
func headerWords(h string) []string {
	var words []string
	var cur []rune
	var curDigit bool
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range h {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			d := unicode.IsDigit(r)
			if len(cur) > 0 && d != curDigit {
				flush()
			}
			curDigit = d
			cur = append(cur, unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "Creator's name": keep the s with its word.
		default:
			flush()
		}
	}
	flush()
	return words
}

// headerKey reduces a header cell to its key and slot: a number from 1 to
// 99 written as its own word ("Email 2", "tiktok 2nd") is the slot, minus
// one; any other number stays in the key.
func headerKey(h string) (key string, slot int) {
	words := headerWords(h)
	var b strings.Builder
	for i := 0; i < len(words); i++ {
		w := words[i]
		if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= 99 && len(w) <= 2 {
			slot = n - 1
			if i+1 < len(words) && slices.Contains([]string{"st", "nd", "rd", "th"}, words[i+1]) {
				i++
			}
			continue
		}
		b.WriteString(w)
	}
	return b.String(), slot
}

// classify maps one header cell to the field it holds. Unknown headers
// give fieldNone; platform names outside platformAliases are found later
// by classifyOtherPlatforms.
func classify(h string) (f field, p crm.Platform, slot int) {
	key, slot := headerKey(h)
	if key == "" {
		return fieldNone, "", 0
	}
	if isEmailKey(key) {
		return fieldEmail, "", slot
	}
	if f, ok := simpleKeys[key]; ok {
		return f, "", slot
	}
	for _, a := range platformAliases {
		if rest, ok := strings.CutPrefix(key, a.key); ok {
			if f := platformSuffix(rest); f != fieldNone {
				return f, a.p, slot
			}
		}
		if rest, ok := strings.CutSuffix(key, a.key); ok && rest != "" {
			for _, prep := range []string{"on", "in", "for"} {
				if r, ok := strings.CutSuffix(rest, prep); ok && r != "" {
					rest = r
					break
				}
			}
			if f := platformSuffix(rest); f != fieldNone && rest != "" {
				return f, a.p, slot
			}
		}
	}
	return fieldNone, "", 0
}

// platformSuffix says what a header holds for the platform it names.
func platformSuffix(rest string) field {
	switch {
	case platformHandleSuffixes[rest]:
		return fieldHandle
	case followersKeys[rest]:
		return fieldFollowers
	case engagementKeys[rest]:
		return fieldEngagement
	}
	return fieldNone
}

func isEmailKey(key string) bool {
	if emailBases[key] {
		return true
	}
	for _, q := range emailQualifiers {
		if rest, ok := strings.CutPrefix(key, q); ok && emailBases[rest] {
			return true
		}
	}
	return false
}

// classifyOtherPlatforms recognises platforms roster does not know by
// name, in the form WriteCSV writes them: "<platform> handle", and then
// "<platform> followers" and "<platform> engagement" for a platform that
// has a handle column. Anything looser would turn "Last Month Followers"
// into a platform.
func classifyOtherPlatforms(cols []column) {
	handles := map[crm.Platform]bool{}
	other := func(c column, suffix string) (crm.Platform, int, bool) {
		key, slot := headerKey(c.header)
		name, ok := strings.CutSuffix(key, suffix)
		if !ok || len(name) < 2 || notPlatforms[name] {
			return "", 0, false
		}
		p, err := crm.ParsePlatform(name)
		if err != nil {
			return "", 0, false
		}
		return p, slot, true
	}
	for i, c := range cols {
		if c.field != fieldNone {
			continue
		}
		if p, slot, ok := other(c, "handle"); ok {
			cols[i].field, cols[i].platform, cols[i].slot = fieldHandle, p, slot
			handles[p] = true
		}
	}
	for i, c := range cols {
		if c.field != fieldNone {
			continue
		}
		for _, s := range []struct {
			suffix string
			f      field
		}{{"followers", fieldFollowers}, {"engagement", fieldEngagement}} {
			if p, slot, ok := other(c, s.suffix); ok && handles[p] {
				cols[i].field, cols[i].platform, cols[i].slot = s.f, p, slot
				break
			}
		}
	}
}

// layout is the meaning of a file's columns.
type layout struct {
	cols    []column // recognised columns, in file order
	ignored []string // headers that mean nothing to roster, as written
	hasName, hasEmail, hasHandle,
	hasPlatform, hasStage bool
}

// readHeader classifies a header row.
func readHeader(cells []string) layout {
	cols := make([]column, len(cells))
	for i, h := range cells {
		h = strings.TrimSpace(h)
		f, p, slot := classify(h)
		cols[i] = column{index: i, header: h, field: f, platform: p, slot: slot}
	}
	classifyOtherPlatforms(cols)
	var l layout
	for _, c := range cols {
		switch c.field {
		case fieldNone:
			if c.header != "" {
				l.ignored = append(l.ignored, c.header)
			}
			continue
		case fieldName, fieldFirstName, fieldLastName:
			l.hasName = true
		case fieldEmail:
			l.hasEmail = true
		case fieldHandle:
			l.hasHandle = true
		case fieldPlatform:
			l.hasPlatform = true
		case fieldStage:
			l.hasStage = true
		}
		l.cols = append(l.cols, c)
	}
	return l
}

// usable reports whether a row could be the header: it names a name, email
// or handle column.
func (l layout) usable() bool { return l.hasName || l.hasEmail || l.hasHandle }
