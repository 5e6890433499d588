package demomail

import "time"

// creator is a demo creator this package writes mail for. name, email,
// idx, stage and daysAgo copy crm/demo's table (which is unexported): idx
// is the creator's position there, which staggers its timestamps, and
// the test checks the emails still appear in crm/demo/demo.go.
type creator struct {
	person
	idx, daysAgo int
	stage        string
}

// timeline is when the demo moved a creator's deal into each stage:
// Contacted, Negotiating, Active, Paid, and M, the last move. Mail is
// dated around these moments so the card and the thread agree.
type timeline struct{ C, N, A, P, M time.Time }

// timeline mirrors crm/demo.Seed: the last move is daysAgo days (and
// idx×37 minutes) before now; earlier stages were reached 3 days apart
// from a start 3×steps+2 days before it. A declined deal walked two steps
// and was then declined at M.
func (c creator) timeline(now time.Time) timeline {
	steps := map[string]int{"prospect": 0, "contacted": 1, "negotiating": 2, "active": 3, "paid": 4, "declined": 2}[c.stage]
	moved := now.AddDate(0, 0, -c.daysAgo).Add(-time.Duration(c.idx*37) * time.Minute)
	start := moved.AddDate(0, 0, -(3*steps + 2))
	at := func(k int) time.Time {
		if k == steps && c.stage != "declined" {
			return moved
		}
		return start.AddDate(0, 0, 3*k)
	}
	return timeline{C: at(1), N: at(2), A: at(3), P: at(4), M: moved}
}

func zone(h int) *time.Location { return time.FixedZone("", h*3600) }

// The manager and teammates.
var (
	sam          = person{ManagerName, Manager, rosterStyle, zone(-5)}
	partnerships = person{"Glow Partnerships", "partnerships@glowbrand.example", rosterStyle, zone(-5)}
	alex         = person{"Alex Moreno", "alex@glowbrand.example", rosterStyle, zone(-5)}
)

// The creators with mail, in crm/demo order.
var (
	maya     = creator{person{"Maya Chen", "maya@mayamakes.example", appleStyle, zone(-8)}, 0, 2, "negotiating"}
	leo      = creator{person{"Leo Park", "leo.park@cookswithleo.example", gmailStyle, zone(-5)}, 1, 4, "contacted"}
	priya    = creator{person{"Priya Raman", "priya@priyaruns.example", gmailStyle, zone(0)}, 2, 9, "active"}
	sofia    = creator{person{"Sofia Alvarez", "sofia.alvarez@gmail.example", gmailStyle, zone(-6)}, 3, 21, "paid"}
	amara    = creator{person{"Amara Okafor", "amara.okafor@outlook.example", outlookStyle, zone(0)}, 5, 6, "negotiating"}
	ethan    = creator{person{"Ethan Brooks", "ethan@ethanoutdoors.example", gmailStyle, zone(-7)}, 6, 12, "contacted"}
	hana     = creator{person{"Hana Sato", "hana.sato@gmail.example", gmailStyle, zone(-8)}, 7, 3, "active"}
	zara     = creator{person{"Zara Ahmed", "zara@zaraglow.example", appleStyle, zone(-5)}, 9, 15, "declined"}
	noah     = creator{person{"Noah Fischer", "noah.fischer@proton.example", protonStyle, zone(1)}, 10, 1, "negotiating"}
	isabella = creator{person{"Isabella Rossi", "isabella@bellacucina.example", gmailStyle, zone(1)}, 11, 17, "active"}
	kai      = creator{person{"Kai Nakamura", "kai@kaiskates.example", appleStyle, zone(-8)}, 12, 2, "contacted"}
	olivia   = creator{person{"Olivia Bennett", "olivia.bennett@gmail.example", gmailStyle, zone(-6)}, 13, 33, "paid"}
	chloe    = creator{person{"Chloe Dubois", "chloe@chloereads.example", appleStyle, zone(1)}, 15, 8, "negotiating"}
	daniel   = creator{person{"Daniel Kim", "daniel.kim@techwithdan.example", gmailStyle, zone(-8)}, 16, 20, "contacted"}
	fatima   = creator{person{"Fatima Zahra", "fatima@fatimamodest.example", gmailStyle, zone(0)}, 17, 4, "active"}
	ben      = creator{person{"Ben Carter", "ben.carter@gmail.example", appleStyle, zone(-6)}, 18, 3, "prospect"}
	omar     = creator{person{"Omar Haddad", "omar@omarhikes.example", gmailStyle, zone(-7)}, 20, 40, "declined"}
	ava      = creator{person{"Ava Thompson", "ava@avamoves.example", appleStyle, zone(-8)}, 21, 6, "contacted"}
	luca     = creator{person{"Luca Bianchi", "luca.bianchi@gmail.example", gmailStyle, zone(1)}, 22, 12, "paid"}
	mia      = creator{person{"Mia Johansson", "mia@miajohansson.example", gmailStyle, zone(1)}, 23, 1, "active"}
	samuel   = creator{person{"Samuel Osei", "samuel@samuelosei.example", gmailStyle, zone(0)}, 24, 13, "negotiating"}
	yuki     = creator{person{"Yuki Tanaka", "yuki@yukidraws.example", appleStyle, zone(-8)}, 25, 9, "contacted"}
	marcus   = creator{person{"Marcus Reed", "marcus@marcusgrills.example", gmailStyle, zone(-6)}, 27, 25, "declined"}
	nina     = creator{person{"Nina Petrova", "nina@ninaknits.example", appleStyle, zone(-5)}, 28, 26, "active"}
	aisha    = creator{person{"Aisha Bello", "aisha@aishaglow.example", gmailStyle, zone(-5)}, 30, 3, "negotiating"}
	henrik   = creator{person{"Henrik Larsen", "henrik@henrikcycles.example", gmailStyle, zone(1)}, 31, 15, "contacted"}
	ryan     = creator{person{"Ryan O'Connor", "ryan@ryanreviews.example", gmailStyle, zone(0)}, 33, 45, "paid"}
	jiwoo    = creator{person{"Ji-woo Han", "jiwoo@jiwoobeauty.example", gmailStyle, zone(9)}, 35, 1, "contacted"}
	diego    = creator{person{"Diego Ramírez", "diego@diegoplays.example", gmailStyle, zone(-6)}, 40, 18, "contacted"}
	rosa     = creator{person{"Rosa Martínez", "rosa@rosamartinez.example", appleStyle, zone(-5)}, 47, 19, "negotiating"}
)

// People who write on a creator's behalf.
var (
	jordan = person{"Jordan Blake", "jordan@northstartalent.example", outlookStyle, zone(-8)}
	dana   = person{"Dana Whitfield", "dana@brighttalent.example", outlookStyle, zone(-5)}
)

// creators lists every creator with mail, for the test.
var creators = []creator{maya, leo, priya, sofia, amara, ethan, hana, zara, noah, isabella, kai, olivia, chloe,
	daniel, fatima, ben, omar, ava, luca, mia, samuel, yuki, marcus, nina, aisha, henrik, ryan, jiwoo, diego, rosa}
