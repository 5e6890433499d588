package transfer

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"roster/crm"
)

// describe prints a record on one line so that tables can say what they
// expect compactly: "2 Maya Chen email=a@x.com tiktok:maya/12500/420bp".
func describe(r crm.ImportRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", r.Line, r.Name)
	if len(r.Emails) > 0 {
		b.WriteString(" email=" + strings.Join(r.Emails, ","))
	}
	for _, h := range r.Handles {
		fmt.Fprintf(&b, " %s:%s", h.Platform, h.Handle)
		if h.Followers != 0 || h.EngagementBP != 0 {
			fmt.Fprintf(&b, "/%d", h.Followers)
		}
		if h.EngagementBP != 0 {
			fmt.Fprintf(&b, "/%dbp", h.EngagementBP)
		}
	}
	if len(r.Tags) > 0 {
		b.WriteString(" tags=" + strings.Join(r.Tags, ","))
	}
	if r.Notes != "" {
		fmt.Fprintf(&b, " notes=%q", r.Notes)
	}
	if r.Source != "" {
		b.WriteString(" source=" + r.Source)
	}
	if r.Owner != "" {
		b.WriteString(" owner=" + r.Owner)
	}
	if r.Stage != "" {
		b.WriteString(" stage=" + string(r.Stage))
	}
	if r.DoNotContact != nil {
		b.WriteString(" dnc=" + strconv.FormatBool(*r.DoNotContact))
	}
	return b.String()
}

