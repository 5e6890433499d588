package transfer

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Format is a kind of file `roster import` reads.
type Format int

// The formats Detect tells apart. FormatUnknown is for files roster cannot
// read, such as spreadsheet workbooks, so the CLI can say what to do.
const (
	FormatUnknown Format = iota
	FormatCSV
	FormatJSON
)

// String names the format in messages.
func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "CSV"
	case FormatJSON:
		return "JSON"
	}
	return "unknown"
}

// Detect decides how to read a file, so that `roster import` takes a CSV
// list and a JSON export alike without a flag. The extension decides when
// it is a known one (.csv, .tsv, .txt, .json; .xlsx and friends are
// FormatUnknown); otherwise head, the first bytes of the file, does: JSON
// when the first byte that is not white space or a byte order mark is "{",
// FormatUnknown for a workbook, binary or empty file, CSV for other text.
func Detect(file string, head []byte) Format {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		return FormatJSON
	case ".csv", ".tsv", ".tab", ".txt":
		return FormatCSV
	case ".xlsx", ".xls", ".xlsm", ".ods", ".numbers":
		return FormatUnknown
	}
	if notText(head) != nil || bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return FormatUnknown
	}
	t := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	t = bytes.TrimLeft(t, " \t\r\n")
	switch {
	case len(t) == 0:
		return FormatUnknown
	case t[0] == '{':
		return FormatJSON
	}
	return FormatCSV
}
