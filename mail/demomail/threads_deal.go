package demomail

// Negotiating and declined deals: rates, counters, usage rights, an
// agency, an Outlook reply that lost its References, and three ways a
// deal ends without one.

func (b *builder) maya() {
	t, tl := b.thread(maya, "maya", "Glow x Maya: Spring Glow serum launch")
	launch := b.launch()
	t.out(tl.C.Add(-40*minute), signed(`Hi Maya,

I'm Sam, I look after creator partnerships at Glow. Your "5-minute morning skin" series is one of the clearest routines on TikTok, and the video on layering vitamin C under SPF is exactly the conversation we want to be part of.

We launch Spring Glow, our 15% vitamin C serum, on `+b.date(launch)+`, and we'd love you on the launch. Would you be open to a paid TikTok plus a couple of IG stories? Happy to send product first either way so you can see whether you actually like it.

If you have a rate card or media kit, could you send it over?`))
	t.in(tl.C.Add(19*hour), `Hi Sam!

Thanks so much for reaching out. Funnily enough your Dew Shield SPF already lives in my gym bag 😅

My rate for one dedicated TikTok (60–90s) + 2 IG stories with a link sticker is $450. That includes 30 days of organic usage on your channels. Paid usage / whitelisting is +$150 per 30 days.

Turnaround is usually 7–10 days after the product arrives. I'd want to use the serum for at least a week before filming, I don't post things I haven't tried.

Maya`)
	t.out(tl.M.Add(-25*minute), signed(`Hi Maya,

Totally fair, and we'd want you to try it first too. A bottle ships tomorrow.

Our budget per creator for this launch is a bit tighter, so could we do:

- $380 flat for 1 TikTok + 2 IG stories
- 10% commission on sales through your code MAYA15 (15% off for your followers) for 60 days; creators your size usually add $100–250 on top
- TikTok live between `+b.day(launch)+` and `+b.day(launch.AddDate(0, 0, 4))+`
- 30 days organic usage, no whitelisting

Let me know what you think!`))
	t.in(tl.M.Add(19*hour), `Hey! I could do $400 + 10% if we make it 1 TikTok + 1 story instead of 2? Stories barely convert for me honestly.

Also could the serum get here by `+nth(tl.M.AddDate(0, 0, 6))+`? I'm travelling after that.

Maya`)
}

func (b *builder) amara() {
	t, tl := b.thread(amara, "amara", "Glow x Amara: refillable SPF for your slow-fashion series")
	t.out(tl.C.Add(-2*hour), signed(`Hi Amara,

I've been following your #slowfashion capsule series and the "30 wears" challenge; it's the most thoughtful take on the topic I've seen on Instagram.

We've just moved Dew Shield SPF 50 to refill pouches that cut plastic by 80%, and we're looking for a few creators who care about less waste to show it in real routines, not as an ad. Would you be open to a paid Reel? If you have a rate card, I'd love to see it.`))
	t.in(tl.C.Add(23*hour), `Hi Sam,

Thank you for thinking of me, and for actually watching the series!

My current rates:
- Instagram Reel: $700
- Carousel: $500
- TikTok (cross-post of the Reel): $450

Usage rights are licensed for 30 days organic on the brand's own channels. Paid usage (ads, whitelisting) is quoted separately.

Kind regards,
Amara`)
	t.out(tl.M.Add(-3*hour), signed(`Hi Amara,

Thanks! Could we do one Reel plus the TikTok cross-post for $950, with 90 days of usage including paid social? We'd like to run the Reel as an ad in April if it does well.

Product would ship this week.`))
	// Amara's Outlook drops In-Reply-To and References on this one; only
	// the subject and Thread-Index say it belongs here.
	t.in(tl.M.Add(21*hour), `Hi Sam,

$950 for the Reel + TikTok is fine. I can't do 90 days including paid though: 30 days organic is my standard licence. If you'd like to run it as a paid ad it's +$300 per 30 days of whitelisting, and I'd want to approve the ad copy.

Happy to jump on a call if easier.

Kind regards,
Amara`, noRefs())
}

