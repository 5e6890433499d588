// Package demo seeds a realistic roster so a newcomer sees roster working
// in one command: creators found on TikTok's Creator Marketplace,
// Instagram and YouTube and among the brand's own loyal customers, spread
// over every stage with a plausible history. It is deterministic: the same
// "now" gives the same roster.
package demo

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"roster/crm"
)

// person is one seed creator.
type person struct {
	name      string
	email     string
	platform  crm.Platform
	handle    string
	followers int64
	engBP     int
	tags      string
	source    string
	stage     crm.Stage
	daysAgo   int // when the deal last moved
	second    *crm.Handle
	note      string
	reason    string // for declined deals
}

// People lists the seed creators. Addresses use example domains so the
// demo can never write to a real person.
var people = []person{
	{"Maya Chen", "maya@mayamakes.example", crm.TikTok, "mayamakes", 48_200, 610, "beauty, skincare", "tiktok creator marketplace", crm.Negotiating, 2, &crm.Handle{Platform: crm.Instagram, Handle: "maya.makes", Followers: 12_400, EngagementBP: 380}, "Asked for $450 for one video + 2 stories; counter at $380 with 10% commission.", ""},
	{"Leo Park", "leo.park@cookswithleo.example", crm.Instagram, "leo.cooks", 9_100, 720, "food, recipes", "loyalty program", crm.Contacted, 4, nil, "Customer since 2023, 14 orders. Posts weekly recipe reels.", ""},
	{"Priya Raman", "priya@priyaruns.example", crm.YouTube, "PriyaRuns", 86_000, 450, "fitness, running", "youtube search", crm.Active, 9, &crm.Handle{Platform: crm.Instagram, Handle: "priyaruns", Followers: 31_000, EngagementBP: 290}, "Integration in the marathon-prep video, due 12 Dec.", ""},
	{"Sofia Alvarez", "sofia.alvarez@gmail.example", crm.TikTok, "sofiaskin", 132_000, 530, "beauty, skincare, latam", "tiktok creator marketplace", crm.Paid, 21, nil, "", ""},
	{"Jonas Weber", "jonas@jonasbrews.example", crm.YouTube, "JonasBrews", 22_500, 380, "coffee, home barista", "referral", crm.Prospect, 1, nil, "Referred by Priya.", ""},
	{"Amara Okafor", "amara.okafor@outlook.example", crm.Instagram, "amara.styles", 64_300, 410, "fashion, sustainable", "instagram hashtag #slowfashion", crm.Negotiating, 6, &crm.Handle{Platform: crm.TikTok, Handle: "amarastyles", Followers: 18_900, EngagementBP: 700}, "Wants usage rights limited to 30 days.", ""},
	{"Ethan Brooks", "ethan@ethanoutdoors.example", crm.YouTube, "EthanOutdoors", 412_000, 290, "outdoors, camping, gear", "youtube search", crm.Contacted, 12, nil, "Mid-tier; ask for media kit.", ""},
	{"Hana Sato", "hana.sato@gmail.example", crm.TikTok, "hanabakes", 7_800, 940, "baking, food", "loyalty program", crm.Active, 3, nil, "Ambassador: monthly post + code HANA10.", ""},
	{"Lucas Moreau", "lucas@lucasmoreau.example", crm.Instagram, "lucas.moreau", 3_400, 880, "travel, photography", "loyalty program", crm.Prospect, 0, nil, "", ""},
	{"Zara Ahmed", "zara@zaraglow.example", crm.TikTok, "zaraglow", 245_000, 470, "beauty, makeup", "tiktok creator marketplace", crm.Declined, 15, nil, "", "rate above budget ($2,500 per video)"},
	{"Noah Fischer", "noah.fischer@proton.example", crm.YouTube, "NoahBuilds", 57_000, 510, "diy, woodworking", "youtube search", crm.Negotiating, 1, nil, "", ""},
	{"Isabella Rossi", "isabella@bellacucina.example", crm.Instagram, "bella.cucina", 38_700, 560, "food, italian", "instagram hashtag #homecooking", crm.Active, 17, nil, "2 reels + 3 stories; first reel live.", ""},
	{"Kai Nakamura", "kai@kaiskates.example", crm.TikTok, "kaiskates", 19_200, 820, "skate, streetwear", "tiktok creator marketplace", crm.Contacted, 2, nil, "", ""},
	{"Olivia Bennett", "olivia.bennett@gmail.example", crm.Instagram, "livbennett", 11_600, 650, "parenting, lifestyle", "loyalty program", crm.Paid, 33, nil, "", ""},
	{"Mateo Silva", "mateo@mateofit.example", crm.TikTok, "mateofit", 73_400, 590, "fitness, nutrition", "tiktok creator marketplace", crm.Prospect, 5, &crm.Handle{Platform: crm.YouTube, Handle: "MateoFit", Followers: 8_200, EngagementBP: 320}, "", ""},
	{"Chloe Dubois", "chloe@chloereads.example", crm.TikTok, "chloereads", 5_900, 1_020, "books, booktok", "loyalty program", crm.Negotiating, 8, nil, "Prefers product + commission, no fee.", ""},
	{"Daniel Kim", "daniel.kim@techwithdan.example", crm.YouTube, "TechWithDan", 188_000, 340, "tech, reviews", "inbound", crm.Contacted, 20, nil, "Follow up after CES.", ""},
	{"Fatima Zahra", "fatima@fatimamodest.example", crm.Instagram, "fatima.modest", 27_800, 690, "fashion, modest", "instagram hashtag #modestfashion", crm.Active, 4, nil, "", ""},
	{"Ben Carter", "ben.carter@gmail.example", crm.TikTok, "bencooksquick", 2_300, 1_150, "food, budget", "loyalty program", crm.Prospect, 3, nil, "Tagged us in 4 posts unprompted.", ""},
	{"Grace Liu", "grace@gracegardens.example", crm.Instagram, "grace.gardens", 15_300, 480, "gardening, plants", "referral", crm.Prospect, 11, nil, "", ""},
	{"Omar Haddad", "omar@omarhikes.example", crm.YouTube, "OmarHikes", 9_700, 530, "outdoors, hiking", "youtube search", crm.Declined, 40, nil, "", "no reply after two follow-ups"},
	{"Ava Thompson", "ava@avamoves.example", crm.TikTok, "avamoves", 540_000, 360, "dance, fitness", "tiktok creator marketplace", crm.Contacted, 6, nil, "Macro; needs agency approval.", ""},
	{"Luca Bianchi", "luca.bianchi@gmail.example", crm.Instagram, "lucabianchi.eats", 44_100, 520, "food, restaurants", "instagram hashtag #foodie", crm.Paid, 12, nil, "", ""},
	{"Mia Johansson", "mia@miajohansson.example", crm.TikTok, "miaj.skin", 28_600, 640, "beauty, skincare, nordic", "tiktok creator marketplace", crm.Active, 1, nil, "Story set due Friday.", ""},
	{"Samuel Osei", "samuel@samuelosei.example", crm.YouTube, "SamuelOseiVlogs", 123_500, 400, "travel, vlog", "inbound", crm.Negotiating, 13, nil, "", ""},
	{"Yuki Tanaka", "yuki@yukidraws.example", crm.Instagram, "yuki.draws", 6_400, 910, "art, stationery", "loyalty program", crm.Contacted, 9, nil, "", ""},
	{"Elena Popescu", "elena@elenapilates.example", crm.TikTok, "elenapilates", 91_000, 570, "fitness, pilates", "tiktok creator marketplace", crm.Prospect, 2, nil, "", ""},
	{"Marcus Reed", "marcus@marcusgrills.example", crm.YouTube, "MarcusGrills", 310_000, 310, "food, bbq", "youtube search", crm.Declined, 25, nil, "", "exclusive with a competitor until March"},
	{"Nina Petrova", "nina@ninaknits.example", crm.Instagram, "nina.knits", 13_900, 760, "crafts, knitting", "referral", crm.Active, 26, nil, "", ""},
	{"Tomás García", "tomas@tomasgarcia.example", crm.TikTok, "tomascomedy", 1_250_000, 280, "comedy, lifestyle", "inbound", crm.Prospect, 7, nil, "Mega; only if budget allows.", ""},
	{"Aisha Bello", "aisha@aishaglow.example", crm.Instagram, "aisha.glow", 52_700, 590, "beauty, haircare", "instagram hashtag #naturalhair", crm.Negotiating, 3, &crm.Handle{Platform: crm.TikTok, Handle: "aishaglow", Followers: 77_000, EngagementBP: 810}, "", ""},
	{"Henrik Larsen", "henrik@henrikcycles.example", crm.YouTube, "HenrikCycles", 34_000, 470, "cycling, outdoors", "youtube search", crm.Contacted, 15, nil, "", ""},
	{"Camila Torres", "camila.torres@gmail.example", crm.TikTok, "camilacooks", 16_800, 880, "food, latam", "loyalty program", crm.Active, 8, nil, "", ""},
	{"Ryan O'Connor", "ryan@ryanreviews.example", crm.YouTube, "RyanReviews", 67_300, 350, "tech, gadgets", "inbound", crm.Paid, 45, nil, "", ""},
	{"Lea Schmidt", "lea@leaschmidt.example", crm.Instagram, "lea.wanders", 21_400, 530, "travel, europe", "instagram hashtag #slowtravel", crm.Prospect, 13, nil, "", ""},
	{"Ji-woo Han", "jiwoo@jiwoobeauty.example", crm.TikTok, "jiwoo.beauty", 39_900, 720, "beauty, kbeauty", "tiktok creator marketplace", crm.Contacted, 1, nil, "", ""},
	{"Gabriel Santos", "gabriel@gabrielsurf.example", crm.Instagram, "gabriel.surf", 8_800, 690, "surf, outdoors", "loyalty program", crm.Negotiating, 10, nil, "", ""},
	{"Emily Walsh", "emily@emilywalsh.example", crm.TikTok, "emilyorganizes", 103_000, 480, "home, organizing", "tiktok creator marketplace", crm.Active, 14, nil, "", ""},
	{"Arjun Mehta", "arjun@arjuneats.example", crm.YouTube, "ArjunEats", 4_600, 860, "food, vegetarian", "loyalty program", crm.Prospect, 4, nil, "", ""},
	{"Sara Lindqvist", "sara@saralindqvist.example", crm.Instagram, "sara.lindqvist", 71_200, 440, "interiors, scandi", "referral", crm.Paid, 60, nil, "", ""},
	{"Diego Ramírez", "diego@diegoplays.example", crm.Twitch, "diegoplays", 26_300, 0, "gaming", "inbound", crm.Contacted, 18, nil, "Streams Tue/Thu; prefers a live read.", ""},
	{"Lily Evans", "lily.evans@gmail.example", crm.TikTok, "lilystudies", 12_100, 950, "study, stationery", "loyalty program", crm.Prospect, 1, nil, "", ""},
	{"Kofi Mensah", "kofi@kofistyle.example", crm.Instagram, "kofi.style", 45_500, 600, "fashion, menswear", "instagram hashtag #menswear", crm.Negotiating, 5, nil, "", ""},
	{"Anna Kowalska", "anna@annabakes.example", crm.YouTube, "AnnaBakes", 158_000, 390, "baking, food", "youtube search", crm.Active, 6, nil, "", ""},
	{"Pedro Costa", "pedro@pedrocosta.example", crm.TikTok, "pedrofixes", 33_300, 700, "diy, home", "tiktok creator marketplace", crm.Prospect, 9, nil, "", ""},
	{"Ingrid Holm", "ingrid@ingridholm.example", crm.Instagram, "ingrid.holm", 2_900, 1_240, "wellness, yoga", "loyalty program", crm.Contacted, 3, nil, "", ""},
	{"Victor Nguyen", "victor@victornguyen.example", crm.YouTube, "VictorNguyenFilms", 19_800, 560, "film, photography", "referral", crm.Prospect, 16, nil, "", ""},
	{"Rosa Martínez", "rosa@rosamartinez.example", crm.TikTok, "rosamakeup", 260_000, 420, "beauty, makeup", "tiktok creator marketplace", crm.Negotiating, 19, nil, "Agency: Bright Talent. Wants 50% upfront.", ""},
}

