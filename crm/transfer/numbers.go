package transfer

import (
	"errors"
	"strings"
)

// maxFollowers bounds follower counts: ten times the largest audience any
// account has, so that a pasted phone number is caught, not stored.
const maxFollowers = 10_000_000_000

var (
	// groupSeparators group digits and cannot be decimal points.
	groupSeparators = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "", "’", "", "_", "")
	spaces          = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "")
)

// blankValue reports whether a cell says "nothing here" in one of the ways
// spreadsheets do.
func blankValue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "-", "–", "—", "n/a", "na", "none", "null", "?", "unknown":
		return true
	}
	return false
}

// parseFollowers reads an audience size as people write it: "12500",
// "12,500", "12 500", "12.500" (European grouping), "12.5k", "12,5k",
// "1.2M", "12.5K followers", "12500.0" (pandas). set is false for a blank
// cell. The error message quotes the cell.
func parseFollowers(s string) (n int64, set bool, err error) {
	if blankValue(s) {
		return 0, false, nil
	}
	bad := func(why string) error { return errors.New(quote(s) + " " + why) }
	t := strings.ToLower(strings.TrimSpace(s))
	for _, w := range []string{"followers", "follower", "subscribers", "subs", "fans"} {
		if r, ok := strings.CutSuffix(t, w); ok {
			t = strings.TrimSpace(r)
			break
		}
	}
	mult := int64(1)
	for _, m := range []struct {
		suffix string
		mult   int64
	}{
		{"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9},
		{"mio", 1e6}, {"mln", 1e6}, {"mm", 1e6}, {"bn", 1e9},
		{"k", 1e3}, {"m", 1e6}, {"b", 1e9},
	} {
		if r, ok := strings.CutSuffix(t, m.suffix); ok {
			t, mult = strings.TrimSpace(r), m.mult
			break
		}
	}
	t = strings.TrimPrefix(t, "+")
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") {
		return 0, false, bad("is negative")
	}
	t = groupSeparators.Replace(t)
	if t == "" {
		return 0, false, bad("is not a number")
	}
	dots, commas := strings.Count(t, "."), strings.Count(t, ",")
	var dec byte // the decimal separator, if any
	switch {
	case dots > 0 && commas > 0:
		// The last one is the decimal separator: 1,234.5 or 1.234,5.
		dec = t[strings.LastIndexAny(t, ".,")]
	case dots+commas == 1:
		sep := byte('.')
		if commas == 1 {
			sep = ','
		}
		i := strings.IndexByte(t, sep)
		// "1,234" and "1.234" group thousands; "1.5", "12500.0" and any
		// number with a k or M suffix have a decimal part.
		if mult == 1 && len(t)-i-1 == 3 && i >= 1 && i <= 3 {
			dec = 0
		} else {
			dec = sep
		}
	}
	var intPart, fracPart string
	if dec != 0 {
		i := strings.LastIndexByte(t, dec)
		intPart, fracPart = t[:i], t[i+1:]
		if strings.ContainsAny(fracPart, ".,") || fracPart == "" {
			return 0, false, bad("is not a number")
		}
	} else {
		intPart = t
	}
	// What is left of the separators in intPart groups digits: groups of
	// three, or of two before the last three (Indian lakh grouping).
	if strings.ContainsAny(intPart, ".,") {
		groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == '.' || r == ',' })
		if len(groups) != strings.Count(intPart, ".")+strings.Count(intPart, ",")+1 || len(groups[0]) > 3 {
			return 0, false, bad("is not a number")
		}
		for i, g := range groups[1:] {
			if len(g) != 3 && (len(g) != 2 || i == len(groups)-2) {
				return 0, false, bad("is not a number")
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" {
		intPart = "0" // ".5k"
	}
	mant, scale, ok := decimal(intPart, fracPart)
	if !ok {
		if digitsOnly(intPart) && digitsOnly(fracPart) {
			return 0, false, bad("has too many digits")
		}
		return 0, false, bad("is not a number")
	}
	// Fold the multiplier into the scale ("1.25k" is 125 × 10), then
	// divide by what is left of it.
	whole := mult == 1
	for scale > 0 && mult >= 10 {
		mult /= 10
		scale--
	}
	if scale > 0 {
		p := pow10(scale)
		if whole && mant%p != 0 {
			return 0, false, bad("is not a whole number")
		}
		n = divRound(mant, p)
	} else {
		if mant > maxFollowers/mult {
			return 0, false, bad("is too large")
		}
		n = mant * mult
	}
	if n > maxFollowers {
		return 0, false, bad("is too large")
	}
	return n, true, nil
}