func (b *builder) noah() {
	t, tl := b.thread(noah, "noah", "Glow Hand Balm x NoahBuilds")
	t.out(tl.C.Add(-hour), signed(`Hi Noah,

Your walnut side-table build was great. I also noticed you mention sanding-dry hands in about every other video, which is why I'm writing: Glow makes a hand & cuticle balm that a lot of makers swear by.

Would you be up for a sponsored segment in one of your builds? Let me know your rates and what timeline would work.`))
	t.in(tl.C.Add(2*day+3*hour), `Hi Sam,

Thanks for reaching out — and ha, yes, the hand thing is very real after a day of sanding 😂

Here's how I usually price sponsored segments: a 60–90 second integration inside a full build video is $800. That includes a link in the description and a pinned comment for 30 days. I invoice in USD, or €740 if that's easier for your finance team.

I film on Sundays and publish every other Wednesday, so the earliest slot would be the build after next. I keep full creative control of the segment, but you'd see the script the week before.

Cheers,
Noah`, body((*msg).noahRatesQP))
	t.out(tl.M.Add(-2*hour), signed(`Hi Noah,

Thanks for the detailed breakdown, super helpful. We can't quite reach $800 for one segment; could we do $650 plus 10% commission on your code NOAH10 for 90 days? Happy with the Sunday schedule and with you keeping full creative control of the segment.`))
	t.in(tl.M.Add(16*hour), `Hi Sam,

Meet me at $700 + the 10% and we have a deal. I'll send the segment script the week before filming.

Noah`)
}

func (b *builder) chloe() {
	t, tl := b.thread(chloe, "chloe", "Glow x chloereads: cozy reading-night routine?")
	t.out(tl.C.Add(-90*minute), signed(`Hi Chloe,

You've ordered from us a few times (thank you!) and I keep seeing Glow on your nightstand in your reading vlogs. Would you be up for a paid BookTok featuring the Spring Glow serum in a "reading night" routine? We were thinking $200 for one video.`))
	t.in(tl.C.Add(22*hour), `Hi Sam,

That's so sweet, thank you! Honestly I'd rather not take a fee. I only post things I actually love, and I don't want my followers to feel like it's an ad. Could we do product + commission instead? Something like 15%?

Chloe`)
	t.out(tl.M.Add(-30*minute), signed(`Hi Chloe,

Love that. We can do product plus 12% commission on a code CHLOE12 (12% off for your followers), no minimum posting requirement. Would that work?`))
	t.in(tl.M.Add(2*day+hour), `12% works for me! Can I choose the shade of the tinted balm that comes with it? And I'd need it by `+nth(tl.M.AddDate(0, 0, 9))+` for my next reading vlog.

Chloe`)
}

func (b *builder) samuel() {
	t, tl := b.thread(samuel, "samuel", "Partnership inquiry: SamuelOseiVlogs x Glow")
	// Samuel pitched the shared partnerships address himself.
	t.in(tl.C.Add(-day), `Hi Glow team,

I'm Samuel, I make travel vlogs on YouTube (123k subscribers, mostly UK and US, 25–34). I've used Dew Shield on my last three trips and mention it unprompted in my Ghana packing video.

I'm filming a two-week trip along the Ghanaian coast next month and have one integration slot left. Would Glow be interested?

Best,
Samuel Osei
youtube.example/@SamuelOseiVlogs`, to(partnerships))
	t.out(tl.C, `Hi Samuel,

Thanks for reaching out, and for the unprompted mention! We'd love to hear more. What would you propose for the integration, and what are the dates?

Best,
Sam (Glow partnerships)`, from(partnerships), cc(sam))
	t.in(tl.C.Add(day+2*hour), `Hi Sam,

Proposal: a 60–90s integration in the first coast episode, filmed on location, plus a link in the description and a pinned comment. $1,800. The episode goes live about three weeks after I'm back.

I'd also give you 60 days of usage for a cut-down on your socials.

Samuel`, to(partnerships))
	t.out(tl.M.Add(-hour), signed(`Hi Samuel,

The coast episode sounds like a perfect fit. Budget-wise we're at $1,400 for the integration, plus 10% commission on SAMUEL15 for 90 days, which on a travel audience has been strong for us. Same deliverables as you proposed.`))
	t.out(tl.M.AddDate(0, 0, 3).Add(2*hour), signed(`Hi Samuel, just following up on the offer above. Happy to hop on a call this week if it's easier to talk it through.`))
}

func (b *builder) aisha() {
	t, tl := b.thread(aisha, "aisha", "Glow x Aisha: Spring Glow launch (IG + TikTok)")
	t.out(tl.C.Add(-20*minute), signed(`Hi Aisha,

I'm Sam from Glow. Your wash-day routines are so well made, and your TikTok audience engages like nobody else's. We're launching Spring Glow, a vitamin C serum, and we'd love you to show it in a wash-day-to-night-routine video. Could you share your rates for an IG Reel and a TikTok?`))
	t.in(tl.C.Add(day+5*hour), `Hi Sam! Thank you 💛

Rates: IG Reel $800, TikTok $600. Both include 30 days organic usage. Whitelisting is $250 per 30 days.

I'm booking for next month now.

Aisha`)
	t.out(tl.M.Add(-hour), signed(`Hi Aisha,

Could we bundle: 1 IG Reel + 1 TikTok for $1,200 including 30 days of whitelisting on the Reel?`))
	t.in(tl.M.Add(day), `Hi Sam, I can do $1,200 for the two videos, but whitelisting would still be on top, so $1,450 all in. And I'd need the product by `+nth(tl.M.AddDate(0, 0, 8))+` to test it properly.`)
	t.out(tl.M.Add(day+4*hour), signed(`Thanks Aisha, I'll take the $1,450 to finance and get back to you tomorrow.`))
}

