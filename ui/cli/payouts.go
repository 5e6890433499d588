package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"roster/crm"
)

// payoutsFlags are roster payouts' own flags.
type payoutsFlags struct {
	dueBefore string
}

// payoutColumns is the header of the payouts file, in order; mark-paid
// reads it back (extra columns such as paid_on and method are welcome).
var payoutColumns = []string{"creator", "email", "amount", "currency", "reference", "due"}

func payoutsCommand() command {
	return command{name: "payouts", args: "[mark-paid FILE]",
		summary: "list the payments due now for a bank or PayPal batch, or record a paid batch (mark-paid FILE)", run: runPayouts,
		flags: func(fs *flag.FlagSet, g *globals) {
			fs.StringVar(&g.payouts.dueBefore, "due-before", "", "list what falls due before this day, YYYY-MM-DD (default: everything due today or earlier)")
			fs.StringVar(&g.format, "format", "csv", "csv or json")
		}}
}

// runPayouts prints the payouts due, or with mark-paid records a batch.
func runPayouts(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		if fs.Arg(0) != "mark-paid" {
			return usageError{fmt.Sprintf("unexpected argument %q (did you mean mark-paid FILE?)", fs.Arg(0))}
		}
		if fs.NArg() != 2 {
			return usageError{"mark-paid takes one FILE"}
		}
		return runMarkPaid(d, g, fs.Arg(1))
	}
	if err := oneFormat(g.format, "csv", "json"); err != nil {
		return err
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	cutoff := crm.Day(svc.Clock().Now()).AddDate(0, 0, 1)
	if g.payouts.dueBefore != "" {
		if cutoff, err = crm.ParseDate("--due-before", g.payouts.dueBefore); err != nil {
			return usageError{err.Error()}
		}
	}
	ps, err := svc.Payouts(cutoff)
	if err != nil {
		return err
	}
	if g.format == "json" {
		return writePayoutsJSON(d.Stdout, ps)
	}
	return writePayoutsCSV(d.Stdout, ps)
}

func payoutRow(p crm.Payout) []string {
	return []string{p.Creator, p.Email, p.Amount.Plain(), p.Amount.Currency, p.Reference, p.Due.Format(time.DateOnly)}
}

func writePayoutsCSV(w io.Writer, ps []crm.Payout) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(payoutColumns)
	for _, p := range ps {
		_ = cw.Write(payoutRow(p))
	}
	cw.Flush()
	return cw.Error()
}

func writePayoutsJSON(w io.Writer, ps []crm.Payout) error {
	rows := make([]map[string]string, 0, len(ps))
	for _, p := range ps {
		row := map[string]string{}
		for i, v := range payoutRow(p) {
			row[payoutColumns[i]] = v
		}
		rows = append(rows, row)
	}
	return writeJSON(w, rows)
}

// runMarkPaid reads a payouts file that was paid (CSV with a header, or
// the JSON list) and records every line as a payment, all or nothing.
// Each line needs reference, amount and currency; paid_on (YYYY-MM-DD,
// default today) and method are optional.
func runMarkPaid(d *Deps, g *globals, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	name := filepath.Base(file)
	var rows []paidRow
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		rows, err = readPaidJSON(data)
	} else {
		rows, err = readPaidCSV(data)
	}
	var le *lineError
	if errors.As(err, &le) {
		return fmt.Errorf("%s:%d: %s; nothing was recorded", name, le.line, le.msg)
	} else if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	var lines []crm.PaidLine
	var bad []crm.LineError
	for _, r := range rows {
		pl, err := r.parse()
		if err != nil {
			bad = append(bad, crm.LineError{Line: r.line, Msg: err.Error()})
			continue
		}
		lines = append(lines, pl)
	}
	if len(bad) > 0 {
		// Report what else is wrong too, so one round of fixes does.
		var be *crm.BatchError
		if err := svc.CheckPaid(lines); errors.As(err, &be) {
			bad = append(bad, be.Lines...)
		}
		return linesErr(d.Stderr, name, bad)
	}
	if len(lines) == 0 {
		return fmt.Errorf("%s has no payments", name)
	}
	n, err := svc.MarkPaid(g.actor, lines)
	var be *crm.BatchError
	if errors.As(err, &be) {
		return linesErr(d.Stderr, name, be.Lines)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Stdout, "recorded %s from %s\n", crm.Count(n, "payment"), name)
	return nil
}

