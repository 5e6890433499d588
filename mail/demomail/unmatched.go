package demomail

import (
	"mime"
	"strings"
)

// Mail that matches no creator: newsletters (bulk, to be kept out of the
// way) and people roster does not know yet, who may become prospects.

// loose files a message that belongs to no creator thread.
func (b *builder) loose(m *msg, seed, mailbox string, flags ...string) {
	m.id = messageID(m.from, seed)
	if len(m.to) == 0 {
		m.to = []person{sam}
	}
	b.singles = append(b.singles, &filed{m: m, mailbox: mailbox, flags: flags})
}

// bulkHeaders are what list and marketing mail carry; any of them marks
// a message as bulk.
func bulkHeaders(listID, unsub string) [][2]string {
	return [][2]string{
		{"List-Id", listID},
		{"List-Unsubscribe", unsub},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		{"Precedence", "bulk"},
	}
}

// newsletterBody is the usual marketing shape: a short text part and a
// table-laid-out HTML part with a tracking pixel.
func newsletterBody(text, html string) func(*msg) part {
	return func(m *msg) part {
		doc := `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"><style>td{font-family:Arial,sans-serif}</style></head>` +
			`<body style="margin:0;background:#f4f4f4"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">` +
			`<table role="presentation" width="600" style="background:#fff;padding:24px">` + html + `</table></td></tr></table>` +
			`<img src="https://t.` + m.from.domain() + `/open/` + m.id[:12] + `.gif" width="1" height="1" alt="" style="display:none"></body></html>`
		return multipartOf("alternative", boundary(m), textPart("plain", text), textPart("html", doc))
	}
}

func (b *builder) newsletters() {
	weekly := person{"Creator Economy Weekly", "hello@creatoreconomyweekly.example", rosterStyle, zone(-5)}
	b.loose(&msg{from: weekly, date: b.now.Add(-2*day - 5*hour), subject: "The rate card issue: what creators charged last quarter",
		extra: bulkHeaders("Creator Economy Weekly <weekly.creatoreconomyweekly.example>",
			"<https://creatoreconomyweekly.example/unsub?u=8f3a2c>, <mailto:unsubscribe@creatoreconomyweekly.example?subject=unsubscribe>"),
		body: newsletterBody(`CREATOR ECONOMY WEEKLY

The rate card issue
Median rates for one TikTok, by follower tier, from 2,140 deals:
  10k–50k: $420    50k–100k: $850    100k–500k: $1,900

Read online: https://creatoreconomyweekly.example/issues/112
Unsubscribe: https://creatoreconomyweekly.example/unsub?u=8f3a2c`,
			`<tr><td><h1>The rate card issue</h1><p>Median rates for one TikTok, by follower tier, from 2,140 deals:</p>`+
				`<table><tr><th>Tier</th><th>Median</th></tr><tr><td>10k–50k</td><td>$420</td></tr><tr><td>50k–100k</td><td>$850</td></tr><tr><td>100k–500k</td><td>$1,900</td></tr></table>`+
				`<p><a href="https://creatoreconomyweekly.example/issues/112">Read online</a> · <a href="https://creatoreconomyweekly.example/unsub?u=8f3a2c">Unsubscribe</a></p></td></tr>`)},
		"weekly-112", Inbox, `\Seen`)

	tcm := person{"TikTok Creator Marketplace", "no-reply@creatormarketplace.tiktok.example", rosterStyle, zone(0)}
	b.loose(&msg{from: tcm, date: b.now.Add(-4*day - 2*hour), subject: "5 new creators match your campaign \"Spring glow launch\"",
		extra: append(bulkHeaders("<campaign-digest.creatormarketplace.tiktok.example>", "<https://creatormarketplace.tiktok.example/settings/email>"),
			[2]string{"Auto-Submitted", "auto-generated"}),
		body: newsletterBody(`5 new creators match "Spring glow launch"

@elenapilates  91.0K followers  5.7% engagement
@pedrofixes    33.3K followers  7.0% engagement
@lilystudies   12.1K followers  9.5% engagement
@aishaglow     77.0K followers  8.1% engagement
@rosamakeup   260.0K followers  4.2% engagement

See all: https://creatormarketplace.tiktok.example/campaigns/spring-glow/matches`,
			`<tr><td><h2>5 new creators match “Spring glow launch”</h2><table>`+
				`<tr><td>@elenapilates</td><td>91.0K</td><td>5.7%</td></tr><tr><td>@pedrofixes</td><td>33.3K</td><td>7.0%</td></tr>`+
				`<tr><td>@lilystudies</td><td>12.1K</td><td>9.5%</td></tr><tr><td>@aishaglow</td><td>77.0K</td><td>8.1%</td></tr>`+
				`<tr><td>@rosamakeup</td><td>260.0K</td><td>4.2%</td></tr></table>`+
				`<p><a href="https://creatormarketplace.tiktok.example/campaigns/spring-glow/matches">See all matches</a></p></td></tr>`)},
		"tcm-digest", Inbox)

	shop := person{"Glow Store", "reports@shopkit.example", rosterStyle, zone(-5)}
	b.loose(&msg{from: shop, date: b.now.Add(-20 * hour), subject: "Your weekly store summary: 1,284 orders (+12%)",
		extra: bulkHeaders("<weekly-summary.glowbrand.shopkit.example>", "<https://admin.shopkit.example/notifications>"),
		body: newsletterBody(`Weekly summary for Glow

Orders: 1,284 (+12%)
Top discount codes: HANA10 (38 orders), SOFIA15 (22), BELLA10 (17), PRIYA15 (9)

Open your dashboard: https://admin.shopkit.example/glowbrand`,
			`<tr><td><h2>Weekly summary for Glow</h2><p>Orders: <b>1,284</b> (+12%)</p><table><tr><th>Code</th><th>Orders</th></tr>`+
				`<tr><td>HANA10</td><td>38</td></tr><tr><td>SOFIA15</td><td>22</td></tr><tr><td>BELLA10</td><td>17</td></tr><tr><td>PRIYA15</td><td>9</td></tr></table></td></tr>`)},
		"shop-weekly", Inbox)

	hub := person{"Influencer Marketing Hub", "events@influencerhub.example", rosterStyle, zone(0)}
	b.loose(&msg{from: hub, date: b.now.Add(-6*day - 3*hour), subject: "Webinar: measuring creator ROI this year",
		extra: bulkHeaders("<events.influencerhub.example>", "<https://influencerhub.example/unsubscribe?id=a71>"),
		body: newsletterBody(`Join our free webinar on measuring creator ROI: codes, links and lift studies.
Register: https://influencerhub.example/webinars/roi`,
			`<tr><td><h2>Measuring creator ROI</h2><p>Codes, links and lift studies. <a href="https://influencerhub.example/webinars/roi">Register free</a></p></td></tr>`)},
		"hub-webinar", Trash, `\Seen`)
}

