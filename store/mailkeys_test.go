package store

import (
	"bytes"
	"testing"
	"time"
)

// TestDateKeyOrdersEveryTime: mail carries zero, pre-1970 and far-future
// dates; the unmatched index must still order it by time.
func TestDateKeyOrdersEveryTime(t *testing.T) {
	times := []time.Time{
		{},
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2025, 3, 1, 9, 0, 0, 0, time.FixedZone("X", 3600)),
		time.Date(2025, 3, 1, 9, 0, 0, 1, time.UTC),
		time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		a, b := dateKey(times[i-1]), dateKey(times[i])
		if len(a) != dateKeyLen || bytes.Compare(a, b) >= 0 {
			t.Errorf("dateKey(%v) = %x is not below dateKey(%v) = %x", times[i-1], a, times[i], b)
		}
	}
}

func TestUnderSkipsLongerNames(t *testing.T) {
	for _, c := range []struct {
		key, prefix string
		id          string
		ok          bool
	}{
		{"maya@x.com/m1", "maya@x.com/", "m1", true},
		{"maya@x.com/evil/m1", "maya@x.com/", "", false},
		{"maya@x.com/", "maya@x.com/", "", false},
	} {
		id, ok := under([]byte(c.key), []byte(c.prefix))
		if string(id) != c.id || ok != c.ok {
			t.Errorf("under(%q, %q) = %q, %v", c.key, c.prefix, id, ok)
		}
	}
}