func describeAll(res CSVResult) (records, problems []string) {
	for _, r := range res.Records {
		records = append(records, describe(r))
	}
	for _, p := range res.Problems {
		problems = append(problems, fmt.Sprintf("%d: %s", p.Line, p.Msg))
	}
	return records, problems
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		records  []string
		problems []string // "line: message", messages may be prefixes
		ignored  []string
		delim    rune
		encoding string
	}{
		{
			name:    "minimal",
			in:      "name,email\nMaya Chen,maya@example.com\n",
			records: []string{"2 Maya Chen email=maya@example.com"},
		},
		{
			name: "a later header-like row is data",
			in: "Full Name,email\nA One,a@x.com\n" +
				"\n" + "Creator,email\nB Two,b@x.com\n",
			records:  []string{"2 A One email=a@x.com", "5 B Two email=b@x.com"},
			problems: []string{`4: email: "email" is not an email address`},
		},
		{
			name:    "first and last name columns are joined",
			in:      "First Name,Last Name,E-mail\nMaya,Chen,maya@x.com\n,Solo,solo@x.com\n",
			records: []string{"2 Maya Chen email=maya@x.com", "3 Solo email=solo@x.com"},
		},
		{
			name:    "name column wins over first and last",
			in:      "first name,last name,display name,email\nMaya,Chen,Maya C.,m@x.com\n",
			records: []string{"2 Maya C. email=m@x.com"},
		},
		{
			name:    "creator, creator name, influencer, display name",
			in:      "Creator Name,Email Address\nA,a@x.com\n",
			records: []string{"2 A email=a@x.com"},
		},
		{
			name:     "BOM and CRLF",
			in:       "\ufeffName,Email\r\nMaya,maya@x.com\r\nDev,dev@x.com\r\n",
			records:  []string{"2 Maya email=maya@x.com", "3 Dev email=dev@x.com"},
			encoding: EncodingUTF8BOM,
		},
		{
			name: "quoted newlines keep line numbers right for the rows after",
			in: "name,email,notes\n" +
				"Maya,maya@x.com,\"first line\nsecond line\nthird line\"\n" +
				"Dev,not-an-email,\n" +
				"\"Jo\nBlack\",jo@x.com,\n" +
				"Ann,ann@x.com,\"a \"\"quoted\"\" word\"\n",
			records: []string{
				`2 Maya email=maya@x.com notes="first line\nsecond line\nthird line"`,
				"6 Jo Black email=jo@x.com",
				`8 Ann email=ann@x.com notes="a \"quoted\" word"`,
			},
			problems: []string{`5: email: "not-an-email" is not an email address`},
		},
		{
			name:    "line breaks in notes become \\n", // found by FuzzReadCSV
			in:      "name,tiktok,notes\nr,r,\"k\rn\n\n\r\r\nn\"\n",
			records: []string{`2 r tiktok:r notes="k\nn\n\n\nn"`},
		},
		{
			name: "quoted newlines with CRLF",
			in:   "name,email,notes\r\nMaya,maya@x.com,\"one\r\ntwo\"\r\n,x@y.com,\r\n",
			records: []string{
				`2 Maya email=maya@x.com notes="one\ntwo"`,
			},
			problems: []string{"4: no name"},
		},
		{
			name: "semicolon file with decimal commas",
			in: "Name;E-Mail;TikTok;TikTok Followers;Engagement Rate;Tags\n" +
				"Jana;jana@x.de;@jana;12,5k;4,2%;Beauty, Vegan\n" +
				"Lukas;lukas@x.de;lukas;1.234.567;2,75 %;Fitness\n" +
				"Eva;eva@x.cz;eva;12.500;0,051;\n",
			records: []string{
				"2 Jana email=jana@x.de tiktok:jana/12500/420bp tags=Beauty,Vegan",
				"3 Lukas email=lukas@x.de tiktok:lukas/1234567/275bp tags=Fitness",
				"4 Eva email=eva@x.cz tiktok:eva/12500/510bp",
			},
			delim: ';',
		},
		{
			name:    "tab separated, empty fields kept",
			in:      "name\temail\ttiktok\tnotes\nMaya\t\tmaya\tfirst\nDev\tdev@x.com\t\t\n",
			records: []string{`2 Maya tiktok:maya notes="first"`, "3 Dev email=dev@x.com"},
			delim:   '\t',
		},
		{
			name:    "Excel sep= line",
			in:      "sep=;\nname;email\nMaya;maya@x.com\n",
			records: []string{"3 Maya email=maya@x.com"},
			delim:   ';',
		},
		{
			name:    "title line before the header",
			in:      "Creator Marketplace export 2025-03-01\n\nname,email\nMaya,maya@x.com\n",
			records: []string{"4 Maya email=maya@x.com"},
		},
		{
			name:    "header repeated by pasting files together",
			in:      "name,email\nMaya,maya@x.com\nName,Email\nDev,dev@x.com\n",
			records: []string{"2 Maya email=maya@x.com", "4 Dev email=dev@x.com"},
		},
		{
			name:    "blank rows are skipped silently",
			in:      "name,email,notes\n\n,,\n  ,  ,\nMaya,maya@x.com,\n\n",
			records: []string{"5 Maya email=maya@x.com"},
		},
		{
			name: "several emails in one cell",
			in: "name,email\n" +
				"Maya,\"maya@x.com, maya.work@y.com; m@z.com   other@w.com\"\n" +
				"Dev,Dev Patel <dev@x.com>\n" +
				"Jo,mailto:jo@x.com\n",
			records: []string{
				"2 Maya email=maya@x.com,maya.work@y.com,m@z.com,other@w.com",
				"3 Dev email=dev@x.com",
				"4 Jo email=jo@x.com",
			},
		},
		{
			name: "several email columns, duplicates dropped",
			in: "name,email,email 2,secondary email,Business E-Mail,Contact Email,alt email\n" +
				"Maya,maya.chen@gmail.com,mayachen@gmail.com,maya@work.com,biz@maya.co,,maya@WORK.com\n",
			records: []string{"2 Maya email=maya.chen@gmail.com,maya@work.com,biz@maya.co"},
		},
		{
			name: "per-platform handle columns, @ optional, URLs",
			in: "name,TikTok,Instagram Handle,YouTube Channel,Twitch,Twitter,X Handle\n" +
				"Maya,@Maya.Chen,https://www.instagram.com/maya.chen/?hl=en,https://youtube.com/@MayaChen,twitch.tv/mayalive,@maya_tweets,\n" +
				"Dev,https://www.tiktok.com/@devcooks/video/7234,IG: ,youtube.com/channel/UCabc123,,,devx\n",
			records: []string{
				"2 Maya tiktok:maya.chen instagram:maya.chen youtube:mayachen twitch:mayalive x:maya_tweets",
			},
			problems: []string{`3: Instagram Handle: "IG:" is not a handle (it has ':' in it)`},
		},
		{
			name: "abbreviated platform columns",
			in: "name,tt,ig,yt,insta username,tiktok username\n" +
				"Maya,maya1,maya2,maya3,maya4,maya5\n",
			records: []string{"2 Maya tiktok:maya1 instagram:maya2 youtube:maya3 instagram:maya4 tiktok:maya5"},
		},
		{
			name: "per-platform followers and engagement",
			in: "name,tiktok,tiktok followers,followers (instagram),instagram,IG Engagement Rate,TikTok ER,YouTube Subscribers,youtube\n" +
				"Maya,maya,12.5k,48K,maya.ig,3.1%,0.062,1.2M,mayayt\n",
			records: []string{"2 Maya tiktok:maya/12500/620bp instagram:maya.ig/48000/310bp youtube:mayayt/1200000"},
		},
		{
			name: "second handle on a platform",
			in: "name,tiktok,tiktok followers,tiktok 2,tiktok 2 followers\n" +
				"Maya,maya,10k,maya.backup,2k\n",
			records: []string{"2 Maya tiktok:maya/10000 tiktok:maya.backup/2000"},
		},
		{
			name: "Creator Marketplace style: platform, handle, followers",
			in: "platform,handle,followers,engagement rate,creator name,email\n" +
				"TikTok,@maya,12.5K followers,4.2%,Maya,maya@x.com\n" +
				"IG,dev,\"1,234\",0.05,Dev,dev@x.com\n" +
				"YouTube,,5k,,Jo,jo@x.com\n" +
				"Friendster,ann,1k,,Ann,ann@x.com\n",
			records: []string{
				"2 Maya email=maya@x.com tiktok:maya/12500/420bp",
				"3 Dev email=dev@x.com instagram:dev/1234/500bp",
				"5 Ann email=ann@x.com friendster:ann/1000", // crm keeps unknown platforms as written
			},
			problems: []string{
				`4: followers: "5k" but the row has no youtube handle for it`,
			},
		},
		{
			name:    "a bad platform cell is one problem, not two",
			in:      "name,platform,handle,followers\nMaya,Instagram Reels,maya,5k\nDev,TikTok,dev,1k\n",
			records: []string{"3 Dev tiktok:dev/1000"},
			problems: []string{
				`2: platform: unknown platform "Instagram Reels"`,
			},
		},
		{
			name: "generic handle takes its platform from the URL",
			in: "name,profile url,followers\n" +
				"Maya,https://www.tiktok.com/@maya,10k\n" +
				"Dev,instagram.com/dev,\n" +
				"Jo,jo,1k\n",
			records: []string{"2 Maya tiktok:maya/10000", "3 Dev instagram:dev"},
			problems: []string{
				`4: profile url: "jo" has no platform`,
			},
		},
		{
			name: "generic followers need exactly one handle",
			in: "name,email,tiktok,instagram,followers\n" +
				"Maya,,maya,,12k\n" +
				"Dev,dev@x.com,,,5k\n" +
				"Jo,,jo,jo.ig,5k\n" +
				"Ann,,ann,,\n",
			records: []string{"2 Maya tiktok:maya/12000", "5 Ann tiktok:ann"},
			problems: []string{
				`3: followers: "5k" but the row has no handle for it`,
				`4: followers: "5k" could be any of the row's 2 handles`,
			},
		},
		{
			name: "per-platform figures need their handle",
			in: "name,email,tiktok,tiktok followers,instagram followers\n" +
				"Maya,m@x.com,,12k,0\n" +
				"Dev,d@x.com,dev,1k,\n",
			records:  []string{"3 Dev email=d@x.com tiktok:dev/1000"},
			problems: []string{`2: tiktok followers: "12k" but the row has no tiktok handle for it`},
		},
		{
			name: "handle in the wrong platform column",
			in:   "name,tiktok\nMaya,https://instagram.com/maya\n",
			problems: []string{
				`2: tiktok: "https://instagram.com/maya" is a instagram link, not tiktok`,
			},
		},
		{
			name: "bad handles",
			in: "name,tiktok\n" +
				"A,maya chen\n" +
				"B,maya@gmail.com\n" +
				"C,https://www.instagram.com/p/Cx12/\n" +
				"D,@\n" +
				"E,https://www.tiktok.com//www.\n" + // found by FuzzReadCSV: the handle is "www."
				"F,www.\n",
			problems: []string{
				`2: tiktok: "maya chen" is not a handle (it has a space in it)`,
				`3: tiktok: "maya@gmail.com" is an email address, not a handle`,
				`4: tiktok: "https://www.instagram.com/p/Cx12/" links to a post`,
				`5: no email or handle`,
			},
			records: []string{"6 E tiktok:www.", "7 F tiktok:www."},
		},
		{
			name: "followers formats",
			in: "name,tiktok,followers\n" +
				"A,a,12.5k\nB,b,1.2M\nC,c,\"1,234\"\nD,d,12 500\nE,e,12.5K followers\nF,f,12500.0\nG,g,n/a\nH,h,-\n" +
				"I,i,12.x\nJ,j,-5\nK,k,1.5\nL,l,99999999999\n",
			records: []string{
				"2 A tiktok:a/12500", "3 B tiktok:b/1200000", "4 C tiktok:c/1234", "5 D tiktok:d/12500",
				"6 E tiktok:e/12500", "7 F tiktok:f/12500", "8 G tiktok:g", "9 H tiktok:h",
			},
			problems: []string{
				`10: followers: "12.x" is not a number`,
				`11: followers: "-5" is negative`,
				`12: followers: "1.5" is not a whole number`,
				`13: followers: "99999999999" is too large`,
			},
		},
		{
			name: "engagement formats",
			in: "name,tiktok,engagement\n" +
				"A,a,4.2%\nB,b,0.042\nC,c,4.2\nD,d,4.225%\nE,e,\nF,f,150%\nG,g,high\n",
			records: []string{"2 A tiktok:a/0/420bp", "3 B tiktok:b/0/420bp", "4 C tiktok:c/0/420bp",
				"5 D tiktok:d/0/423bp", "6 E tiktok:e"},
			problems: []string{
				`7: engagement: "150%" is more than 100%`,
				`8: engagement: "high" is not a number`,
			},
		},
		{
			name: "tags, notes, source, owner",
			in: "name,email,Labels,Niche,Comments,Notes,Lead Source,Assigned To\n" +
				"Maya,m@x.com,\"beauty, skincare\",Beauty;vegan,met at VidCon,  follow up in May ,TikTok Creator Marketplace,  sam  \n",
			records: []string{`2 Maya email=m@x.com tags=beauty,skincare,vegan notes="met at VidCon\nfollow up in May" source=TikTok Creator Marketplace owner=sam`},
		},
		{
			name: "stages and their synonyms",
			in: "name,email,Status\n" +
				"A,a@x.com,In Talks\nB,b@x.com,reached out\nC,c@x.com,PAID\nD,d@x.com,\nE,e@x.com,ghosted\n",
			records: []string{"2 A email=a@x.com stage=negotiating", "3 B email=b@x.com stage=contacted",
				"4 C email=c@x.com stage=paid", "5 D email=d@x.com"},
			problems: []string{`6: Status: unknown stage "ghosted"`},
		},
		{
			name: "do not contact",
			in: "name,email,Do Not Contact,Unsubscribed\n" +
				"A,a@x.com,yes,\nB,b@x.com,x,\nC,c@x.com,1,\nD,d@x.com,no,\nE,e@x.com,,\nF,f@x.com,false,TRUE\nG,g@x.com,maybe,\n",
			records: []string{"2 A email=a@x.com dnc=true", "3 B email=b@x.com dnc=true", "4 C email=c@x.com dnc=true",
				"5 D email=d@x.com dnc=false", "6 E email=e@x.com", "7 F email=f@x.com dnc=true"},
			problems: []string{`8: Do Not Contact: "maybe" is not yes or no`},
		},
		{
			name:    "DNC column",
			in:      "name,email,dnc\nA,a@x.com,Y\n",
			records: []string{"2 A email=a@x.com dnc=true"},
		},
		{
			name: "several problems on one row, one each",
			in:   "name,email,tiktok,followers,stage\n,bad,@two words,12.x,nope\n",
			problems: []string{
				`2: email: "bad" is not an email address`,
				`2: tiktok: "@two words" is not a handle (it has a space in it)`,
				`2: followers: "12.x" is not a number`,
				`2: stage: unknown stage "nope"`,
				`2: no name`,
			},
		},
		{
			name:     "no name and no contact",
			in:       "name,email\n,a@x.com\nB,\n",
			problems: []string{"2: no name", "3: no email or handle"},
		},
		{
			name:    "unknown columns are ignored and reported",
			in:      "Name,Email,Avg. Views,Country,,Emial\nMaya,m@x.com,12k,US,,typo@x.com\n",
			records: []string{"2 Maya email=m@x.com"},
			ignored: []string{"Avg. Views", "Country", "Emial"},
		},
		{
			name:     "Windows-1252 fallback",
			in:       "name,email,notes\nZo\xeb Br\xfbl\xe9,zoe@x.com,\x93caf\xe9\x94 \x80 5\n",
			records:  []string{`2 Zoë Brûlé email=zoe@x.com notes="“café” € 5"`},
			encoding: EncodingCP1252,
		},
		{
			name: "UTF-8 with a damaged byte names the line",
			in:   "name,email,notes\nZoë,zoe@x.com,ok\nAnn,ann@x.com,bad \xe9 byte\nBo,bo@x.com,\n",
			records: []string{
				`2 Zoë email=zoe@x.com notes="ok"`, "4 Bo email=bo@x.com",
			},
			problems: []string{"3: notes: invalid UTF-8 text"},
			encoding: EncodingUTF8,
		},
		{
			name:     "a damaged email is one problem, not two",
			in:       "name,email\nZoë,zoe@x.com\nAnn,ann\xe9@x.com\n",
			records:  []string{"2 Zoë email=zoe@x.com"},
			problems: []string{"3: email: invalid UTF-8 text"},
		},
		{
			name:     "UTF-16LE from Excel's Unicode Text",
			in:       utf16le("\ufeffname\temail\r\nZoë\tzoe@x.com\r\n"),
			records:  []string{"2 Zoë email=zoe@x.com"},
			delim:    '\t',
			encoding: EncodingUTF16LE,
		},
		{
			name:    "classic Mac line endings",
			in:      "name,email\rMaya,maya@x.com\rDev,bad\r",
			records: []string{"2 Maya email=maya@x.com"},
			problems: []string{
				`3: email: "bad" is not an email address`,
			},
		},
		{
			name: "malformed quotes are a problem on their line, later rows still read",
			in:   "name,email,notes\nMaya,maya@x.com,5'10\" tall\nDev,dev@x.com,ok\n",
			records: []string{
				"3 Dev email=dev@x.com notes=\"ok\"",
			},
			problems: []string{`2: a " inside a field that does not start with one (line 2, character 21)`},
		},
		{
			name:     "unterminated quote",
			in:       "name,email\nMaya,maya@x.com\nDev,\"dev@x.com\nJo,jo@x.com\n",
			records:  []string{"2 Maya email=maya@x.com"},
			problems: []string{"3: the quoted field opened here is not closed properly"},
		},
		{
			name: "formula guard is removed",
			in:   "name,email,notes\n'=Maya,maya@x.com,'-first\n",
			records: []string{
				`2 =Maya email=maya@x.com notes="-first"`,
			},
		},
		{
			name:     "short rows and long rows",
			in:       "name,email,tiktok\nMaya,maya@x.com\nDev,dev@x.com,dev,extra,cells\n",
			records:  []string{"2 Maya email=maya@x.com"},
			problems: []string{`3: 5 values, but the header names 3 columns, so "extra", "cells" would be lost`},
		},
		{
			name:    "spaces after commas and quoted fields",
			in:      "name, email, notes\nMaya, maya@x.com, \"a, b\"\n",
			records: []string{`2 Maya email=maya@x.com notes="a, b"`},
		},
		{
			name:     "a row with more values than the header is a problem",
			in:       "name;email\nA;a@a.example\nB;b@b.example;extra\nC;c@c.example;\n",
			records:  []string{"2 A email=a@a.example", "4 C email=c@c.example"},
			problems: []string{`3: 3 values, but the header names 2 columns`},
			delim:    ';',
		},
		{
			name:     "a value under a blank header cell is a problem too",
			in:       "name,email,,\nA,a@x.com,,\nB,b@x.com,,lost\n",
			records:  []string{"2 A email=a@x.com"},
			problems: []string{`3: 4 values, but the header names 2 columns`},
		},
		{
			name:    "names are cleaned of extra white space",
			in:      "name,email\n\"  Maya \n Chen \",maya@x.com\n",
			records: []string{"2 Maya Chen email=maya@x.com"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadCSV("creators.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			records, problems := describeAll(res)
			if !slices.Equal(records, tt.records) {
				t.Errorf("records:\n got %q\nwant %q", records, tt.records)
			}
			if len(problems) != len(tt.problems) {
				t.Errorf("problems:\n got %q\nwant %q", problems, tt.problems)
			} else {
				for i := range problems {
					if !strings.HasPrefix(problems[i], tt.problems[i]) {
						t.Errorf("problem %d:\n got %q\nwant %q...", i, problems[i], tt.problems[i])
					}
				}
			}
			for _, p := range res.Problems {
				if p.File != "creators.csv" {
					t.Errorf("problem %v has file %q", p, p.File)
				}
			}
			if !slices.Equal(res.Ignored, tt.ignored) {
				t.Errorf("ignored = %q, want %q", res.Ignored, tt.ignored)
			}
			if want := cmp.Or(tt.delim, ','); res.Delimiter != want {
				t.Errorf("delimiter = %q, want %q", res.Delimiter, want)
			}
			if tt.encoding != "" && res.Encoding != tt.encoding {
				t.Errorf("encoding = %q, want %q", res.Encoding, tt.encoding)
			}
		})
	}
}