// paidRow is one line of a paid file before it is checked.
type paidRow struct {
	line                                      int
	reference, amount, currency, paidOn, meth string
}

func (r paidRow) parse() (crm.PaidLine, error) {
	pl := crm.PaidLine{Line: r.line, Reference: strings.TrimSpace(r.reference), Method: strings.TrimSpace(r.meth)}
	if pl.Reference == "" {
		return pl, errors.New("reference is empty")
	}
	m, err := crm.ParseMoney("amount", r.amount, r.currency)
	if err != nil {
		return pl, err
	}
	pl.Amount = m
	if strings.TrimSpace(r.paidOn) != "" {
		if pl.PaidOn, err = crm.ParseDate("paid_on", r.paidOn); err != nil {
			return pl, err
		}
	}
	return pl, nil
}

// lineError is a file that cannot be read as a payouts file at all.
type lineError struct {
	line int
	msg  string
}

// linesErr prints a refused batch's problems in file order, whichever
// check found them (reading the line here, or matching it in crm), so the
// manager fixes the file in one pass from the top, and ends the batch.
func linesErr(w io.Writer, name string, bad []crm.LineError) error {
	slices.SortStableFunc(bad, func(a, b crm.LineError) int { return cmp.Compare(a.Line, b.Line) })
	for _, l := range bad {
		fmt.Fprintf(w, "%s:%d: %s\n", name, l.Line, l.Msg)
	}
	return mismatchErr(len(bad))
}

// mismatchErr ends a paid batch that records nothing.
func mismatchErr(n int) error {
	verb := map[bool]string{true: "does", false: "do"}[n == 1]
	return fmt.Errorf("%s %s not match; nothing was recorded", crm.Count(n, "line"), verb)
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func readPaidCSV(data []byte) ([]paidRow, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, &lineError{1, "no header line (want " + strings.Join(payoutColumns, ",") + ")"}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["date"]; ok {
		if _, ok := col["paid_on"]; !ok {
			col["paid_on"] = col["date"]
		}
	}
	for _, need := range []string{"reference", "amount", "currency"} {
		if _, ok := col[need]; !ok {
			return nil, &lineError{1, fmt.Sprintf("the header has no %s column", need)}
		}
	}
	var rows []paidRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &lineError{pe.Line, pe.Err.Error()}
		} else if err != nil {
			return nil, err
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		rows = append(rows, paidRow{line: line, reference: get("reference"), amount: get("amount"),
			currency: get("currency"), paidOn: get("paid_on"), meth: get("method")})
	}
	return rows, nil
}

// readPaidJSON reads the list `roster payouts --format json` prints,
// noting the line each object starts on.
func readPaidJSON(data []byte) ([]paidRow, error) {
	lineAt := func(off int64) int {
		for off < int64(len(data)) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\r' || data[off] == '\n' || data[off] == ',') {
			off++
		}
		return 1 + bytes.Count(data[:off], []byte("\n"))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, &lineError{1, err.Error()}
	}
	var rows []paidRow
	for dec.More() {
		line := lineAt(dec.InputOffset())
		var obj map[string]string
		if err := dec.Decode(&obj); err != nil {
			return nil, &lineError{line, "not a payout object: " + err.Error()}
		}
		paid := obj["paid_on"]
		if paid == "" {
			paid = obj["date"]
		}
		rows = append(rows, paidRow{line: line, reference: obj["reference"], amount: obj["amount"],
			currency: obj["currency"], paidOn: paid, meth: obj["method"]})
	}
	return rows, nil
}