// parseEngagement reads an engagement rate into basis points: "4.2%",
// "4,2 %" and "4.2" are 4.2% (a number above 1 is a percentage), "0.042"
// is a fraction (1 or less is multiplied by 100). Rounds half away from
// zero: "4.225%" is 423.
func parseEngagement(s string) (bp int, set bool, err error) {
	if blankValue(s) {
		return 0, false, nil
	}
	bad := func(why string) error { return errors.New(quote(s) + " " + why) }
	t := strings.TrimSpace(s)
	t, pct := strings.CutSuffix(t, "%")
	t = strings.TrimPrefix(strings.TrimSpace(t), "+")
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") {
		return 0, false, bad("is negative")
	}
	t = spaces.Replace(t)
	if strings.Contains(t, ",") {
		if strings.Contains(t, ".") {
			return 0, false, bad("is not a number")
		}
		t = strings.Replace(t, ",", ".", 1) // decimal comma: 4,2%
	}
	intPart, fracPart, hasDot := strings.Cut(t, ".")
	if hasDot && fracPart == "" {
		fracPart = "0" // "4.%"
	}
	if intPart == "" && hasDot {
		intPart = "0" // ".042"
	}
	if intPart == "" {
		return 0, false, bad("is not a number")
	}
	if len(intPart)+len(fracPart) > 12 {
		return 0, false, bad("is not a sensible engagement rate")
	}
	mant, scale, ok := decimal(intPart, fracPart)
	if !ok {
		return 0, false, bad("is not a number")
	}
	factor := int64(100) // percent → basis points
	if !pct && mant <= pow10(scale) {
		factor = 10_000 // a fraction: 0.042 is 4.2%
	}
	v := divRound(mant*factor, pow10(scale))
	if v > 100_00 {
		return 0, false, bad("is more than 100%")
	}
	return int(v), true, nil
}

// parseBool reads yes/no cells: yes, y, true, 1, x, ✓ are true; no, n,
// false, 0 are false; blank is not set.
func parseBool(s string) (v bool, set bool, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return false, false, nil
	case "yes", "y", "true", "t", "1", "x", "✓", "✔", "ja", "oui", "sí", "si":
		return true, true, nil
	case "no", "n", "false", "f", "0", "nein", "non":
		return false, true, nil
	}
	return false, false, errors.New(quote(s) + " is not yes or no")
}

// decimal reads digit strings as mant / 10^scale, refusing anything that
// would not fit comfortably in an int64.
func decimal(intPart, fracPart string) (mant int64, scale int, ok bool) {
	if !digitsOnly(intPart) || !digitsOnly(fracPart) || intPart == "" {
		return 0, 0, false
	}
	digits := strings.TrimLeft(intPart, "0") + fracPart
	// Trailing zeros of the fraction carry no value.
	for len(fracPart) > 0 && fracPart[len(fracPart)-1] == '0' {
		fracPart = fracPart[:len(fracPart)-1]
		digits = digits[:len(digits)-1]
	}
	if len(strings.TrimLeft(digits, "0")) > 17 {
		return 0, 0, false
	}
	for i := 0; i < len(digits); i++ {
		mant = mant*10 + int64(digits[i]-'0')
	}
	return mant, len(fracPart), true
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// divRound divides non-negative a by positive b, rounding half away from
// zero.
func divRound(a, b int64) int64 {
	q, r := a/b, a%b
	if r*2 >= b {
		q++
	}
	return q
}

func quote(s string) string { return `"` + s + `"` }