func utf16le(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "creators.csv: the file is empty"},
		{"only white space", "\n \r\n", "creators.csv: the file is empty"},
		{"no header", "Maya Chen,maya@x.com\nDev,dev@x.com\n",
			"creators.csv: no name, email or handle column in the header (found: Maya Chen, maya@x.com)"},
		{"unknown header", "a,b,c\n1,2,3\n", "creators.csv: no name, email or handle column in the header (found: a, b, c)"},
		{"no name column", "email,tiktok\na@x.com,a\n", "creators.csv: no name column in the header (found: email, tiktok)"},
		{"no contact column", "name,notes\nA,b\n", "creators.csv: no email or handle column in the header (found: name, notes)"},
		// Header cells are shown, but never the terminal control sequences
		// in them: a colour, a window title set by OSC ending in BEL.
		{"hostile header", "foo\x1b[31mRED\x1b]0;pwned\a,bar\n1,2\n", "creators.csv: no name, email or handle column in the header (found: fooRED, bar)"},
		{"hostile header with a name", "name,notes\x1b[2J\nA,b\n", "creators.csv: no email or handle column in the header (found: name, notes)"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", "creators.csv: this is a spreadsheet workbook"},
		{"binary", "name,email\nA,\x00\x01\n", "creators.csv: not a text file"},
		{"JSON given as CSV", `{"schema": "roster.export/v1", "creators": []}`, "creators.csv: no name, email or handle column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV("creators.csv", strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q...", err, tt.want)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadCSVIOError(t *testing.T) {
	_, err := ReadCSV("creators.csv", failingReader{})
	if err == nil || err.Error() != "creators.csv: disk on fire" {
		t.Fatalf("err = %v", err)
	}
}

func TestHeaderSynonyms(t *testing.T) {
	tests := []struct {
		header string
		field  field
		p      crm.Platform
		slot   int
	}{
		{"name", fieldName, "", 0}, {"Full Name", fieldName, "", 0}, {"Creator", fieldName, "", 0},
		{"creator name", fieldName, "", 0}, {"Influencer", fieldName, "", 0}, {"Display Name", fieldName, "", 0},
		{"Creator's name", fieldName, "", 0}, {"  NAME  ", fieldName, "", 0}, {"Name:", fieldName, "", 0},
		{"First Name", fieldFirstName, "", 0}, {"first_name", fieldFirstName, "", 0}, {"Last Name", fieldLastName, "", 0},
		{"Surname", fieldLastName, "", 0},
		{"email", fieldEmail, "", 0}, {"E-mail", fieldEmail, "", 0}, {"Email Address", fieldEmail, "", 0},
		{"contact email", fieldEmail, "", 0}, {"Business Email", fieldEmail, "", 0}, {"Email 2", fieldEmail, "", 1},
		{"Secondary Email", fieldEmail, "", 0}, {"emails", fieldEmail, "", 0}, {"E-Mail-Address", fieldEmail, "", 0},
		{"tiktok", fieldHandle, crm.TikTok, 0}, {"TikTok Handle", fieldHandle, crm.TikTok, 0},
		{"Tik Tok Username", fieldHandle, crm.TikTok, 0}, {"tiktok_username", fieldHandle, crm.TikTok, 0},
		{"Instagram", fieldHandle, crm.Instagram, 0}, {"IG", fieldHandle, crm.Instagram, 0},
		{"Instagram Handle", fieldHandle, crm.Instagram, 0}, {"@instagram", fieldHandle, crm.Instagram, 0},
		{"YouTube", fieldHandle, crm.YouTube, 0}, {"YT", fieldHandle, crm.YouTube, 0},
		{"YouTube Channel", fieldHandle, crm.YouTube, 0}, {"YouTube URL", fieldHandle, crm.YouTube, 0},
		{"Twitch", fieldHandle, crm.Twitch, 0}, {"X", fieldHandle, crm.X, 0}, {"Twitter", fieldHandle, crm.X, 0},
		{"X handle", fieldHandle, crm.X, 0}, {"Handle (TikTok)", fieldHandle, crm.TikTok, 0},
		{"TikTok 2", fieldHandle, crm.TikTok, 1}, {"tiktok2", fieldHandle, crm.TikTok, 1},
		{"handle", fieldHandle, "", 0}, {"Username", fieldHandle, "", 0}, {"Profile URL", fieldHandle, "", 0},
		{"followers", fieldFollowers, "", 0}, {"Follower Count", fieldFollowers, "", 0},
		{"Followers Count", fieldFollowers, "", 0}, {"# of followers", fieldFollowers, "", 0},
		{"Subscribers", fieldFollowers, "", 0},
		{"TikTok Followers", fieldFollowers, crm.TikTok, 0}, {"Instagram Followers", fieldFollowers, crm.Instagram, 0},
		{"Followers on TikTok", fieldFollowers, crm.TikTok, 0}, {"followers (IG)", fieldFollowers, crm.Instagram, 0},
		{"YouTube Subscribers", fieldFollowers, crm.YouTube, 0}, {"tiktok 2 followers", fieldFollowers, crm.TikTok, 1},
		{"engagement", fieldEngagement, "", 0}, {"Engagement Rate", fieldEngagement, "", 0}, {"ER", fieldEngagement, "", 0},
		{"ER %", fieldEngagement, "", 0}, {"Engagement Rate (%)", fieldEngagement, "", 0},
		{"Avg. Engagement Rate", fieldEngagement, "", 0},
		{"TikTok Engagement", fieldEngagement, crm.TikTok, 0}, {"IG ER", fieldEngagement, crm.Instagram, 0},
		{"platform", fieldPlatform, "", 0}, {"Network", fieldPlatform, "", 0},
		{"tags", fieldTags, "", 0}, {"Labels", fieldTags, "", 0}, {"Categories", fieldTags, "", 0},
		{"Niche", fieldTags, "", 0}, {"category", fieldTags, "", 0},
		{"notes", fieldNotes, "", 0}, {"Comments", fieldNotes, "", 0},
		{"source", fieldSource, "", 0}, {"Lead Source", fieldSource, "", 0},
		{"owner", fieldOwner, "", 0}, {"Assigned to", fieldOwner, "", 0},
		{"stage", fieldStage, "", 0}, {"Status", fieldStage, "", 0}, {"Deal Stage", fieldStage, "", 0},
		{"do not contact", fieldDoNotContact, "", 0}, {"DNC", fieldDoNotContact, "", 0},
		{"Unsubscribed", fieldDoNotContact, "", 0}, {"Do-Not-Contact?", fieldDoNotContact, "", 0},
		{"Opt-out", fieldDoNotContact, "", 0},
		// Not ours.
		{"Avg. Views", fieldNone, "", 0}, {"Country", fieldNone, "", 0}, {"Channel", fieldNone, "", 0},
		{"Followers 2024", fieldNone, "", 0}, {"Engagement Rate (30d)", fieldNone, "", 0}, {"", fieldNone, "", 0},
		{"ignore", fieldNone, "", 0}, {"Email opt-in", fieldNone, "", 0},
	}
	for _, tt := range tests {
		f, p, slot := classify(tt.header)
		if f != tt.field || p != tt.p || slot != tt.slot {
			t.Errorf("classify(%q) = %v %q %d, want %v %q %d", tt.header, f, p, slot, tt.field, tt.p, tt.slot)
		}
	}
}

func TestOtherPlatformColumns(t *testing.T) {
	in := "name,threads handle,threads followers,threads engagement,last month followers,secondary handle\n" +
		"Maya,@maya,12k,3%,5000,\n"
	res, err := ReadCSV("c.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	records, problems := describeAll(res)
	if want := []string{"2 Maya threads:maya/12000/300bp"}; !slices.Equal(records, want) || len(problems) > 0 {
		t.Errorf("records %q problems %q, want %q", records, problems, want)
	}
	if want := []string{"last month followers", "secondary handle"}; !slices.Equal(res.Ignored, want) {
		t.Errorf("ignored %q, want %q", res.Ignored, want)
	}
}

func TestParseFollowers(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{"12500", 12500, ""}, {"12.5k", 12500, ""}, {"12.5K", 12500, ""}, {"12,5k", 12500, ""},
		{"1.2M", 1200000, ""}, {"1.2m", 1200000, ""}, {"1,2 Mio", 1200000, ""}, {"2B", 2000000000, ""},
		{"1,234", 1234, ""}, {"1.234", 1234, ""}, {"12 500", 12500, ""}, {"12\u00a0500", 12500, ""},
		{"12\u202f500", 12500, ""}, {"1'234'567", 1234567, ""}, {"1,234,567", 1234567, ""},
		{"1.234.567", 1234567, ""}, {"12,34,567", 1234567, ""}, {"1,234.0", 1234, ""}, {"1.234,0", 1234, ""},
		{"12.5K followers", 12500, ""}, {"12,500 Followers", 12500, ""}, {"5k subs", 5000, ""},
		{"12500.0", 12500, ""}, {"+500", 500, ""}, {"0", 0, ""}, {"1.2345k", 1235, ""}, {"1.2344k", 1234, ""},
		{"0.5k", 500, ""}, {".5k", 500, ""}, {"007", 7, ""}, {"10 thousand", 10000, ""},
		{"12.x", 0, `"12.x" is not a number`}, {"abc", 0, `"abc" is not a number`}, {"k", 0, `"k" is not a number`},
		{"-5", 0, `"-5" is negative`}, {"1.5", 0, `"1.5" is not a whole number`},
		{"12,5", 0, `"12,5" is not a whole number`}, {"1,23,4", 0, `"1,23,4" is not a number`},
		{"1..2", 0, `"1..2" is not a number`}, {"1.2.3k", 0, `"1.2.3k" is not a number`},
		{"99999999999", 0, `"99999999999" is too large`}, {"20B", 0, `"20B" is too large`},
		{"123456789012345678901234", 0, `"123456789012345678901234" has too many digits`},
		{"1e5", 0, `"1e5" is not a number`},
	}
	for _, tt := range tests {
		got, ok, err := parseFollowers(tt.in)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("parseFollowers(%q) = %d, %v; want error %q", tt.in, got, err, tt.err)
			}
		case err != nil || got != tt.want || !ok:
			t.Errorf("parseFollowers(%q) = %d, %v, %v; want %d", tt.in, got, ok, err, tt.want)
		}
	}
	for _, blank := range []string{"", "  ", "-", "n/a", "N/A", "—"} {
		if n, ok, err := parseFollowers(blank); ok || err != nil || n != 0 {
			t.Errorf("parseFollowers(%q) = %d, %v, %v; want not set", blank, n, ok, err)
		}
	}
}