func (b *builder) rosa() {
	t, tl := b.thread(rosa, "rosa", "Glow x Rosa Martínez: Spring Glow launch")
	t.out(tl.C.Add(-hour), signed(`Hi Rosa,

I'm Sam, creator partnerships at Glow. Your glass-skin tutorials are a big reason our team fell in love with TikTok makeup. We launch Spring Glow, a vitamin C serum, on `+b.date(b.launch())+` and would love you as one of the faces of the launch. Could you share your rates, or point me to the right person?`))
	// Her agency answers and copies her.
	t.in(tl.C.Add(day+3*hour), `Hi Sam,

Thanks for reaching out about Rosa. I'm her manager at Bright Talent and handle her brand partnerships.

For a launch like this Rosa's package is 1 TikTok + 3 IG stories at $4,000, with 30 days usage. Our terms for new brand partners are 50% on signature and 50% on posting, net 15.

Let me know if you'd like to move forward and I'll send over our contract.

Best,
Dana Whitfield
Senior Talent Manager, Bright Talent`, from(dana), cc(rosa.person))
	t.out(tl.M.Add(-2*hour), signed(`Hi Dana,

Thanks for the quick answer. We'd love to work with Rosa. Our launch budget allows $3,200 for that package, and our standard terms are 30% on signature and the rest on posting. Would that work?`), to(dana), cc(rosa.person))
	t.in(tl.M.Add(day+hour), `Hi Sam,

I spoke with Rosa. She's firm on 50% upfront; it's her policy for every new brand partner. We can meet you at $3,500 for the package.

Best,
Dana`, from(dana), cc(rosa.person))
	t.out(tl.M.Add(2*day), signed(`Hi Dana, understood. Let me take $3,500 with 50% upfront to our finance team and come back to you by Friday.`), to(dana), cc(rosa.person))
}

func (b *builder) zara() {
	t, tl := b.thread(zara, "zara", "Glow x Zara: Spring Glow launch")
	t.out(tl.C.Add(-hour), signed(`Hi Zara,

I'm Sam from Glow. We're launching Spring Glow, a 15% vitamin C serum, this spring and your makeup-prep videos are exactly where we'd love it to show up. Would you consider a paid TikTok? Could you share your rates?`))
	t.in(tl.C.Add(day+2*hour), `Hi Sam, thanks for reaching out! My rates are $2,500 per TikTok and $1,200 per IG story set (3 frames). Usage is quoted separately. Let me know!

Zara`)
	t.out(tl.N, signed(`Hi Zara,

Thank you. That's above what we have per creator for this launch (our ceiling is around $1,000 per video). Would you be open to product seeding with a 20% affiliate commission instead?`))
	t.in(tl.N.Add(day+3*hour), `Appreciate it Sam, but I don't do affiliate-only at this point. Maybe for a future campaign!

Zara`)
	t.out(tl.M, signed(`Totally understand, Zara. We'll keep you in mind for the summer launch. Thanks for the quick replies!`))
}

func (b *builder) omar() {
	t, tl := b.thread(omar, "omar", "Dew Shield SPF for your next hike?")
	t.out(tl.C, signed(`Hi Omar,

Loved your Zion Narrows video. We make Dew Shield, a sweat-proof mineral SPF 50, and we're looking for hikers to take it on real trails. Would you be up for a sponsored mention in an upcoming video? Happy to send product regardless.`))
	t.out(tl.C.AddDate(0, 0, 2), signed(`Hi Omar, just bumping this in case it got buried. Happy to send a tube for your next trip, no strings attached.`))
	t.out(tl.M.Add(-day), signed(`Hi Omar, last note from me: if the timing isn't right, no worries at all. The offer of product stands whenever you like.`))
}

func (b *builder) marcus() {
	t, tl := b.thread(marcus, "marcus", "Glow Greens x MarcusGrills")
	t.out(tl.C, signed(`Hi Marcus,

Your brisket series is outstanding. We make Glow Greens, a greens powder a lot of pitmasters use in rubs and marinades (it's mostly spinach, matcha and citrus). Would you be open to a paid integration in one of your cooks?`))
	t.in(tl.C.Add(2*day), `Hey Sam,

Thanks for reaching out, appreciate the kind words. Unfortunately I'm under an exclusive with another supplement brand until the end of March, so I can't take anything in that category before then. Feel free to reach back out in April.

Marcus`)
	t.out(tl.N.Add(-2*hour), signed(`Thanks Marcus, completely understand. I've set a reminder for April. Good luck with the competition season!`))
}