// Count is how many creators Seed adds.
func Count() int { return len(people) }

// settableClock lets Seed stamp each change at a plausible past moment.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settableClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Seed fills an empty repository with the demo roster as of now: a
// General campaign and a "Spring glow launch" campaign, every creator
// walked through the stages their deal reached, by two teammates, with
// timestamps in the past.
func Seed(base *crm.Service, now time.Time) error {
	clock := &settableClock{t: now.AddDate(0, 0, -90)}
	svc := base.WithClock(clock)
	if err := svc.Init("sam"); err != nil {
		return err
	}
	general, err := svc.CampaignByName(crm.DefaultCampaignName)
	if err != nil {
		return err
	}
	spring, err := svc.CreateCampaign("sam", crm.Campaign{Name: "Spring glow launch", Budget: crm.Money{AmountMinor: 1_500_000, Currency: "USD"}})
	if err != nil {
		return err
	}
	actors := []string{"sam", "alex"}
	for i, p := range people {
		moved := now.AddDate(0, 0, -p.daysAgo).Add(-time.Duration(i*37) * time.Minute)
		steps := p.stage.Index()
		if p.stage == crm.Declined {
			steps = 2
		}
		start := moved.AddDate(0, 0, -(3*steps + 2))
		clock.set(start)
		c := crm.Creator{Name: p.name, Emails: []string{p.email}, Source: p.source, Notes: p.note, Owner: actors[i%2],
			Handles: []crm.Handle{{Platform: p.platform, Handle: p.handle, Followers: p.followers, EngagementBP: p.engBP}},
			Tags:    strings.Split(p.tags, ", ")}
		if p.second != nil {
			c.Handles = append(c.Handles, *p.second)
		}
		campaign := general.ID
		if strings.Contains(p.tags, "beauty") || strings.Contains(p.tags, "skincare") {
			campaign = spring.ID
		}
		card, err := svc.AddCreator(actors[i%2], c, campaign, crm.Prospect)
		if err != nil {
			return fmt.Errorf("demo: %s: %w", p.name, err)
		}
		d := card.Deal
		for s := 1; s <= steps; s++ {
			clock.set(start.AddDate(0, 0, 3*s))
			if s == steps && p.stage != crm.Declined {
				clock.set(moved)
			}
			if d, err = svc.MoveDeal(actors[(i+s)%2], d.ID, d.Version, crm.BoardStages[s]); err != nil {
				return fmt.Errorf("demo: %s: %w", p.name, err)
			}
		}
		if p.stage == crm.Declined {
			clock.set(moved)
			if _, err = svc.DeclineDeal(actors[i%2], d.ID, d.Version, p.reason); err != nil {
				return fmt.Errorf("demo: %s: %w", p.name, err)
			}
		}
		// A few creators are on both boards, as ambassadors often are.
		if i%9 == 0 && campaign == spring.ID {
			clock.set(moved.Add(time.Hour))
			if _, err := svc.AddDeal("sam", card.Creator.ID, general.ID); err != nil {
				return fmt.Errorf("demo: %s: %w", p.name, err)
			}
		}
	}
	return nil
}
