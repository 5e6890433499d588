package crm

import (
	"fmt"
	"strconv"
	"strings"
)

// minorDigits lists the ISO 4217 currencies whose minor unit is not the
// usual cent (two digits). Amounts are kept in minor units, so parsing
// and printing need the exponent; anything not listed has two.
var minorDigits = map[string]int{
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}

// MinorDigits is how many decimal digits the currency's minor unit has
// (2 for USD, 0 for JPY, 3 for KWD).
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// NormalizeCurrency upper-cases and checks an ISO 4217 code: three
// letters. An empty code is an error, because an amount without a
// currency cannot be compared with anything. The error names field, and
// says "currency is missing" unless field is itself "currency".
func NormalizeCurrency(field, code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		if c == "" {
			msg := "currency is missing (a three-letter ISO 4217 code such as USD)"
			if field == "currency" {
				msg = strings.TrimPrefix(msg, "currency ")
			}
			return "", &FieldError{Field: field, Msg: msg}
		}
		return "", &FieldError{Field: field, Msg: fmt.Sprintf("%q is not a currency (a three-letter ISO 4217 code such as USD)", code)}
	}
	return c, nil
}

// ParseMoney reads an amount as people type it in currency cur: "500",
// "1,250.50", "1250.5", optionally with the code before or after it
// ("USD 500", "500 eur"), which then overrides cur. Thousands separators
// must group by three, so "1,2,00" is refused rather than guessed at.
// Errors are *FieldError naming field, except that a bad or missing cur
// is named "currency": forms keep the code in a field of its own, and the
// error must send the manager there, not to the amount.
func ParseMoney(field, s, cur string) (Money, error) {
	orig := strings.TrimSpace(s)
	t := orig
	curField := "currency"
	if f := strings.Fields(t); len(f) == 2 {
		switch {
		case isLetters(f[0]):
			cur, t, curField = f[0], f[1], field
		case isLetters(f[1]):
			cur, t, curField = f[1], f[0], field
		}
	}
	code, err := NormalizeCurrency(curField, cur)
	if err != nil {
		return Money{}, err
	}
	bad := &FieldError{Field: field, Msg: fmt.Sprintf("%s is not an amount", orig)}
	if orig == "" {
		return Money{}, &FieldError{Field: field, Msg: "amount is missing"}
	}
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, hasDot := strings.Cut(t, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return Money{}, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return Money{}, bad
			}
		}
		whole = strings.Join(groups, "")
	}
	digits := MinorDigits(code)
	if whole == "" || !isDigits(whole) || (hasDot && (frac == "" || !isDigits(frac))) {
		return Money{}, bad
	}
	if len(frac) > digits {
		return Money{}, &FieldError{Field: field, Msg: fmt.Sprintf("%s has more than %d decimals for %s", orig, digits, code)}
	}
	frac += strings.Repeat("0", digits-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(whole) > 15 {
		return Money{}, &FieldError{Field: field, Msg: fmt.Sprintf("%s is too large", orig)}
	}
	if neg {
		n = -n
	}
	return Money{AmountMinor: n, Currency: code}, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

// Amount is the number alone, grouped by thousands, with the currency's
// decimals: "1,250.50".
func (m Money) Amount() string {
	n := m.AmountMinor
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	d := MinorDigits(m.Currency)
	s := strconv.FormatInt(n, 10)
	if len(s) <= d {
		s = strings.Repeat("0", d-len(s)+1) + s
	}
	whole, frac := s[:len(s)-d], s[len(s)-d:]
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if d > 0 {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// Plain is the amount as a machine reads it: no grouping, a dot before
// the decimals ("1250.50"), for CSV files a bank or PayPal takes.
func (m Money) Plain() string {
	return strings.ReplaceAll(m.Amount(), ",", "")
}

// String is the amount with its code, "1,250.50 USD"; the zero Money
// prints as "-".
func (m Money) String() string {
	if m.Currency == "" && m.AmountMinor == 0 {
		return "-"
	}
	return m.Amount() + " " + m.Currency
}

// IsZero reports whether no amount was given.
func (m Money) IsZero() bool { return m.AmountMinor == 0 }

// Totals holds one amount per currency. Roster never adds amounts in
// different currencies together; views list each currency on its own.
type Totals map[string]int64

// Add adds m to its currency's total.
func (t Totals) Add(m Money) {
	if m.Currency == "" {
		return
	}
	t[m.Currency] += m.AmountMinor
}

// List returns the totals as Money, ordered by currency code, leaving
// out currencies whose total is zero.
func (t Totals) List() []Money {
	var out []Money
	for c, n := range t {
		if n != 0 {
			out = append(out, Money{AmountMinor: n, Currency: c})
		}
	}
	sortMoney(out)
	return out
}

func sortMoney(ms []Money) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Currency < ms[j-1].Currency; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// String lists the totals, "500.00 EUR, 1,000.00 USD", or "-" for none.
func (t Totals) String() string {
	l := t.List()
	if len(l) == 0 {
		return "-"
	}
	parts := make([]string, len(l))
	for i, m := range l {
		parts[i] = m.String()
	}
	return strings.Join(parts, ", ")
}

// Split divides total into parts proportional to weights by the largest
// remainder method: each part is rounded down, and the cents left over go
// one each to the parts with the largest remainders (earlier parts first
// on ties). The parts always add up to total exactly. Weights must be
// positive.
func Split(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 || len(weights) == 0 {
		return out
	}
	neg := total < 0
	if neg {
		total = -total
	}
	rem := make([]int64, len(weights))
	var given int64
	for i, w := range weights {
		// total*w may overflow for huge amounts; split the product.
		q, r := total/sum, total%sum
		out[i] = q*w + (r*w)/sum
		rem[i] = (r * w) % sum
		given += out[i]
	}
	for left := total - given; left > 0; left-- {
		best := -1
		for i := range rem {
			if rem[i] >= 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}
