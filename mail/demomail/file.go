package demomail

import (
	"sort"
	"time"
)

// file decides each message's mailbox and flags, moves night-time mail
// to the morning, and returns the messages in the order a mailbox would
// have received them.
func file(now time.Time, threads []*thread, extra []*filed) []Message {
	all := extra
	for _, f := range extra {
		f.at = f.m.date
		f.m.date = daytime(f.m, now)
	}
	for _, t := range threads {
		planned := make([]time.Time, len(t.msgs))
		for i, m := range t.msgs {
			planned[i] = m.date
			limit := now
			if i+1 < len(t.msgs) {
				limit = t.msgs[i+1].date
			}
			m.date = daytime(m, limit)
		}
		for i, m := range t.msgs {
			f := &filed{m: m, at: planned[i], mailbox: Inbox, flags: []string{`\Seen`}}
			switch {
			case OwnAddress(m.from.email):
				f.mailbox = Sent
			case t.archived:
				f.mailbox = Archive
			case i == len(t.msgs)-1:
				f.flags = nil // the reply the manager owes: still unread
			}
			if !OwnAddress(m.from.email) && answered(t, i) {
				f.flags = append(f.flags, `\Answered`)
			}
			all = append(all, f)
		}
	}
	// Sorted by the planned dates, which sit at fixed offsets from now:
	// UIDs then map to the same messages whatever now is.
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	out := make([]Message, len(all))
	for i, f := range all {
		out[i] = Message{Mailbox: f.mailbox, Raw: f.m.render(), Flags: f.flags}
	}
	return out
}

// filed is a message with its place.
type filed struct {
	m       *msg
	at      time.Time // planned date, before daytime
	mailbox string
	flags   []string
}

// answered reports whether the manager wrote after message i.
func answered(t *thread, i int) bool {
	for _, m := range t.msgs[i+1:] {
		if OwnAddress(m.from.email) {
			return true
		}
	}
	return false
}

// daytime moves a message written between 23:00 and 07:00 in its
// writer's zone to that morning, if that is still before limit (the
// next message in the thread, or now). The demo's timeline hangs off
// "now", whatever hour that is, and a mailbox where everyone writes at
// 3 a.m. looks wrong.
func daytime(m *msg, limit time.Time) time.Time {
	local := m.date.In(m.from.tz)
	h := local.Hour()
	if h >= 7 && h < 23 {
		return m.date
	}
	d := local
	if h >= 23 {
		d = d.AddDate(0, 0, 1)
	}
	morning := time.Date(d.Year(), d.Month(), d.Day(), 7+local.Minute()%3, local.Minute(), local.Second(), 0, m.from.tz)
	if !morning.Before(limit.Add(-10 * time.Minute)) {
		return m.date
	}
	return morning
}
