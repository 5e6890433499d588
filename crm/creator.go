package crm

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Creator is a person roster works with: identity, contact points and
// audience. A creator can have deals in several campaigns.
type Creator struct {
	ID ID `json:"id"`
	// Version counts saves. An update carries the version it was read at
	// and fails with ErrConflict when someone saved in between.
	Version uint64 `json:"version"`
	Name    string `json:"name"`
	// Emails are every address the creator writes from; the first is the
	// one roster sends to. Any of them links mail to the creator.
	Emails  []string `json:"emails"`
	Handles []Handle `json:"handles"`
	Tags    []string `json:"tags"`
	// Source says where the creator was found: "tiktok marketplace",
	// "loyalty program", "referral".
	Source string `json:"source"`
	// Owner is the teammate responsible for the relationship.
	Owner string `json:"owner"`
	Notes string `json:"notes"`
	// DoNotContact keeps the creator out of every outreach.
	DoNotContact bool      `json:"do_not_contact"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Handle is an account on one platform.
type Handle struct {
	Platform Platform `json:"platform"`
	// Handle is stored without the leading "@".
	Handle    string `json:"handle"`
	Followers int64  `json:"followers"`
	// EngagementBP is the engagement rate in basis points (4.2% = 420),
	// an integer so that exports and comparisons are exact.
	EngagementBP int `json:"engagement_bp"`
}

// Platform names a social network in lower case ("tiktok", "instagram").
type Platform string

// The platforms roster knows by name; others are accepted as written.
const (
	TikTok    Platform = "tiktok"
	Instagram Platform = "instagram"
	YouTube   Platform = "youtube"
	Twitch    Platform = "twitch"
	X         Platform = "x"
	Pinterest Platform = "pinterest"
)

var platformSynonyms = map[string]Platform{
	"tiktok": TikTok, "tik tok": TikTok, "tt": TikTok,
	"instagram": Instagram, "ig": Instagram, "insta": Instagram,
	"youtube": YouTube, "yt": YouTube,
	"twitch": Twitch,
	"x":      X, "twitter": X,
	"pinterest": Pinterest,
}

// ParsePlatform reads a platform name with the usual abbreviations
// ("ig", "yt"); an unknown but plausible name is kept in lower case.
func ParsePlatform(s string) (Platform, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	if p, ok := platformSynonyms[k]; ok {
		return p, nil
	}
	if k == "" || strings.IndexFunc(k, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		return "", fmt.Errorf("unknown platform %q (a platform name has letters only)", s)
	}
	return Platform(k), nil
}

// Short is a two-letter label for narrow card layouts.
func (p Platform) Short() string {
	switch p {
	case TikTok:
		return "TT"
	case Instagram:
		return "IG"
	case YouTube:
		return "YT"
	case Twitch:
		return "TW"
	case X:
		return "X"
	case Pinterest:
		return "PI"
	}
	if len(p) >= 2 {
		return strings.ToUpper(string(p[:2]))
	}
	return strings.ToUpper(string(p))
}

// NormalizeHandle strips the "@", a profile URL prefix and surrounding
// space, and lower-cases the result: platforms treat handles
// case-insensitively, so "@Maya.Chen" and "maya.chen" are one account.
func NormalizeHandle(h string) string {
	h = strings.TrimSpace(h)
	if i := strings.IndexByte(h, '/'); i > 0 && strings.Contains(h[:i], ".") || strings.Contains(h, "://") {
		// A profile URL: the handle is the last path segment.
		if q := strings.IndexAny(h, "?#"); q >= 0 {
			h = h[:q]
		}
		h = strings.TrimRight(h, "/")
		h = h[strings.LastIndex(h, "/")+1:]
	}
	h = strings.TrimPrefix(h, "@")
	return strings.ToLower(h)
}

// Tier is the audience-size class the industry uses to price creators.
type Tier string

// The tiers, by follower count.
const (
	Nano  Tier = "nano"  // < 10k
	Micro Tier = "micro" // 10k - 100k
	Mid   Tier = "mid"   // 100k - 500k
	Macro Tier = "macro" // 500k - 1M
	Mega  Tier = "mega"  // > 1M
	// Unknown is the tier of a creator whose audience nobody entered
	// (followers 0): not nano, which would price them as small.
	Unknown Tier = ""
)

// TierFor classifies a follower count. Boundaries belong to the upper
// tier: exactly 10,000 followers is micro. No followers is Unknown.
func TierFor(followers int64) Tier {
	switch {
	case followers <= 0:
		return Unknown
	case followers < 10_000:
		return Nano
	case followers < 100_000:
		return Micro
	case followers < 500_000:
		return Mid
	case followers <= 1_000_000:
		return Macro
	default:
		return Mega
	}
}

// BestHandle is the handle with the most followers, the one a card shows.
// ok is false when the creator has no handles.
func (c *Creator) BestHandle() (h Handle, ok bool) {
	for i, x := range c.Handles {
		if i == 0 || x.Followers > h.Followers {
			h, ok = x, true
		}
	}
	return h, ok
}

// Followers is the largest audience on any platform.
func (c *Creator) Followers() int64 {
	h, _ := c.BestHandle()
	return h.Followers
}

// Tier derives the creator's tier from their largest audience.
func (c *Creator) Tier() Tier { return TierFor(c.Followers()) }

// PrimaryEmail is the address roster writes to, or "".
func (c *Creator) PrimaryEmail() string {
	if len(c.Emails) == 0 {
		return ""
	}
	return c.Emails[0]
}

// HasTag reports whether the creator carries tag, ignoring case.
func (c *Creator) HasTag(tag string) bool {
	return slices.ContainsFunc(c.Tags, func(t string) bool { return strings.EqualFold(t, tag) })
}

// Validate checks the rules every stored creator obeys and cleans what can
// be cleaned (trimming, normalising handles, dropping duplicate emails and
// tags). Errors name the field.
func (c *Creator) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return &FieldError{Field: "name", Msg: "is empty"}
	}
	if strings.ContainsAny(c.Name, "\r\n") {
		return &FieldError{Field: "name", Msg: "has a line break"}
	}
	var emails []string
	seen := map[string]bool{}
	for _, e := range c.Emails {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if err := CheckEmail(e); err != nil {
			return &FieldError{Field: "email", Msg: err.Error()}
		}
		n := NormalizeEmail(e)
		if seen[n] {
			continue
		}
		seen[n] = true
		emails = append(emails, e)
	}
	c.Emails = emails
	var handles []Handle
	seenH := map[string]bool{}
	for _, h := range c.Handles {
		h.Handle = NormalizeHandle(h.Handle)
		if h.Handle == "" {
			continue
		}
		if h.Platform == "" {
			return &FieldError{Field: "handle", Msg: fmt.Sprintf("@%s has no platform", h.Handle)}
		}
		if strings.ContainsAny(h.Handle, " \t\r\n") {
			return &FieldError{Field: "handle", Msg: fmt.Sprintf("%q has a space", h.Handle)}
		}
		if h.Followers < 0 {
			return &FieldError{Field: "followers", Msg: "is negative"}
		}
		if h.EngagementBP < 0 || h.EngagementBP > 100_00 {
			return &FieldError{Field: "engagement", Msg: "must be between 0% and 100%"}
		}
		k := string(h.Platform) + ":" + h.Handle
		if seenH[k] {
			continue
		}
		seenH[k] = true
		handles = append(handles, h)
	}
	c.Handles = handles
	c.Tags = CleanTags(c.Tags)
	c.Source = strings.TrimSpace(c.Source)
	c.Owner = strings.TrimSpace(c.Owner)
	return nil
}

// CleanTags trims tags, drops empty ones and duplicates (ignoring case)
// and keeps the first spelling.
func CleanTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			continue
		}
		out = append(out, t)
	}
	return out
}
