package transfer

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Text encodings ReadCSV reports in CSVResult.Encoding.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 with BOM"
	// EncodingCP1252 is what Excel on Windows writes when a sheet is saved
	// as plain "CSV (Comma delimited)": Windows-1252, a superset of
	// Latin-1 with curly quotes and € in 0x80–0x9F.
	EncodingCP1252  = "Windows-1252"
	EncodingUTF16LE = "UTF-16LE"
	EncodingUTF16BE = "UTF-16BE"
)

// cp1252High maps bytes 0x80–0x9F. The five bytes Windows-1252 leaves
// undefined map to the C1 control of the same number, as browsers do, so
// decoding never fails. 0xA0–0xFF equal their Unicode code points.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// decodeCP1252 turns Windows-1252 bytes into a UTF-8 string. Bytes below
// 0x80 are ASCII and keep their place, so line numbers do not move.
func decodeCP1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(cp1252High[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// decodeUTF16 decodes UTF-16 without its BOM; an odd trailing byte is
// dropped and unpaired surrogates become U+FFFD.
func decodeUTF16(b []byte, order binary.ByteOrder) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// hasUTF8Multibyte reports whether b holds at least one well-formed
// multi-byte UTF-8 sequence. A file that is not valid UTF-8 but has some
// is UTF-8 with damage; one that has none is a legacy single-byte file.
func hasUTF8Multibyte(b []byte) bool {
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		b = b[i:]
		if len(b) == 0 {
			return false
		}
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			return true
		}
		b = b[1:]
	}
	return false
}

// decodeText turns a file's bytes into UTF-8 text, choosing the encoding
// by BOM, then by validity:
//
//   - a UTF-16 BOM (Excel's "Unicode Text") decodes UTF-16;
//   - valid UTF-8, with or without BOM, is taken as it is;
//   - bytes that are not UTF-8 and hold no UTF-8 sequence at all are
//     Windows-1252, which Excel on Windows writes;
//   - UTF-8 with some invalid bytes stays UTF-8, and ReadCSV reports the
//     fields that hold them, because guessing would garble the rest.
//
// Old-Mac files that end lines with a lone CR get LF instead, one for one,
// so line numbers stay right.
func decodeText(data []byte) (text, encoding string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		text, encoding = decodeUTF16(data[2:], binary.LittleEndian), EncodingUTF16LE
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		text, encoding = decodeUTF16(data[2:], binary.BigEndian), EncodingUTF16BE
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		text, encoding = string(data[3:]), EncodingUTF8BOM
	case utf8.Valid(data) || hasUTF8Multibyte(data):
		text, encoding = string(data), EncodingUTF8
	default:
		text, encoding = decodeCP1252(data), EncodingCP1252
	}
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return text, encoding
}
