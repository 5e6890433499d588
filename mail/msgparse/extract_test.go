package msgparse

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"roster/crm"
)

// TestAttachmentFromFixtures reads back every attachment the fixtures
// list, with the bytes the sender attached: base64 with RFC 2231 and
// RFC 2047 names, 8bit, 7bit, an inline image inside multipart/related
// inside multipart/alternative, and a forwarded message whole.
func TestAttachmentFromFixtures(t *testing.T) {
	fx := fixtures()
	want := map[string]map[string][]byte{
		"nested_related": {
			"logo.png":                    pngBytes,
			"Jane Doe media kit 2024.pdf": pdfBytes,
		},
		"filenames": {
			"Vertrag für Kampagne – März.pdf": pdfBytes,
			"Frühling shoot.png":              pngBytes,
			"rates.xlsx":                      []byte("PK\x03\x04 not really a spreadsheet"),
			"notes café.txt":                  []byte("caf\xe9 notes"),
			"IMG_0042.png":                    pngBytes,
			".bashrc":                         []byte("alias ls='rm -rf'"),
		},
		"winmail": {"winmail.dat": nil}, // checked by size only
	}
	for name, files := range want {
		m := mustParse(t, fx[name])
		if len(m.Attachments) != len(files) {
			t.Fatalf("%s lists %d attachments, the test expects %d", name, len(m.Attachments), len(files))
		}
		for _, a := range m.Attachments {
			got, err := Attachment(fx[name], a)
			if err != nil {
				t.Errorf("%s: %s: %v", name, a.Name, err)
				continue
			}
			if int64(len(got)) != a.Size {
				t.Errorf("%s: %s: %d bytes, listed as %d", name, a.Name, len(got), a.Size)
			}
			if w, ok := files[a.Name]; !ok {
				t.Errorf("%s: unexpected attachment %q", name, a.Name)
			} else if w != nil && !bytes.Equal(got, w) {
				t.Errorf("%s: %s = %q, want %q", name, a.Name, got, w)
			}
		}
	}

	// A forwarded message is the whole inner message, as listed.
	m := mustParse(t, fx["forwarded"])
	got, err := Attachment(fx["forwarded"], m.Attachments[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("From: Marco Rossi")) || !bytes.HasSuffix(got, []byte("EUR 2,000.")) {
		t.Errorf("forwarded message = %q", got)
	}
}

// TestAttachmentQuotedPrintableAndDamagedBase64: quoted-printable is
// decoded; base64 damaged half-way gives the bytes before the damage,
// exactly as many as Parse listed.
func TestAttachmentQuotedPrintableAndDamagedBase64(t *testing.T) {
	long := strings.Repeat("0123456789abcdef", 2000) // over one read chunk
	raw := crlf(`From: a@example.com
Subject: files
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="x"

--x
Content-Type: text/plain

see attached
--x
Content-Type: text/csv; name="rates.csv"
Content-Disposition: attachment; filename="rates.csv"
Content-Transfer-Encoding: quoted-printable

fee,caf=C3=A9
100,=E2=82=AC=
 soft
--x
Content-Type: application/pdf; name="broken.pdf"
Content-Disposition: attachment; filename="broken.pdf"
Content-Transfer-Encoding: base64

` + b64([]byte(long)) + `
!!!! not base64 at all
` + b64([]byte("after the damage")) + `
--x--
`)
	m := mustParse(t, raw)
	if len(m.Attachments) != 2 {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	csv, err := Attachment(raw, m.Attachments[0])
	if err != nil || string(csv) != "fee,café\r\n100,€ soft" {
		t.Errorf("rates.csv = %q, %v", csv, err)
	}
	pdf, err := Attachment(raw, m.Attachments[1])
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(pdf)) != m.Attachments[1].Size || !strings.HasPrefix(long, string(pdf)) || len(pdf) < len(long)-100 {
		t.Errorf("broken.pdf: %d bytes (listed %d), want a prefix of the %d good ones", len(pdf), m.Attachments[1].Size, len(long))
	}
}

// TestAttachmentMatchesAsParseLists: the same file in both alternatives
// is listed once and found; two files of one name and different sizes are
// told apart by size; an empty file is found; a name or size the message
// does not list is ErrNoAttachment.
func TestAttachmentMatchesAsParseLists(t *testing.T) {
	raw := crlf(`From: a@example.com
Subject: files
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: multipart/alternative; boundary="a"

--a
Content-Type: multipart/mixed; boundary="a1"

--a1
Content-Type: text/plain

hello
--a1
Content-Type: application/pdf; name="brief.pdf"
Content-Transfer-Encoding: base64

` + b64(pdfBytes) + `
--a1--
--a
Content-Type: multipart/mixed; boundary="a2"

--a2
Content-Type: text/html

<p>hello</p>
--a2
Content-Type: application/pdf; name="brief.pdf"
Content-Transfer-Encoding: base64

` + b64(pdfBytes) + `
--a2--
--a--
--m
Content-Type: text/plain; name="notes.txt"
Content-Disposition: attachment

version two, longer
--m
Content-Type: application/octet-stream; name="empty.bin"
Content-Disposition: attachment

--m
Content-Type: text/plain; name="notes.txt"
Content-Disposition: attachment

v1
--m--
`)
	m := mustParse(t, raw)
	names := []string{}
	for _, a := range m.Attachments {
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "brief.pdf,notes.txt,empty.bin,notes.txt" {
		t.Fatalf("Parse lists %+v", m.Attachments)
	}
	want := [][]byte{pdfBytes, []byte("version two, longer"), {}, []byte("v1")}
	for i, a := range m.Attachments {
		got, err := Attachment(raw, a)
		if err != nil || !bytes.Equal(got, want[i]) || got == nil {
			t.Errorf("%s (%d bytes): %q, %v; want %q", a.Name, a.Size, got, err, want[i])
		}
	}
	// A type written differently still finds the file by name and size.
	a := m.Attachments[0]
	a.Type = "Application/PDF"
	if got, err := Attachment(raw, a); err != nil || !bytes.Equal(got, pdfBytes) {
		t.Errorf("brief.pdf with another type: %q, %v", got, err)
	}
	for _, gone := range []crm.Attachment{
		{Name: "brief.pdf", Type: "application/pdf", Size: 3},
		{Name: "other.pdf", Type: "application/pdf", Size: int64(len(pdfBytes))},
		{},
	} {
		if got, err := Attachment(raw, gone); !errors.Is(err, ErrNoAttachment) || got != nil {
			t.Errorf("Attachment(%+v) = %q, %v; want ErrNoAttachment", gone, got, err)
		}
	}
	if _, err := Attachment(nil, m.Attachments[0]); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("empty message: %v", err)
	}
}
