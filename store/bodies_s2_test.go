package store

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"roster/crm"
)

// TestBodiesCompressWhenItPays: a long text is stored as an S2 block and
// reads back byte for byte, with its attachments; a short one, and one
// that does not compress, stay raw; an entry in the format written before
// compression, whose JSON is long enough to need a two-byte length, still
// reads.
func TestBodiesCompressWhenItPays(t *testing.T) {
	atts := []crm.Attachment{{Name: "brief.pdf", Size: 1200}}
	long := strings.Repeat("Hi Maya, the reel went up on Tuesday ✓ and the code MAYA10 works.\n", 40)
	noise := make([]byte, 4000)
	for i, x := 0, uint32(7); i < len(noise); i++ {
		x = x*1664525 + 1013904223
		noise[i] = "abcdefghijklmnopqrstuvwxyz "[x>>24%27]
	}
	for _, c := range []struct {
		name, text string
		packed     bool
	}{
		{"long", long, true},
		{"short", "Thanks!", false},
		{"incompressible", string(noise), false},
		{"empty", "", false},
	} {
		enc, err := encodeBody(c.text, atts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.HasPrefix(enc, s2Mark); got != c.packed {
			t.Errorf("%s: compressed %v, want %v", c.name, got, c.packed)
		}
		if c.packed && len(enc) > len(c.text)/2 {
			t.Errorf("%s: %d bytes stored for %d of text", c.name, len(enc), len(c.text))
		}
		var m crm.Message
		if err := decodeBody(enc, &m); err != nil || m.Text != c.text || len(m.Attachments) != 1 || m.Attachments[0] != atts[0] {
			t.Errorf("%s: read back %d bytes, %v, %v", c.name, len(m.Text), m.Attachments, err)
		}
	}

	// Before compression: uvarint(len(meta)), meta, raw text.
	problems := []string{strings.Repeat("a header could not be read. ", 10)}
	meta, _ := encode(&bodyMeta{Problems: problems})
	old := append(binary.AppendUvarint(nil, uint64(len(meta))), meta...)
	old = append(old, long...)
	if old[0] < 0x80 {
		t.Fatal("the old entry's length fits one byte; make the problem longer")
	}
	var m crm.Message
	if err := decodeBody(old, &m); err != nil || m.Text != long || len(m.Problems) != 1 {
		t.Fatalf("old entry: %d bytes, %v, %v", len(m.Text), m.Problems, err)
	}
}

// FuzzDecodeBody: a damaged body entry is an error, never a panic or a
// runaway allocation, and what encodeBody writes reads back.
func FuzzDecodeBody(f *testing.F) {
	long := strings.Repeat("the reel is up; code MAYA10\n", 20)
	for _, text := range []string{"", "short", long} {
		enc, _ := encodeBody(text, nil, []string{"a problem"})
		f.Add(enc, text)
	}
	f.Add([]byte{0xff, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f}, "")
	f.Fuzz(func(t *testing.T, entry []byte, text string) {
		var m crm.Message
		_ = decodeBody(entry, &m)
		enc, err := encodeBody(text, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := decodeBody(enc, &m); err != nil || m.Text != text {
			t.Fatalf("%q read back as %q, %v", text, m.Text, err)
		}
	})
}
