package crm_test

import (
	"testing"

	"roster/crm"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"maya", "maya", 0}, {"", "abc", 3}, {"majya", "maya", 1}, {"mayq", "maya", 1},
		{"cehn", "chen", 1}, {"beuaty", "beauty", 1}, {"secuirty", "security", 1}, {"kitten", "sitting", 3},
		{"Zoë", "Zoe", 1}, {"ab", "ba", 1}, {"ca", "abc", 3},
	} {
		if got := crm.EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
