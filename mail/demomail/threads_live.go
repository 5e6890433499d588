package demomail

// Active and paid deals: briefs, deliverables and dates, content links,
// invoices and payment confirmations.

func (b *builder) priya() {
	t, tl := b.thread(priya, "priya", "Glow x PriyaRuns: Dew Shield in your marathon-prep video")
	t.out(tl.C.Add(-hour), signed(`Hi Priya,

Sam from Glow. Your marathon-prep series is brilliant, and the long-run kit breakdown is exactly where we'd love Dew Shield, our sweat-proof SPF 50, to show up. Would you consider a paid integration in one of the upcoming episodes?`))
	t.in(tl.C.Add(day+hour), `Hi Sam,

Thanks for getting in touch. I do integrations: $1,200 for a 60–90s mid-roll, plus $300 if you'd like a dedicated Instagram post. I only promote things I actually use on long runs, so could you send a sample first?

Priya`)
	t.out(tl.N, signed(`Hi Priya,

A sample is on its way (tracking 1Z 999 AA1 0123 4567 84). Proposal once you've tried it:

- 60–90s mid-roll in the marathon-prep video, link in the description and a pinned comment: $1,100
- code PRIYA15 (15% off) with 8% commission for 90 days
- 90 days usage of the segment on our organic socials
- live by `+b.day(tl.M.AddDate(0, 0, 14))+`

Let me know!`))
	t.in(tl.N.Add(6*hour), `Sounds good. $1,100 works if payment can be net 15 instead of net 30.

Also, my friend Jonas (JonasBrews on YouTube, jonas@jonasbrews.example) would be a great fit for Glow Greens; he does coffee and home-barista content. Happy to intro if useful!`)
	t.out(tl.M.Add(-hour), signed(`Deal, net 15 it is, and yes please to the intro to Jonas!

The brief:
- Key message: mineral SPF 50 that doesn't sting your eyes when you sweat
- Please mention: reef-friendly, 80 minutes water resistant, refill pouches
- Please avoid: medical claims, comparisons with other brands
- Draft due `+b.day(tl.M.AddDate(0, 0, 6))+`; live by `+b.day(tl.M.AddDate(0, 0, 14))+`

Contract coming via DocuSign this afternoon. I've copied Alex, who handles our contracts and payments.`), cc(alex))
	t.in(tl.M.AddDate(0, 0, 5), `Contract signed! Rough cut of the segment is here (unlisted): https://youtu.be.example/watch?v=pR1yaRuns42

Let me know if you want any changes before I lock the edit.

Priya`)
}

func (b *builder) hana() {
	t, tl := b.thread(hana, "hana", "Glow ambassador program")
	t.out(tl.C.Add(-hour), signed(`Hi Hana,

You've been baking with Glow Greens matcha for ages (your matcha shortbread is a legend in our office). Would you like to become a Glow ambassador? It's one post a month, with a monthly fee, free product and commission on a personal code.`))
	t.in(tl.C.Add(4*hour), `omg yes!! I would love that. What does it involve exactly?

Hana`)
	t.out(tl.N, signed(`Yay! The terms:

- one TikTok a month featuring Glow Greens
- $150 per month plus 10% commission
- your code HANA10 gives followers 10% off
- three months to start, then we renew if we're both happy

Sound good?`))
	t.in(tl.N.Add(day), `Perfect, agreed! Can the first one be matcha crinkle cookies?`)
	t.out(tl.M, signed(`Matcha crinkle cookies sound perfect. A box of product is on its way, and the code HANA10 is live.`))
	t.in(tl.M.Add(day+2*hour), `First video is up!! https://www.tiktok.example/@hanabakes/video/7311942651183 Code HANA10 is in the caption and the pinned comment 💚`)
}

func (b *builder) isabella() {
	t, tl := b.thread(isabella, "isabella", "Bella Cucina × Glow: spring recipes")
	t.out(tl.C.Add(-hour), signed(`Hi Isabella,

Your homemade pasta reels are wonderful. We make Glow Greens, a matcha and greens powder, and would love to see it in a couple of your spring recipes. Would you be open to a paid partnership: two reels and a few stories?`))
	t.in(tl.C.Add(day+4*hour), `Ciao Sam,

Thank you, what a lovely message! For two reels and three stories my rate is $1,100. I'd like to create the recipes myself so that they feel natural for my audience.

Isabella`)
	t.out(tl.N, signed(`Ciao Isabella,

We can do $1,000 for 2 reels + 3 stories, with full creative control over the recipes. First reel live by `+b.day(tl.M.AddDate(0, 0, 3))+`, second a week later. Does that work?`))
	t.in(tl.N.Add(5*hour), `Yes, that works. Va bene!`)
	t.out(tl.M, signed(`Wonderful! The brief is in the contract; the only must-haves are the tag @glowbrand and the code BELLA10. Product ships today.`))
	t.in(tl.M.AddDate(0, 0, 4), `Ciao Sam,

il primo reel è online! “Tiramisù al matcha” – https://www.instagram.example/reel/C8bellaCucina/

The comments are lovely so far, many people ask where to buy Glow Greens, so I pinned the code BELLA10. The second reel (“Pasta verde”) goes live next week, and the three stories on Thursday.

A presto,
Isabella`, body((*msg).isabellaLatin1), subject("Re: Bella Cucina × Glow: il primo reel è online"))
	t.out(tl.M.AddDate(0, 0, 4).Add(3*hour), signed(`It looks amazing, thank you Isabella! We've shared it to our stories.`))
}