func (b *builder) strangers() {
	tara := person{"Tara Quinn", "tara@taraquinnfilms.example", gmailStyle, zone(-7)}
	b.loose(&msg{from: tara, to: []person{partnerships}, date: b.now.Add(-3*day - 4*hour),
		subject: "Collab idea: Glow on the road (van-life channel, 38k)",
		text: `Hi Glow team,

I'm Tara, I film van-life and slow-travel videos on YouTube (38k subscribers, 61% women 25–44) and Instagram (22k). Dew Shield has been in our van's door pocket for a year.

I'd love to pitch a three-part mini-series about skincare on the road: sun, wind and no running water. Happy to send my media kit and some past brand work.

Thanks for reading!
Tara Quinn
taraquinnfilms.example`}, "tara pitch", Inbox)

	rachel := person{"Rachel Adeyemi", "rachel.adeyemi@gmail.example", gmailStyle, zone(-5)}
	b.loose(&msg{from: rachel, date: b.now.Add(-20*hour - 40*minute), subject: "Ambassador program?",
		text: `Hi,

I've been buying Glow since the first SPF and I recommend it to literally everyone I know (my sister and three friends now use it). Do you have an ambassador or referral program? I post skincare on Instagram now and then (about 4k followers) and would love to be involved.

Thanks!
Rachel`}, "rachel ambassador", Inbox)

	// Terminal escape sequences in the subject (clear screen; OSC 52,
	// which asks the terminal to put text on the clipboard) and in the
	// body: roster must show them inert. The payload is harmless.
	clip := "ZWNobyBwd25lZC1ieS1yb3N0ZXItZGVtbw==" // "echo pwned-by-roster-demo"
	hostile := "Quick collab question \x1b[2J\x1b]52;c;" + clip + "\x07\x1b[31mURGENT\x1b[0m"
	spam := person{"Viral Boost Partners", "deals@viralboost.example", rosterStyle, zone(3)}
	raw := func(m *msg) part {
		return part{[][2]string{{"Content-Type", `text/plain; charset="UTF-8"`}, {"Content-Transfer-Encoding", "8bit"}}, crlf(m.text)}
	}
	b.loose(&msg{from: spam, date: b.now.Add(-5*day - 7*hour), subject: hostile, body: raw,
		rawSubject: mime.BEncoding.Encode("UTF-8", hostile),
		text: strings.Join([]string{
			"Hi Sam,",
			"",
			"\x1b[1mWe guarantee 10M views\x1b[0m for Glow in 30 days with our creator network.",
			"\x1b]8;;https://viralboost.example/track?u=sam\x1b\\Book a call\x1b]8;;\x1b\\ this week and get 50% off.",
			"",
			"Viral Boost Partners",
		}, "\n")}, "viralboost", Inbox)
}