func TestParseEngagement(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  string
	}{
		{"4.2%", 420, ""}, {"4.2 %", 420, ""}, {"4,2%", 420, ""}, {"4,2", 420, ""}, {"4.2", 420, ""},
		{"0.042", 420, ""}, {",042", 420, ""}, {"0,042", 420, ""}, {"12%", 1200, ""}, {"12", 1200, ""},
		{"1", 10000, ""}, {"1%", 100, ""}, {"0.5%", 50, ""}, {"0.5", 5000, ""}, {"100%", 10000, ""},
		{"4.225%", 423, ""}, {"4.2249%", 422, ""}, {"0.00005", 1, ""}, {"0.00004", 0, ""}, {"0", 0, ""},
		{"4.%", 400, ""},
		{"150%", 0, `"150%" is more than 100%`}, {"101", 0, `"101" is more than 100%`},
		{"-1%", 0, `"-1%" is negative`}, {"high", 0, `"high" is not a number`},
		{"1,234.5", 0, `"1,234.5" is not a number`}, {"%", 0, `"%" is not a number`},
		{"4.2.1", 0, `"4.2.1" is not a number`},
	}
	for _, tt := range tests {
		got, ok, err := parseEngagement(tt.in)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("parseEngagement(%q) = %d, %v; want error %q", tt.in, got, err, tt.err)
			}
		case err != nil || got != tt.want || !ok:
			t.Errorf("parseEngagement(%q) = %d, %v, %v; want %d", tt.in, got, ok, err, tt.want)
		}
	}
}

