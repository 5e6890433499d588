package msgparse

import (
	"bytes"
	"encoding/base64"
	"flag"
	"mime"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite testdata/*.eml from fixtures()")

// TestFixturesOnDisk keeps testdata/*.eml byte-equal to fixtures(); run
// `go test ./mail/msgparse -run TestFixturesOnDisk -update` after editing.
func TestFixturesOnDisk(t *testing.T) {
	fx := fixtures()
	names := make([]string, 0, len(fx))
	for n := range fx {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		path := filepath.Join("testdata", n+".eml")
		if *update {
			if err := os.WriteFile(path, fx[n], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./mail/msgparse -run TestFixturesOnDisk -update)", err)
		}
		if !bytes.Equal(got, fx[n]) {
			t.Errorf("%s differs from fixtures() (-update rewrites it)", path)
		}
	}
}

// crlf turns a literal written with \n into wire format.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// b64 encodes data as a MIME base64 body (76-column lines).
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func enc(e encoding.Encoding, s string) string {
	out, err := e.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// pngBytes is a real 1×1 PNG, gifBytes a 1×1 GIF, pdfBytes a tiny PDF.
var (
	pngBytes, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
	gifBytes, _ = base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
	pdfBytes    = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
)

// Texts the fixtures encode, shared with the assertions.
const (
	gbText    = "你好！我们很高兴与您合作。报价：五千元。"
	sjisText  = "こんにちは。コラボの件、ありがとうございます。"
	jisText   = "お世話になっております。撮影は三月十五日です。"
	jisSubj   = "撮影のご案内"
	mixedSubj = "Résumé — 🎉 コラボ"
)

func fixtures() map[string][]byte {
	fx := map[string][]byte{}

	fx["gmail_reply"] = crlf(`Delivered-To: sam@roster-agency.com
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])
        by mx.google.com with SMTPS id a1sor123.2024.01.09.01.02.03
        for <sam@roster-agency.com>; Tue, 09 Jan 2024 01:02:03 -0800 (PST)
MIME-Version: 1.0
References: <CAB1xyz0@mail.gmail.com>
 <20240108.abc@roster-agency.com>
In-Reply-To: <20240108.abc@roster-agency.com>
From: Jane Doe <Jane.Doe@GMail.COM>
Date: Tue, 9 Jan 2024 10:02:03 +0100
Message-ID: <CAK7-reply-1@mail.gmail.com>
Subject: Re: Collab for the spring launch
To: Sam Manager <sam@roster-agency.com>
Cc: agent@Talent.Example
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Hi Sam,

Thanks =E2=80=94 the rate works for me. I can post on the 15th.

Best,
Jane

On Mon, Jan 8, 2024 at 6:15=E2=80=AFPM Sam Manager <sam@roster-agency.com>=
 wrote:

> Hi Jane,
>
> We'd love to have you for the spring launch. Our budget is $2,000.
>
> Sam
>

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Hi Sam,<div><br></div><div>Thanks =E2=80=94 the rate works=
 for me. I can post on the 15th.</div><div><br></div><div>Best,</div><div>J=
ane</div></div><br><div class=3D"gmail_quote"><div dir=3D"ltr" class=3D"gma=
il_attr">On Mon, Jan 8, 2024 at 6:15=E2=80=AFPM Sam Manager &lt;<a href=3D"=
mailto:sam@roster-agency.com">sam@roster-agency.com</a>&gt; wrote:<br></div=
><blockquote class=3D"gmail_quote" style=3D"margin:0px 0px 0px 0.8ex;border=
-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir=3D"ltr">Hi Jane=
,<div><br></div><div>We'd love to have you for the spring launch. Our budge=
t is $2,000.</div><div><br></div><div>Sam</div></div>
</blockquote></div>

--000000000000a1b2c3--
`)

	fx["outlook_reply"] = crlf(`Received: from DB9PR01MB1234.eurprd01.prod.exchangelabs.com
 ([fe80::1]) by DB9PR01MB1234.eurprd01.prod.exchangelabs.com with mapi id
 15.20.7181.015; Tue, 9 Jan 2024 09:15:44 +0000
From: Marco Rossi <Marco.Rossi@Agency-Example.COM>
To: "sam@roster-agency.com" <sam@roster-agency.com>
Subject: RE: Collab for the spring launch
Thread-Topic: Collab for the spring launch
Thread-Index: AQHaQnR0c2VjcmV0IGd1aWQgaGVyZQ==
Date: Tue, 9 Jan 2024 09:15:44 +0000
Message-ID:
 <DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.exchangelabs.com>
References: <20240108.abc@roster-agency.com>
In-Reply-To: <20240108.abc@roster-agency.com>
Accept-Language: it-IT, en-US
Content-Language: en-US
X-MS-Has-Attach:
Content-Type: multipart/alternative;
	boundary="_000_DB9PR01MB1234ABCD_"
MIME-Version: 1.0

--_000_DB9PR01MB1234ABCD_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hi Sam,

Confirmed for the 15th. Invoice to follow.

Marco

________________________________
From: Sam Manager <sam@roster-agency.com>
Sent: Monday, January 8, 2024 6:15 PM
To: Marco Rossi <marco.rossi@agency-example.com>
Subject: Collab for the spring launch

Hi Marco,

Is your creator available in March?

Sam

--_000_DB9PR01MB1234ABCD_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html>
<head>
<meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Dus-ascii">
<style type=3D"text/css" style=3D"display:none;"> P {margin-top:0;margin-bo=
ttom:0;} </style>
</head>
<body dir=3D"ltr">
<div style=3D"font-family: Calibri, Arial, Helvetica, sans-serif; font-size=
: 12pt; color: rgb(0, 0, 0);">
Hi Sam,</div>
<div style=3D"font-family: Calibri, Arial, Helvetica, sans-serif; font-size=
: 12pt; color: rgb(0, 0, 0);">
<br>
</div>
<div style=3D"font-family: Calibri, Arial, Helvetica, sans-serif; font-size=
: 12pt; color: rgb(0, 0, 0);">
Confirmed for the 15th. Invoice to follow.</div>
<div style=3D"font-family: Calibri, Arial, Helvetica, sans-serif; font-size=
: 12pt; color: rgb(0, 0, 0);">
<br>
</div>
<div style=3D"font-family: Calibri, Arial, Helvetica, sans-serif; font-size=
: 12pt; color: rgb(0, 0, 0);">
Marco</div>
<div id=3D"appendonsend"></div>
<hr style=3D"display:inline-block;width:98%" tabindex=3D"-1">
<div id=3D"divRplyFwdMsg" dir=3D"ltr"><font face=3D"Calibri, sans-serif" st=
yle=3D"font-size:11pt" color=3D"#000000"><b>From:</b> Sam Manager &lt;sam@r=
oster-agency.com&gt;<br>
<b>Sent:</b> Monday, January 8, 2024 6:15 PM<br>
<b>To:</b> Marco Rossi &lt;marco.rossi@agency-example.com&gt;<br>
<b>Subject:</b> Collab for the spring launch</font>
<div>&nbsp;</div>
</div>
<div>Hi Marco,<br>
<br>
Is your creator available in March?<br>
<br>
Sam</div>
</body>
</html>

--_000_DB9PR01MB1234ABCD_--
`)

	fx["latin1_smartquotes"] = crlf("From: =?iso-8859-1?Q?Fran=E7ois_O=92Brien?= <francois@example.fr>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: =?iso-8859-1?Q?=93Caf=E9=94_collab?=\n" +
		"Date: Wed, 10 Jan 2024 08:00:00 +0100\n" +
		"Message-ID: <latin1-1@example.fr>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=iso-8859-1\n" +
		"Content-Transfer-Encoding: 8bit\n" +
		"\n" +
		"I\x92m in \x96 the fee is \x80500.\n" +
		"\x93Great\x94 caf\xe9 shoot, na\xefve lighting.\n")

	fx["usascii_8bit"] = crlf("From: Renee <renee@example.com>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: Rates\n" +
		"Date: Wed, 10 Jan 2024 09:00:00 -0500\n" +
		"Message-ID: <ascii-8bit@example.com>\n" +
		"Content-Type: text/plain; charset=\"us-ascii\"\n" +
		"\n" +
		"Ren\xe9e here \x96 it\x92s fine.\n")

	fx["unknown_charset"] = crlf("From: Worf <worf@example.com>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: =?x-klingon?Q?Qapla=27?= and more\n" +
		"Date: Thu, 11 Jan 2024 12:00:00 +0000\n" +
		"Message-ID: <klingon@example.com>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"kk\"\n" +
		"\n" +
		"--kk\n" +
		"Content-Type: text/plain; charset=x-klingon\n" +
		"Content-Transfer-Encoding: 8bit\n" +
		"\n" +
		"Qapla'! caf\xe9\n" +
		"--kk\n" +
		"Content-Type: text/plain; charset=utf-7\n" +
		"\n" +
		"Hi +AOk- there\n" +
		"--kk--\n")

	fx["gb2312"] = crlf("From: =?GB2312?B?" + base64.StdEncoding.EncodeToString([]byte(enc(simplifiedchinese.GBK, "李娜"))) + "?= <lina@example.cn>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: =?GB2312?B?" + base64.StdEncoding.EncodeToString([]byte(enc(simplifiedchinese.GBK, "合作报价"))) + "?=\n" +
		"Date: Fri, 12 Jan 2024 10:00:00 +0800\n" +
		"Message-ID: <gb2312@example.cn>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=\"gb2312\"\n" +
		"Content-Transfer-Encoding: base64\n" +
		"\n" +
		b64([]byte(enc(simplifiedchinese.GBK, gbText+"\n"))) + "\n")

	fx["shift_jis"] = crlf("From: Yuki <yuki@example.jp>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: Re: collab\n" +
		"Date: Fri, 12 Jan 2024 10:00:00 +0900\n" +
		"Message-ID: <sjis@example.jp>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=Shift_JIS\n" +
		"Content-Transfer-Encoding: 8bit\n" +
		"\n" +
		enc(japanese.ShiftJIS, sjisText) + "\n")

	fx["iso2022jp"] = crlf("From: Haruto <haruto@example.jp>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: =?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString([]byte(enc(japanese.ISO2022JP, jisSubj))) + "?=\n" +
		"Date: Fri, 12 Jan 2024 11:00:00 +0900\n" +
		"Message-ID: <jis@example.jp>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=ISO-2022-JP\n" +
		"Content-Transfer-Encoding: 7bit\n" +
		"\n" +
		enc(japanese.ISO2022JP, jisText) + "\n")

	fx["subject_mixed"] = crlf("From: Multi <multi@example.com>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: =?ISO-8859-1?Q?R=E9sum=E9_?= " + mime.BEncoding.Encode("UTF-8", "— 🎉 ") + "\n" +
		" =?Shift_JIS?B?" + base64.StdEncoding.EncodeToString([]byte(enc(japanese.ShiftJIS, "コラボ"))) + "?=\n" +
		"Date: Sat, 13 Jan 2024 10:00:00 +0000\n" +
		"Message-ID: <mixed-subject@example.com>\n" +
		"\n" +
		"Body.\n")

	fx["qp_broken"] = crlf(`From: qp@example.com
To: sam@roster-agency.com
Subject: QP
Date: Sat, 13 Jan 2024 10:00:00 +0000
Message-ID: <qp@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Price: 100=E2=82=AC =ZZ is not an escape, this is a soft=
 break and a long line that the sender's server wrapped at column sevent=
y-six.
Trailing =3D sign and a lone = in the middle.
`)

	fx["base64_garbage"] = crlf(`From: relay@example.com
To: sam@roster-agency.com
Subject: Going live
Date: Sat, 13 Jan 2024 10:00:00 +0000
Message-ID: <b64@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

` + b64([]byte("Hello Sam, the video goes live on Friday at 9am.\n")) + `
!!! appended by a broken relay !!!
`)

	fx["newsletter"] = crlf(`From: "GlowSkin" <news@glowskin.example>
To: sam@roster-agency.com
Subject: =?UTF-8?Q?Your_March_creator_brief_=E2=9C=A8?=
Date: Mon, 15 Jan 2024 07:00:00 -0800
Message-ID: <nl-2024-03@glowskin.example>
List-Unsubscribe: <https://glowskin.example/u/abc>, <mailto:unsub@glowskin.example>
List-Id: GlowSkin Creators <creators.glowskin.example>
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<!DOCTYPE html>
<html><head><title>March brief</title>
<style>.x { color: red }</style><script>alert("x")</script></head>
<body>
<div style="display:none;max-height:0;overflow:hidden">Preheader: do not miss this &zwnj;&nbsp;&zwnj;&nbsp;&#847;</div>
<table role="presentation" width="100%"><tr><td><img src="https://glowskin.example/logo.png" alt="GlowSkin" width="120"></td></tr>
<tr><td><h1>March   creator brief</h1><p>Hi creator,<br>here is what we need this month.</p></td></tr>
<tr><td><table><tr><th>Deliverable</th><th>Due</th><th>Fee</th></tr>
<tr><td>1 Reel</td><td>Mar 15</td><td>$800</td></tr>
<tr><td>3 Stories</td><td>Mar 20</td><td>$300 &amp; product</td></tr></table></td></tr>
<tr><td><p><a href="https://glowskin.example/brief?utm_source=mail">Read the full brief</a> or visit <a href="https://glowskin.example/">https://glowskin.example</a>.</p>
<ul><li>Use #GlowSkinPartner</li><li>Tag @glowskin</li></ul></td></tr>
</table>
<img src="https://t.glowskin.example/open.gif?id=123" width="1" height="1" alt="">
<img src="https://t.glowskin.example/p2.gif" style="width:1px;height:1px" alt="tracker">
<p style="font-size:11px">You get this because you are a GlowSkin creator. <a href="https://glowskin.example/u/abc">Unsubscribe</a></p>
</body></html>
`)

	fx["nested_related"] = crlf(`From: Jane Doe <jane@example.com>
To: sam@roster-agency.com
Subject: Media kit
Date: Tue, 16 Jan 2024 10:00:00 +0000
Message-ID: <kit@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-1"

This is a multi-part message in MIME format.

--mixed-1
Content-Type: multipart/alternative; boundary="alt-1"

--alt-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Hi Sam,
Attached is the media kit. Logo below.

--alt-1
Content-Type: multipart/related; boundary="rel-1"; type="text/html"

--rel-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<p>Hi Sam,<br>Attached is the media kit. Logo below.</p><p><img src="cid:logo@kit" alt="Jane logo"><img src="cid:spacer@kit" width="1" height="1"></p>
--rel-1
Content-Type: image/png; name="logo.png"
Content-ID: <logo@kit>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

` + b64(pngBytes) + `
--rel-1
Content-Type: image/gif
Content-ID: <spacer@kit>
Content-Transfer-Encoding: base64

` + b64(gifBytes) + `
--rel-1--

--alt-1--

--mixed-1
Content-Type: application/pdf; name="Jane Doe media kit 2024.pdf"
Content-Disposition: attachment; filename="Jane Doe media kit 2024.pdf"
Content-Transfer-Encoding: base64

` + b64(pdfBytes) + `
--mixed-1--
`)

	fx["filenames"] = crlf(`From: Lena <lena@example.de>
To: sam@roster-agency.com
Subject: Unterlagen
Date: Tue, 16 Jan 2024 11:00:00 +0100
Message-ID: <files@example.de>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Anbei die Unterlagen.
--b1
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=UTF-8''Vertrag%20f%C3%BCr%20Kampagne%20;
 filename*1*=%E2%80%93%20M%C3%A4rz.pdf
Content-Transfer-Encoding: base64

` + b64(pdfBytes) + `
--b1
Content-Type: image/png; name="=?UTF-8?Q?Fr=C3=BChling_shoot.png?="
Content-Disposition: attachment; filename="=?UTF-8?Q?Fr=C3=BChling_shoot.png?="
Content-Transfer-Encoding: base64

` + b64(pngBytes) + `
--b1
Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="rates.xlsx"
Content-Transfer-Encoding: base64

` + b64([]byte("PK\x03\x04 not really a spreadsheet")) + `
--b1
Content-Type: text/plain; charset=iso-8859-1
Content-Disposition: attachment; filename*=iso-8859-1''notes%20caf%E9.txt
Content-Transfer-Encoding: 8bit

` + "caf\xe9 notes" + `
--b1
Content-Type: image/png; name="IMG_0042.png"
Content-Disposition: inline; filename="IMG_0042.png"
Content-Transfer-Encoding: base64

` + b64(pngBytes) + `
--b1
Content-Type: application/octet-stream; name="../../.bashrc"
Content-Disposition: attachment; filename="../../.bashrc"

alias ls='rm -rf'
--b1--
`)

	fx["forwarded"] = crlf(`From: Sam Manager <sam@roster-agency.com>
To: finance@roster-agency.com
Subject: Fwd: Invoice
Date: Wed, 17 Jan 2024 10:00:00 +0000
Message-ID: <fwd@roster-agency.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fw"

--fw
Content-Type: text/plain; charset=utf-8

FYI, the invoice from Marco is attached.
--fw
Content-Type: message/rfc822
Content-Disposition: attachment

From: Marco Rossi <marco.rossi@agency-example.com>
To: sam@roster-agency.com
Subject: =?UTF-8?Q?Invoice_=E2=80=93_March?=
Date: Tue, 16 Jan 2024 09:00:00 +0000
Message-ID: <inv@agency-example.com>
Content-Type: text/plain; charset=utf-8

Please find the invoice below: EUR 2,000.
--fw--
`)

	fx["winmail"] = crlf(`From: Outlook User <user@corp.example>
To: sam@roster-agency.com
Subject: Contract
Date: Wed, 17 Jan 2024 11:00:00 +0000
Message-ID: <tnef@corp.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="tnef"

--tnef
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

Please see the attached contract.
--tnef
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

` + b64([]byte("\x78\x9f\x3e\x22 TNEF payload")) + `
--tnef--
`)

	fx["no_message_id"] = crlf(`From: old-client@example.org
To: sam@roster-agency.com
Subject: hello from an old client
Date: Tue Jan  9 10:02:03 2024

No Message-ID, no MIME-Version, an asctime date.
`)

	fx["fake_plaintext"] = crlf(`From: Brand Team <team@brand.example>
To: sam@roster-agency.com
Subject: Campaign details
Date: Thu, 18 Jan 2024 10:00:00 +0000
Message-ID: <fake-plain@brand.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="fp"

--fp
Content-Type: text/plain; charset=utf-8

View this email in your browser: https://brand.example/v/1
--fp
Content-Type: text/html; charset=utf-8

<html><body><h2>Campaign details</h2><p>We would like two Reels and one carousel post between March 1 and March 15. The fee is $3,000 plus product. Please confirm your availability and share your latest media kit.</p></body></html>
--fp--
`)

	fx["flowed"] = crlf("From: Ana <ana@example.es>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: Re: Calendario\n" +
		"Date: Thu, 18 Jan 2024 12:00:00 +0100\n" +
		"Message-ID: <flowed@example.es>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n" +
		"Content-Transfer-Encoding: 8bit\n" +
		"\n" +
		"Hola Sam, el calendario me va bien. Publico el  \n" +
		"día 15.\n" +
		"\n" +
		"El 17 ene 2024, a las 10:00, Sam Manager <sam@roster-agency.com>  \n" +
		"escribió:\n" +
		"\n" +
		"> ¿Te va bien publicar el 15? El presupuesto es de  \n" +
		"> 2.000 €.\n")

	fx["unknown_cte"] = crlf(`From: uu@example.com
To: sam@roster-agency.com
Subject: uuencoded
Date: Thu, 18 Jan 2024 13:00:00 +0000
Message-ID: <uu@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: x-uuencode

begin 644 note.txt
#0V%T
end
`)

	fx["hostile"] = crlf("From: " + mime.BEncoding.Encode("UTF-8", "Evil\u202eCorp\x1b]52;c;ZWNobyBwd25lZA==\x07") + " <Evil@Attacker.Example>\n" +
		"To: sam@roster-agency.com\n" +
		"Subject: Urgent \x1b[2J\x1b]0;pwned\x07 payment \u202egnp.exe " + mime.QEncoding.Encode("UTF-8", "\x1b[31mred\u2066") + "\n" +
		"Date: Fri, 19 Jan 2024 10:00:00 +0000\n" +
		"Message-ID: <evil\x1b[2J@attacker.example>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"h\"\n" +
		"\n" +
		"--h\n" +
		"Content-Type: text/plain; charset=utf-8\n" +
		"\n" +
		"Hello\x1b[2J\x1b[1;1H\n" +
		"\x1b]52;c;cm0gLXJmIH4=\x07Click here\u202e now\n" +
		"\x1bP+q544e\x1b\\done \u009b31mC1\x07\x00\x7f\n" +
		"--h\n" +
		"Content-Type: application/octet-stream\n" +
		"Content-Disposition: attachment; filename=\"" + mime.QEncoding.Encode("UTF-8", "invoice\u202efdp.exe\x1b[2J") + "\"\n" +
		"\n" +
		"MZ\n" +
		"--h--\n")

	return fx
}
