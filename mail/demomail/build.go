package demomail

import "time"

// Messages returns the demo mailbox as of now: every message with the
// mailbox it belongs in and its flags, oldest first. The same now gives
// the same bytes; Message-IDs do not depend on now at all, so a re-run
// with a later clock finds the same messages.
func Messages(now time.Time) []Message {
	b := &builder{now: now}
	for _, write := range []func(*builder){
		// Contacted and prospects.
		(*builder).leo, (*builder).ethan, (*builder).kai, (*builder).daniel, (*builder).ava,
		(*builder).yuki, (*builder).henrik, (*builder).diego, (*builder).jiwoo, (*builder).ben,
		// Negotiating and declined.
		(*builder).maya, (*builder).amara, (*builder).noah, (*builder).chloe, (*builder).samuel,
		(*builder).aisha, (*builder).rosa, (*builder).zara, (*builder).omar, (*builder).marcus,
		// Active and paid.
		(*builder).priya, (*builder).hana, (*builder).isabella, (*builder).fatima, (*builder).mia,
		(*builder).nina, (*builder).sofia, (*builder).olivia, (*builder).luca, (*builder).ryan,
		// Mail from no creator.
		(*builder).newsletters, (*builder).strangers,
	} {
		write(b)
	}
	return file(b.now, b.threads, b.singles)
}

// builder collects the threads as they are written.
type builder struct {
	now     time.Time
	threads []*thread
	singles []*filed // messages outside creator threads, filed as given
}

const (
	hour   = time.Hour
	day    = 24 * time.Hour
	minute = time.Minute
)

// thread starts a conversation with c and returns c's deal timeline.
func (b *builder) thread(c creator, key, subject string) (*thread, timeline) {
	t := &thread{key: key, subject: subject, creator: c.person, archived: c.stage == "paid" || c.stage == "declined"}
	b.threads = append(b.threads, t)
	return t, c.timeline(b.now)
}

// day formats t as a weekday and date in the manager's zone ("Fri Mar 14").
func (b *builder) day(t time.Time) string { return t.In(sam.tz).Format("Mon Jan 2") }

// date formats t as "March 14".
func (b *builder) date(t time.Time) string { return t.In(sam.tz).Format("January 2") }

// nth formats t's day of month as "the 14th".
func nth(t time.Time) string { return "the " + ordinal(t.Day()) }

// launch is the Spring Glow launch date the beauty threads talk about.
func (b *builder) launch() time.Time { return b.now.AddDate(0, 0, 24) }

// signature ends the manager's mail.
const signature = "\n\nBest,\nSam\n\n--\nSam Rivera\nCreator Partnerships · Glow\nglowbrand.example · @glowbrand"

func signed(text string) string { return text + signature }
