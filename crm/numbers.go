package crm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseFollowers reads an audience size the way people write it in
// spreadsheets and forms: "12500", "12,500", "12 500", "12.5k", "1.2M",
// "12.5K followers". Decimal commas ("12,5k") are accepted when a
// suffix makes the meaning unambiguous.
func ParseFollowers(s string) (int64, error) {
	orig := s
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "followers")
	s = strings.TrimSuffix(s, "follower")
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1e3, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1e6, strings.TrimSuffix(s, "m")
	case strings.HasSuffix(s, "b"):
		mult, s = 1e9, strings.TrimSuffix(s, "b")
	}
	s = strings.TrimSpace(s)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "_", "", "'", "").Replace(s)
	if mult > 1 {
		s = strings.ReplaceAll(s, ",", ".")
	} else {
		s = strings.ReplaceAll(s, ",", "")
		if strings.Count(s, ".") > 1 || (strings.Contains(s, ".") && len(s)-strings.LastIndexByte(s, '.') == 4) {
			s = strings.ReplaceAll(s, ".", "") // 12.500 as a European thousands separator
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || f*mult > 1e13 {
		return 0, fmt.Errorf("%q is not a follower count", strings.TrimSpace(orig))
	}
	return int64(math.Round(f * mult)), nil
}

// ParseEngagement reads an engagement rate as basis points: "4.2%" and
// "4,2 %" are 420, a fraction like "0.042" is read as 4.2%, and a bare
// number above 1 ("4.2") as a percentage.
func ParseEngagement(s string) (int, error) {
	orig := strings.TrimSpace(s)
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not an engagement rate", orig)
	}
	if !pct && f <= 1 {
		f *= 100
	}
	if f > 100 {
		return 0, fmt.Errorf("%q is more than 100%%", orig)
	}
	return int(math.Round(f * 100)), nil
}

// FormatFollowers prints an audience compactly: 950, 12.5k, 1.2M.
func FormatFollowers(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10)
	case n < 1_000_000:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/1e3)) + "k"
	default:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/1e6)) + "M"
	}
}

// Percent prints basis points as a percentage with no more decimals than
// it needs: 5000 → "50%", 1250 → "12.5%", 425 → "4.25%". It is the one
// way roster writes a share, a commission or a rate, so what ParsePercent
// and ParseEngagement read back is what was shown.
func Percent(bp int) string {
	sign := ""
	n := int64(bp)
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + trimZero(fmt.Sprintf("%d.%02d", n/100, n%100)) + "%"
}

// FormatEngagement prints an engagement rate in basis points as a
// percentage, 420 → "4.2%": Percent under the name that pairs with
// ParseEngagement.
func FormatEngagement(bp int) string { return Percent(bp) }

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
