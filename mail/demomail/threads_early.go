package demomail

// Contacted creators and a prospect: first outreach, follow-ups still
// waiting, first replies the manager owes an answer to, an agency taking
// over, a media kit attached.

func (b *builder) leo() {
	t, tl := b.thread(leo, "leo", "You've been cooking with Glow Greens for two years. Want to make it official?")
	t.out(tl.M.Add(-15*minute), signed(`Hi Leo,

Sam from Glow here. I noticed you've ordered Glow Greens 14 times since 2023 (thank you!), and your Sunday recipe reels are great; the matcha banana bread one went round our whole office.

We're starting a small ambassador program for customers like you: free product every month, a personal 20% code with 10% commission on every sale, and paid features for recipes we love. Interested?`))
	t.in(tl.M.Add(day+3*hour), `Sam! Wow, didn't expect this at all. Yes, definitely interested.

How does the paid part work, is it per reel? And do I need to post on a schedule? I usually do one recipe a week and I'd rather not turn my feed into ads.

Leo`)
}

func (b *builder) ethan() {
	t, tl := b.thread(ethan, "ethan", "Glow x EthanOutdoors: Dew Shield SPF for the trail")
	t.out(tl.M.Add(-hour), signed(`Hi Ethan,

Your gear reviews are the most honest on YouTube, which is exactly why I'm writing. We make Dew Shield, a sweat-proof mineral SPF 50 built for long days outside, and we'd love to explore a paid integration in an upcoming camping video.

Could you send over your media kit and rates? Happy to ship product first so you can test it properly.`))
	t.out(tl.M.AddDate(0, 0, 5).Add(2*hour), signed(`Hi Ethan, following up on the note below. Would love to see your media kit when you get a chance.`))
}

func (b *builder) kai() {
	t, tl := b.thread(kai, "kai", "Glow x kaiskates")
	t.out(tl.M.Add(-30*minute), signed(`Hey Kai,

Sam from Glow. Your skate-park sunrise sessions are unreal. We make Dew Shield, a mineral SPF that doesn't sting your eyes when you sweat, and we'd love to send you some and talk about a paid TikTok. What are your rates?`))
}

func (b *builder) daniel() {
	t, tl := b.thread(daniel, "daniel", "Review unit request: Glow Pro LED mask")
	// Inbound to the shared address; Sam answers from it.
	t.in(tl.M.AddDate(0, 0, -4), `Hi Glow team,

I run TechWithDan on YouTube (188k subscribers). I'm putting together a roundup of LED face masks for January and would love to include the Glow Pro. Could you send a review unit?

No payment needed for the roundup; coverage is independent. If you're interested in a dedicated video later, my rate is $3,500.

Thanks,
Daniel Kim
TechWithDan`, to(partnerships))
	t.out(tl.M, `Hi Daniel,

Thanks for thinking of us! A review unit ships Monday to the address in your channel's business info; let me know if there's a better one.

On a dedicated video: we have a new model coming after CES, so let's talk once that's out.

Best,
Sam (Glow partnerships)`, from(partnerships))
	t.out(tl.M.AddDate(0, 0, 14), signed(`Hi Daniel, hope CES was fun! The Glow Pro 2 is ready and we'd love to talk about a dedicated video. Still interested? I can send a unit this week.`))
}