func (b *builder) fatima() {
	t, tl := b.thread(fatima, "fatima", "Glow x Fatima: Spring capsule + SPF")
	t.out(tl.C.Add(-hour), signed(`Hi Fatima,

Your modest spring capsule series is gorgeous. We'd love to feature Dew Shield SPF in a "getting ready" Reel. Would you be open to a paid collaboration?`))
	t.in(tl.C.Add(day), `Hi Sam, thank you! I charge $600 for a Reel and $200 for a set of 3 stories. 30 days usage included.`)
	t.out(tl.N, signed(`Hi Fatima, let's do both: Reel + stories for $800, code FATIMA15. Filming whenever suits you next week?`))
	t.in(tl.N.Add(4*hour), `Deal! I'm shooting on Saturday.`)
	t.out(tl.M, signed(`Brilliant. Your parcel shipped today: order #GB-48213, tracking in the shipping email.`))
	// Fatima forwards the shipping notice as an attachment: a new thread
	// with its own subject.
	f, _ := b.thread(fatima, "fatima-fwd", "Fwd: Your Glow order #GB-48213 has shipped")
	f.in(tl.M.AddDate(0, 0, 2), `Hi Sam,

The tracking hasn't moved since it shipped, see the email below. Could you check with the courier? I'm shooting on Saturday.

Thanks,
Fatima`, body((*msg).fatimaForward))
}

func (b *builder) mia() {
	t, tl := b.thread(mia, "mia", "Glow x Mia: Spring Glow stories")
	t.out(tl.C.Add(-hour), signed(`Hi Mia,

Sam from Glow. Your Nordic skincare routines are so calm to watch. We launch Spring Glow, our vitamin C serum, on `+b.date(b.launch())+`; would you be up for a paid story set and a TikTok?`))
	t.in(tl.C.Add(3*hour), `Hi Sam! Yes, sounds fun. I'd do a 3-frame story set + 1 TikTok for $650.`)
	t.out(tl.N, signed(`Could we do $600 for the set + TikTok, plus 10% commission on MIA10?`))
	t.in(tl.N.Add(day), `Deal 👍`)
	t.out(tl.M, signed(`Great! Brief: morning routine, serum before SPF, mention vitamin C 15% and the launch date. Story set due Friday, TikTok the week after. Product is on its way.`))
	t.in(tl.M.Add(18*hour), `Hi Sam! Here's my plan for the launch, all drafts are in the shared folder. Could you approve the story frames by Thursday? Then they go up Friday morning as planned.`, body((*msg).miaHTMLOnly))
}

func (b *builder) nina() {
	t, tl := b.thread(nina, "nina", "Glow Hand Balm x ninaknits")
	t.out(tl.C.Add(-hour), signed(`Hi Nina,

Priya mentioned you when we were talking about makers with dry hands! We make a hand & cuticle balm that doesn't leave residue on yarn. Would you be up for a paid Reel?`))
	t.in(tl.C.Add(day), `Hi Sam! Ha, Priya knows me well. Yes! $350 for a Reel, 30 days usage.

Nina`)
	t.out(tl.N, signed(`$350 it is, with code NINA10 for your followers. Product ships tomorrow.`))
	t.in(tl.N.Add(3*hour), `Lovely, thank you!`)
	t.out(tl.M, signed(`Brief: show the balm in your evening knitting routine; key point is no greasy yarn. Live whenever you're happy with it in the next two weeks.`))
	t.in(tl.M.AddDate(0, 0, 3), `It's live! https://www.instagram.example/reel/C9nInaKnits/ People are already asking about the code.

Nina`)
}

