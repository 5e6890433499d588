package mail

import (
	"time"

	"roster/crm"
	"roster/mail/config"
)

// rateLimit keeps one account under its max_per_minute and max_per_day:
// a sliding window of the send times of the last day. It starts from the
// outbox's own record of what was sent in the last 24 hours, so a restart
// does not reset the daily count.
type rateLimit struct {
	perMinute, perDay int
	sent              []time.Time // ascending, within the last day
}

// limit returns the account's limiter, loading its last day on first use.
func (s *Sender) limit(a *config.Account) *rateLimit {
	if l, ok := s.limits[a.Name]; ok {
		return l
	}
	l := &rateLimit{perMinute: a.SMTP.MaxPerMinute, perDay: a.SMTP.MaxPerDay}
	if s.opts.Unlimited {
		l.perMinute, l.perDay = 0, 0
	}
	since := time.Now().Add(-24 * time.Hour)
	if ms, err := s.svc.Outbox(crm.OutboxQuery{States: []crm.OutboxState{crm.OutboxSent}}); err == nil {
		for i := len(ms) - 1; i >= 0; i-- { // oldest first
			if ms[i].Account == a.Name && ms[i].SentAt.After(since) {
				l.sent = append(l.sent, ms[i].SentAt)
			}
		}
	}
	s.limits[a.Name] = l
	return l
}

// wait is how long to hold the next mail back; 0 sends now. A limit of 0
// or less is no limit.
func (l *rateLimit) wait(now time.Time) time.Duration {
	day := now.Add(-24 * time.Hour)
	i := 0
	for i < len(l.sent) && !l.sent[i].After(day) {
		i++
	}
	l.sent = l.sent[i:]
	var w time.Duration
	if l.perDay > 0 && len(l.sent) >= l.perDay {
		w = l.sent[len(l.sent)-l.perDay].Add(24 * time.Hour).Sub(now)
	}
	if l.perMinute > 0 {
		minute := now.Add(-time.Minute)
		n := 0
		for j := len(l.sent) - 1; j >= 0 && l.sent[j].After(minute); j-- {
			n++
		}
		if n >= l.perMinute {
			if mw := l.sent[len(l.sent)-l.perMinute].Add(time.Minute).Sub(now); mw > w {
				w = mw
			}
		}
	}
	return max(w, 0)
}

// record counts a conversation (sent or not: the provider counts tries).
func (l *rateLimit) record(at time.Time) { l.sent = append(l.sent, at) }
