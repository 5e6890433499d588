package crm_test

import (
	"math/rand/v2"
	"testing"

	"roster/crm"
)

func TestParseMoney(t *testing.T) {
	for _, c := range []struct {
		in, cur string
		want    crm.Money
	}{
		{"500", "usd", crm.Money{AmountMinor: 50000, Currency: "USD"}},
		{"1,250.50", "EUR", crm.Money{AmountMinor: 125050, Currency: "EUR"}},
		{"1250.5", "EUR", crm.Money{AmountMinor: 125050, Currency: "EUR"}},
		{"USD 12", "", crm.Money{AmountMinor: 1200, Currency: "USD"}},
		{"12000 jpy", "USD", crm.Money{AmountMinor: 12000, Currency: "JPY"}},
		{"1.005", "KWD", crm.Money{AmountMinor: 1005, Currency: "KWD"}},
		{"0.01", "GBP", crm.Money{AmountMinor: 1, Currency: "GBP"}},
	} {
		got, err := crm.ParseMoney("fee", c.in, c.cur)
		if err != nil || got != c.want {
			t.Errorf("ParseMoney(%q, %q) = %v, %v; want %v", c.in, c.cur, got, err, c.want)
		}
	}
	for _, c := range []struct{ in, cur, msg string }{
		{"1,2,00", "USD", "fee: 1,2,00 is not an amount"},
		{"12.345", "USD", "fee: 12.345 has more than 2 decimals for USD"},
		{"5.5", "JPY", "fee: 5.5 has more than 0 decimals for JPY"},
		{"abc", "USD", "fee: abc is not an amount"},
		{"1.", "USD", "fee: 1. is not an amount"},
		{"", "USD", "fee: amount is missing"},
		{"100", "", "currency: is missing (a three-letter ISO 4217 code such as USD)"},
		{"100", "dollars", `currency: "dollars" is not a currency (a three-letter ISO 4217 code such as USD)`},
		{"100 dollars", "USD", `fee: "dollars" is not a currency (a three-letter ISO 4217 code such as USD)`},
		{"99999999999999999", "USD", "fee: 99999999999999999 is too large"},
	} {
		_, err := crm.ParseMoney("fee", c.in, c.cur)
		var fe *crm.FieldError
		if !asField(err, &fe) || err.Error() != c.msg {
			t.Errorf("ParseMoney(%q, %q) error = %v; want %q", c.in, c.cur, err, c.msg)
		}
	}
}

// A bad currency is named as the currency field, which is where the form
// should send the manager, not as the amount beside it: the payment form's
// Currency "1" once said `amount: "1" is not a currency`.
func TestPaymentCurrencyErrorNamesCurrency(t *testing.T) {
	var fe *crm.FieldError
	if _, err := crm.ParseMoney("amount", "100", "1"); !asField(err, &fe) || fe.Field != "currency" {
		t.Errorf("ParseMoney with currency \"1\": %v", err)
	}
	p := crm.Payment{Amount: crm.Money{AmountMinor: 100, Currency: "1"}}
	if err := p.Validate(); !asField(err, &fe) || fe.Field != "currency" || err.Error() != `currency: "1" is not a currency (a three-letter ISO 4217 code such as USD)` {
		t.Errorf("Payment.Validate with currency \"1\": %v", err)
	}
	p.Amount.Currency = ""
	if err := p.Validate(); !asField(err, &fe) || err.Error() != "currency: is missing (a three-letter ISO 4217 code such as USD)" {
		t.Errorf("Payment.Validate without a currency: %v", err)
	}
}

func TestMoneyPrints(t *testing.T) {
	for _, c := range []struct {
		m          crm.Money
		str, plain string
	}{
		{crm.Money{AmountMinor: 125050, Currency: "USD"}, "1,250.50 USD", "1250.50"},
		{crm.Money{AmountMinor: 5, Currency: "USD"}, "0.05 USD", "0.05"},
		{crm.Money{AmountMinor: -123456789, Currency: "EUR"}, "-1,234,567.89 EUR", "-1234567.89"},
		{crm.Money{AmountMinor: 12000, Currency: "JPY"}, "12,000 JPY", "12000"},
		{crm.Money{}, "-", "0.00"},
	} {
		if got := c.m.String(); got != c.str {
			t.Errorf("%#v.String() = %q, want %q", c.m, got, c.str)
		}
		if got := c.m.Plain(); got != c.plain {
			t.Errorf("%#v.Plain() = %q, want %q", c.m, got, c.plain)
		}
		if c.m.Currency != "" {
			back, err := crm.ParseMoney("x", c.m.Amount(), c.m.Currency)
			if err != nil || back != c.m {
				t.Errorf("ParseMoney(Amount(%v)) = %v, %v", c.m, back, err)
			}
		}
	}
}

func TestTotalsNeverMixCurrencies(t *testing.T) {
	tt := crm.Totals{}
	tt.Add(crm.Money{AmountMinor: 100, Currency: "USD"})
	tt.Add(crm.Money{AmountMinor: 250, Currency: "EUR"})
	tt.Add(crm.Money{AmountMinor: 50, Currency: "USD"})
	if got := tt.String(); got != "2.50 EUR, 1.50 USD" {
		t.Fatalf("totals %q", got)
	}
}

func TestSplitNeverLosesACent(t *testing.T) {
	for _, c := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{50001, []int64{5000, 5000}, []int64{50001 - 25000, 25000}},
		{1, []int64{3333, 3333, 3334}, []int64{0, 0, 1}},
		{99999, []int64{3000, 3000, 4000}, []int64{30000, 30000, 39999}},
		{-100, []int64{1, 1, 1}, []int64{-34, -33, -33}},
		{0, []int64{1, 2}, []int64{0, 0}},
	} {
		got := crm.Split(c.total, c.weights)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Split(%d, %v) = %v, want %v", c.total, c.weights, got, c.want)
				break
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		total := rng.Int64N(1 << 50)
		ws := make([]int64, 1+rng.IntN(6))
		var wsum int64
		for i := range ws {
			ws[i] = 1 + rng.Int64N(10000)
			wsum += ws[i]
		}
		parts := crm.Split(total, ws)
		var sum int64
		for i, p := range parts {
			sum += p
			// each part is within one cent of its exact share
			exact := float64(total) * float64(ws[i]) / float64(wsum)
			if d := float64(p) - exact; d < -1.01 || d > 1.01 {
				t.Fatalf("Split(%d, %v) part %d = %d, exact %.2f", total, ws, i, p, exact)
			}
		}
		if sum != total {
			t.Fatalf("Split(%d, %v) = %v adds up to %d", total, ws, parts, sum)
		}
	}
}