func TestMarketplaceFile(t *testing.T) {
	f, err := os.Open("testdata/marketplace.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ReadCSV("marketplace.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	records, problems := describeAll(res)
	want := []string{
		"2 Maya Chen email=maya@mayamakes.co tiktok:maya.makes/48200/610bp tags=Beauty,Skincare stage=contacted",
		"3 Dev Patel email=dev.patel@gmail.com instagram:devcooks/112000/340bp tags=Food",
		"4 Sofia Álvarez email=sofia@moves.es tiktok:sofiamoves/9800/1120bp tags=Fitness stage=negotiating",
		"5 Kenji Watanabe email=biz@kenjibuilds.jp youtube:kenjibuilds/1200000/290bp tags=Tech,DIY",
		"6 Ama Owusu email=ama.owusu@outlook.com tiktok:ama.styles/23400/780bp tags=Fashion",
		"7 Lena Fischer email=lena@fischer-fit.de instagram:lenafit/67900/400bp tags=Fitness stage=active",
		"8 Priya Nair tiktok:priyareads/15000/720bp tags=Books",
		"10 Zoe Martin email=zoe@zoemartin.fr,zoe.martin@gmail.com instagram:zoe.martin/31400/330bp tags=Travel stage=declined",
		"12 Chris Lee email=chris@leeplays.gg twitch:chrisleeplays/44000 tags=Gaming stage=active",
		"14 Omar Haddad email=omar@haddad.media instagram:omarhaddad/210000/210bp tags=Travel,Food stage=negotiating",
		"15 Grace Kim email=grace@gracekim.kr tiktok:gracekim/99500/840bp tags=Beauty,K-beauty stage=contacted",
		"16 Leo Rossi email=leo@rossi.it,press@rossi.it youtube:leorossicycling/340000/460bp tags=Cycling",
	}
	if !slices.Equal(records, want) {
		t.Errorf("records:\n got %s\nwant %s", strings.Join(records, "\n     "), strings.Join(want, "\n     "))
	}
	wantProblems := []string{
		`9: Contact Email: "tom.becker@" is not an email address`,
		`11: no name`,
		`13: Followers: "12.x" is not a number`,
		`17: Username: "@hana novak" is not a handle (it has a space in it)`,
	}
	if !slices.Equal(problems, wantProblems) {
		t.Errorf("problems:\n got %q\nwant %q", problems, wantProblems)
	}
	if want := []string{"Avg. Views", "Country"}; !slices.Equal(res.Ignored, want) {
		t.Errorf("ignored = %q, want %q", res.Ignored, want)
	}
}

func TestEuropeanFile(t *testing.T) {
	data, err := os.ReadFile("testdata/european.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\ufeff") || !strings.Contains(string(data), "\r\n") {
		t.Fatal("testdata/european.csv lost its BOM or CRLF line ends")
	}
	res, err := ReadCSV("european.csv", strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	records, problems := describeAll(res)
	want := []string{
		`2 Jana Müller email=jana@mueller.de instagram:jana.mueller/12500/420bp tags=Beauty,Vegan notes="Mag Naturkosmetik"`,
		`3 Lukas Weber email=lukas.weber@web.de instagram:lukasweber/1234567/275bp tags=Fitness notes="Erstkontakt über Messe;\nbitte im Mai melden" dnc=false`,
		`5 Camille Dubois email=camille@dubois.fr instagram:camille.dubois/45300/510bp tags=Mode,Paris dnc=true`,
		`6 Marco Bianchi email=marco@bianchi.it instagram:marcob/8900/390bp tags=Food dnc=false`,
	}
	if !slices.Equal(records, want) {
		t.Errorf("records:\n got %s\nwant %s", strings.Join(records, "\n     "), strings.Join(want, "\n     "))
	}
	if want := []string{`7: Instagram Followers: "12,5" is not a whole number`}; !slices.Equal(problems, want) {
		t.Errorf("problems = %q, want %q", problems, want)
	}
	if res.Delimiter != ';' || res.Encoding != EncodingUTF8BOM {
		t.Errorf("delimiter %q encoding %q", res.Delimiter, res.Encoding)
	}
}

// Every record ReadCSV returns must be a creator crm accepts as it is.
func TestRecordsAreValidCreators(t *testing.T) {
	for _, name := range []string{"testdata/marketplace.csv", "testdata/european.csv"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ReadCSV(name, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			c := creatorOf(r)
			if err := c.Validate(); err != nil {
				t.Errorf("%s:%d: %v", name, r.Line, err)
			}
		}
	}
}

func creatorOf(r crm.ImportRecord) crm.Creator {
	c := crm.Creator{Name: r.Name, Emails: slices.Clone(r.Emails), Handles: slices.Clone(r.Handles),
		Tags: slices.Clone(r.Tags), Notes: r.Notes, Source: r.Source, Owner: r.Owner}
	if r.DoNotContact != nil {
		c.DoNotContact = *r.DoNotContact
	}
	return c
}
