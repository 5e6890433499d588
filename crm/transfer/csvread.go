package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"roster/crm"
)

// CSVResult is what ReadCSV makes of a file. The CLI prints Problems and
// Ignored so that a manager sees what roster did with every row and every
// column before anything is written.
type CSVResult struct {
	// Records are the rows that passed every check, in file order. A row
	// with any problem is left out, never half-read.
	Records []crm.ImportRecord
	// Problems say what is wrong with the other rows, one per field, each
	// at the physical line where its row starts. crm.Service.Import takes
	// them as its parsed problems.
	Problems []crm.Problem
	// Ignored lists the header cells roster has no use for, as written,
	// so that a misspelt column ("emial") does not vanish silently.
	Ignored []string
	// Delimiter is the separator found in the header line: ',', ';'
	// (European spreadsheets), '\t' or '|'.
	Delimiter rune
	// Encoding is the text encoding the file was read in (EncodingUTF8,
	// EncodingCP1252, ...).
	Encoding string
}

// maxPreamble is how many non-blank rows ReadCSV looks through for the
// header, for exports that start with a title line.
const maxPreamble = 5

// ReadCSV reads a list of creators from a CSV file: one creator per row,
// columns found by their header in whatever order and spelling the source
// uses (see docs/export.md for the synonyms). file names the source in
// messages.
//
// The error is for files that cannot be read as a creator list at all: an
// I/O failure, an empty or binary file, a spreadsheet workbook, or no
// header naming a name and an email or handle column. Everything that is
// wrong with single rows is a Problem in the result instead, so one typo
// does not hide the state of the other rows.
func ReadCSV(file string, r io.Reader) (CSVResult, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return CSVResult{}, fmt.Errorf("%s: %w", file, err)
	}
	if err := notText(data); err != nil {
		return CSVResult{}, fmt.Errorf("%s: %w", file, err)
	}
	text, encoding := decodeText(data)
	if strings.IndexByte(text, 0) >= 0 {
		return CSVResult{}, fmt.Errorf("%s: not a text file (it contains NUL bytes)", file)
	}
	if strings.TrimSpace(text) == "" {
		return CSVResult{}, fmt.Errorf("%s: the file is empty", file)
	}
	delim, sepLine := detectDelimiter(text)
	res := CSVResult{Delimiter: delim, Encoding: encoding}
	res.Records = make([]crm.ImportRecord, 0, min(strings.Count(text, "\n"), 1<<16))

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	// Trimming would swallow empty fields when the separator is a space
	// character itself (tab).
	cr.TrimLeadingSpace = !unicode.IsSpace(delim)

	var (
		lay       layout
		header    []string
		first     []string // the first non-blank row, for the error message
		seen      int      // non-blank rows before the header
		haveHead  bool
		lastOff   int64 = -1
		firstLine       = true
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		off := cr.InputOffset()
		if off == lastOff {
			break // no progress: never loop on a reader that is stuck
		}
		lastOff = off
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return CSVResult{}, fmt.Errorf("%s: %w", file, err)
			}
			firstLine = false
			if haveHead {
				res.Problems = append(res.Problems, crm.Problem{File: file, Line: pe.StartLine, Msg: quoteProblem(pe)})
			} else {
				seen++
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if firstLine && sepLine {
			firstLine = false
			continue // Excel's "sep=;" hint
		}
		firstLine = false
		if blankRow(rec) {
			continue
		}
		if !haveHead {
			if first == nil {
				first = trimAll(rec)
			}
			if l := readHeader(rec); l.usable() {
				lay, header, haveHead = l, trimAll(rec), true
				if err := lay.complete(file, header); err != nil {
					return CSVResult{}, err
				}
				res.Ignored = lay.ignored
				continue
			}
			if seen++; seen >= maxPreamble {
				break
			}
			continue
		}
		if sameCells(rec, header) {
			continue // a second header, from files pasted together
		}
		ir, probs := lay.record(file, line, rec)
		if p, ok := tooWide(rec, header, delim); ok {
			probs = append([]crm.Problem{{File: file, Line: line, Msg: p}}, probs...)
		}
		if len(probs) > 0 {
			res.Problems = append(res.Problems, probs...)
			continue
		}
		res.Records = append(res.Records, ir)
	}
	if !haveHead {
		return CSVResult{}, fmt.Errorf("%s: no name, email or handle column in the header (found: %s)", file, listCells(first))
	}
	return res, nil
}