func (b *builder) ava() {
	t, tl := b.thread(ava, "ava", "Glow x Ava: dance-proof SPF?")
	t.out(tl.M.Add(-hour), signed(`Hi Ava,

Sam from Glow. Your outdoor dance series is everywhere in our office. We make Dew Shield, a sweat-proof SPF 50, and we'd love to talk about a paid TikTok for the summer. Is this the right address, or should I reach out to someone on your team?`))
	t.in(tl.M.Add(day+2*hour), `Hi Sam! Love Glow, I have the SPF already haha. All my brand deals go through my manager at Northstar, so I'm cc'ing Jordan here. Jordan, over to you!

Ava`, cc(jordan))
	// The agency takes over, keeping Ava in copy.
	t.in(tl.M.Add(2*day+4*hour), `Hi Sam,

Jordan here; I manage Ava's partnerships at Northstar Talent. Thanks for reaching out.

Ava's rate for a dedicated TikTok is $6,500, with 30 days of organic usage; whitelisting is an additional $2,000 per 30 days. We require approval of the brief and script before filming, and all content is subject to Ava's final approval.

If that works with your budget, send over a brief and your preferred timing and we'll take it from there.

Best,
Jordan Blake
Northstar Talent`, from(jordan), cc(ava.person))
}

func (b *builder) yuki() {
	t, tl := b.thread(yuki, "yuki", "Glow Hand Balm for your inking sessions?")
	t.out(tl.M.Add(-2*hour), signed(`Hi Yuki,

You've been a Glow customer for a while (thank you!) and your journaling spreads are beautiful. We'd love to send you our hand & cuticle balm, and we'd happily pay for a post if you like it. Would you be interested?`))
	t.in(tl.M.AddDate(0, 0, 2), `Hi Sam,

Oh wow, thank you!! I'd love to. I'm quite small though (about 6k on Instagram), is that okay? Honestly I'd do it for the product, I use your balm every day already.

Yuki`)
}

func (b *builder) henrik() {
	t, tl := b.thread(henrik, "henrik", "Dew Shield SPF x HenrikCycles")
	t.out(tl.M.Add(-hour), signed(`Hi Henrik,

Your Tour de Bornholm ride was stunning. We make Dew Shield, a sweat-proof SPF 50 that stays put on long rides, and we'd love to talk about a paid integration in your spring training series. Would you be open to it?`))
	t.out(tl.M.AddDate(0, 0, 7), signed(`Hi Henrik, a quick follow-up on this. Happy to send a tube for your next long ride either way.`))
}

func (b *builder) diego() {
	t, tl := b.thread(diego, "diego", "Glow Greens for stream hydration?")
	t.out(tl.M.Add(-hour), signed(`Hi Diego,

Sam from Glow. Your Tuesday and Thursday streams are a great watch, and chat keeps asking what's in your shaker. We make Glow Greens, a greens and electrolyte powder, and we'd love to sponsor a segment. What formats do you offer?`))
	t.in(tl.M.Add(day+5*hour), `Hey Sam!

Thanks, glad chat's hints are working haha. Media kit attached. I prefer live reads over pre-recorded ads, they feel way more natural on stream:

- 60s live read + a !glow chat command: $400 per stream
- 4-stream package (two weeks of Tue/Thu): $1,400, panel banner and link included

Let me know what works!
Diego`, body((*msg).diegoMediaKit))
	t.out(tl.M.AddDate(0, 0, 2), signed(`Thanks Diego, the media kit is great. Reviewing the four-stream package with the team and will come back to you next week.`))
}

func (b *builder) jiwoo() {
	t, tl := b.thread(jiwoo, "jiwoo", "Glow x jiwoo.beauty: Spring Glow launch")
	t.out(tl.M.Add(-30*minute), signed(`Hi Ji-woo,

I'm Sam from Glow. Your K-beauty layering guides are the best on TikTok, and we think Spring Glow, our new vitamin C serum, would fit right into your morning routine. Would you be open to a paid TikTok around our launch on `+b.date(b.launch())+`? Could you share your rates?`))
}

// ben is a prospect who wrote first: a customer who tags the brand.
func (b *builder) ben() {
	t, tl := b.thread(ben, "ben", "hi from a big fan")
	t.in(tl.M.Add(day), `Hey Glow team,

I'm Ben (bencooksquick on TikTok). I've tagged you in a few of my budget meal videos because I put Glow Greens in basically everything lol. Would love to work together properly at some point if you ever do creator stuff!

Ben`, to(partnerships))
}