func (b *builder) sofia() {
	t, tl := b.thread(sofia, "sofia", "Glow x Sofia: Spring Glow launch TikTok")
	t.out(tl.C.Add(-hour), signed(`Hi Sofia,

Sam from Glow. Your skincare-on-a-budget videos are a huge hit with our team. Would you be interested in a paid TikTok for our Spring Glow serum launch?`))
	t.in(tl.C.Add(5*hour), `¡Hola Sam! Yes, I'd love to. My rate is $900 for 1 TikTok + 3 stories, 30 days usage.

Sofia`)
	t.out(tl.N, signed(`Could we do $850 plus 10% commission on SOFIA15 for 60 days?`))
	t.in(tl.N.Add(3*hour), `Deal 🙌`)
	t.out(tl.A, signed(`Here's the brief: vitamin C 15%, serum before SPF, launch date in the caption, tag @glowbrand. Contract is in your inbox via DocuSign. Video live in the launch week, please.`))
	t.in(tl.A.AddDate(0, 0, 2), `Video is live! https://www.tiktok.example/@sofiaskin/video/7318822094410 Stories go up tomorrow morning.`)
	t.in(tl.M.Add(-day), `Hi Sam, all deliverables are done. Invoice attached, payment by bank transfer please (details on the invoice).

Gracias!
Sofia`, body((*msg).sofiaInvoice))
	t.out(tl.M, signed(`Paid! $850 sent by bank transfer today, reference GLOW-PO-1043. Your first commission statement comes on the 1st. Thank you, Sofia, it was a joy to work with you.`))
}

func (b *builder) olivia() {
	t, tl := b.thread(olivia, "olivia", "From one Glow fan to another")
	t.out(tl.C.Add(-hour), signed(`Hi Olivia,

You've been a Glow customer since 2022, and your "getting out the door with two kids" reels are the most relatable thing on Instagram. Would you like to do a paid post featuring Dew Shield?`))
	t.in(tl.C.Add(day), `Hi Sam! I'd love to! I charge $300 for a post + stories.`)
	t.out(tl.N, signed(`Perfect, $300 it is, code OLIVIA10 for your followers.`))
	t.in(tl.N.Add(2*hour), `Yay, agreed!`)
	t.out(tl.A, signed(`Brief: school-run routine, SPF for the whole family, mention it's fragrance-free. Live within two weeks.`))
	t.in(tl.A.AddDate(0, 0, 2), `Posted! https://www.instagram.example/p/C7livBennett/`)
	t.in(tl.M.Add(-2*day), `Hi Sam, invoice: $300 for the post + stories, PayPal to olivia.bennett@gmail.example please. Thanks!`)
	t.out(tl.M, signed(`Paid: $300 sent by PayPal just now (transaction 7KX12345AB678901C). Thanks so much, Olivia!`))
}

func (b *builder) luca() {
	t, tl := b.thread(luca, "luca", "Glow Greens x lucabianchi.eats")
	t.out(tl.C.Add(-hour), signed(`Ciao Luca,

Your restaurant reviews are brilliant. Would you feature Glow Greens in a "healthy brunch spots" Reel? Paid, of course.`))
	t.in(tl.C.Add(6*hour), `Ciao Sam! Sure: $500 for a Reel, usage 30 days.`)
	t.out(tl.N, signed(`$450 plus 10% commission on LUCA10?`))
	t.in(tl.N.Add(day), `Ok, deal.`)
	t.out(tl.A, signed(`Great! Brief: brunch spot plus a Glow Greens smoothie at home, tag @glowbrand.`))
	t.in(tl.A.AddDate(0, 0, 3), `Reel is live: https://www.instagram.example/reel/C8lucaEats/ Invoice INV-LB-0112 for $450 follows.`)
	t.out(tl.M, signed(`Paid today, $450 by bank transfer, reference GLOW-PO-1057. Grazie Luca!`))
}

func (b *builder) ryan() {
	t, tl := b.thread(ryan, "ryan", "Glow Pro LED mask review")
	t.out(tl.C.Add(-hour), signed(`Hi Ryan,

Your gadget teardown videos are great. Would you be interested in a paid review of the Glow Pro LED mask? Full editorial independence; we only ask for a link in the description.`))
	t.in(tl.C.Add(day), `Hi Sam, sure. $2,000 for a dedicated review, and I keep editorial control. I'll need the unit two weeks before.`)
	t.out(tl.N, signed(`Works for us: $2,000, your editorial control, unit ships Monday.`))
	t.in(tl.N.Add(4*hour), `Great, confirmed.`)
	t.out(tl.A, signed(`Unit delivered according to the courier. Looking forward to it!`))
	t.in(tl.A.AddDate(0, 0, 3), `Review is live: https://youtu.be.example/watch?v=RyanGlowPro1 Invoice to follow from my accountant: $2,000, net 30 as agreed.`)
	t.out(tl.M, signed(`Paid, $2,000 by bank transfer, reference GLOW-PO-1021. Thanks Ryan, great video.`))
}