// complete rejects a header that could never give a valid record, once,
// instead of reporting the same missing column on every row.
func (l layout) complete(file string, header []string) error {
	switch {
	case !l.hasName:
		return fmt.Errorf("%s: no name column in the header (found: %s); every creator needs a name", file, listCells(header))
	case !l.hasEmail && !l.hasHandle:
		return fmt.Errorf("%s: no email or handle column in the header (found: %s); every creator needs an email or a handle", file, listCells(header))
	}
	return nil
}

// notText recognises files that are clearly not CSV before they are
// parsed into noise.
func notText(data []byte) error {
	switch {
	case len(data) == 0:
		return errors.New("the file is empty")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return errors.New("this is a spreadsheet workbook (.xlsx, .ods or .numbers), not CSV; save or export it as CSV first")
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return errors.New("this is an old Excel workbook (.xls), not CSV; save it as CSV first")
	}
	return nil
}

// detectDelimiter picks the separator from the first line that has any:
// the most frequent of , ; tab and | outside quotes, ties going to the
// comma. Excel's "sep=X" first line decides outright; sepLine then says
// to skip that line.
func detectDelimiter(text string) (delim rune, sepLine bool) {
	if len(text) >= 5 && strings.EqualFold(text[:4], "sep=") {
		r, size := utf8.DecodeRuneInString(text[4:])
		rest := text[4+size:]
		if r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError &&
			(rest == "" || rest[0] == '\n' || rest[0] == '\r') {
			return r, true
		}
	}
	candidates := []rune{',', ';', '\t', '|'}
	var counts [4]int
	inQuotes := false
	lines := 0
	for _, c := range text {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case c == '\n':
			if counts != [4]int{} {
				return pickDelimiter(candidates, counts), false
			}
			if lines++; lines >= maxPreamble {
				return ',', false
			}
		default:
			for i, d := range candidates {
				if c == d {
					counts[i]++
				}
			}
		}
	}
	return pickDelimiter(candidates, counts), false
}

func pickDelimiter(candidates []rune, counts [4]int) rune {
	best := 0
	for i := range counts {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return candidates[best]
}

// quoteProblem explains a csv.ParseError in spreadsheet words.
func quoteProblem(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`a " inside a field that does not start with one (line %d, character %d); put the whole field in quotes and double each " in it`, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		if pe.Line > pe.StartLine {
			return fmt.Sprintf(`the quoted field opened here is not closed properly (read up to line %d)`, pe.Line)
		}
		return `a quoted field is not closed properly: text after the closing " or a " missing`
	}
	return "malformed CSV: " + pe.Err.Error()
}

// tooWide reports a row with a value beyond the header's last named
// column: no column reads it, so importing the row would lose it without a
// word. Blank cells there are padding (spreadsheets pad every row to the
// widest) and pass.
func tooWide(rec, header []string, delim rune) (string, bool) {
	values, columns := width(rec), width(header)
	if values <= columns {
		return "", false
	}
	sep := fmt.Sprintf("%q", delim)
	if delim == '\t' {
		sep = "tab"
	}
	var lost []string
	for _, v := range rec[columns:values] {
		if v = strings.TrimSpace(v); v != "" {
			lost = append(lost, quote(v))
		}
	}
	return fmt.Sprintf("%d values, but the header names %d columns, so %s would be lost (a value with a %s in it needs quotes)",
		values, columns, listCells(lost), sep), true
}

// width counts cells up to the last one that is not blank.
func width(cells []string) int {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return n
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimAll(rec []string) []string {
	out := make([]string, len(rec))
	for i, c := range rec {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

func sameCells(rec, header []string) bool {
	if len(rec) != len(header) {
		return false
	}
	for i := range rec {
		if !strings.EqualFold(strings.TrimSpace(rec[i]), header[i]) {
			return false
		}
	}
	return true
}

// listCells shows header cells for an error message, shortened so that a
// file without a header does not print a whole row of data, and cleaned
// with crm.SanitizeLine: the message goes to the terminal, and a cell's
// escape sequences must not recolour or retitle it.
func listCells(cells []string) string {
	var out []string
	for _, c := range cells {
		if c = crm.SanitizeLine(c); c == "" {
			continue
		}
		if len(out) == 10 {
			out = append(out, "...")
			break
		}
		if r := []rune(c); len(r) > 30 {
			c = string(r[:29]) + "…"
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}
