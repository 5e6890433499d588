package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"roster/crm"
	"roster/crm/crmtest"
)

// runOn runs the CLI against one in-memory roster, as main would against
// the database.
func runOn(t *testing.T, svc *crm.Service, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Deps{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		Open: func(string, bool) (*crm.Service, func() error, error) { return svc, func() error { return nil }, nil }})
	return out.String(), errOut.String(), code
}

// hasControl reports bytes a terminal would act on: ESC, BEL and the other
// controls except newline (and the CR a CSV line ends with).
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' })
}

// A creator list is a file from anywhere: nothing in it may drive the
// manager's terminal, now (what import reports) or later (what the roster
// stores and export writes back out).
func TestImportKeepsControlSequencesOffTheTerminalAndOutOfTheRoster(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	svc := crm.NewService(crmtest.NewMemory(), nil)

	out, errOut, code := runOn(t, svc, "import", write("header.csv", "foo\x1b[31mRED\x1b]0;pwned\a,bar\n1,2\n"))
	if code == 0 || !strings.Contains(errOut, "(found: fooRED, bar)") || hasControl(out+errOut) {
		t.Fatalf("hostile header: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	out, errOut, code = runOn(t, svc, "import", write("eve.csv",
		"name,email,tags,notes,owner,source,bad\x1b]0;x\a\n"+
			"Eve\x1b[2J,eve@x.example,vip\x1b[5m,\"hi\x1b]52;c;eA==\a\nthere\",sam\x07,tiktok\x1b[H,1\n"))
	if code != 0 || hasControl(out+errOut) {
		t.Fatalf("hostile row: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	snap, err := svc.Snapshot()
	if err != nil || len(snap.Creators) != 1 {
		t.Fatalf("creators %+v, %v", snap.Creators, err)
	}
	c := snap.Creators[0]
	if c.Name != "Eve" || len(c.Tags) != 1 || c.Tags[0] != "vip" || c.Notes != "hi\nthere" || c.Owner != "sam" || c.Source != "tiktok" {
		t.Fatalf("stored %+v", c)
	}
	// An address with an escape sequence in it is no address: refused,
	// named by its line, and the message printed clean.
	out, errOut, code = runOn(t, svc, "import", write("mal.csv", "name,email\nMal,mal\x1b[2J@x.example\n"))
	if code == 0 || !strings.Contains(errOut, "mal.csv:2: email:") || hasControl(out+errOut) {
		t.Fatalf("hostile address: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if snap, _ := svc.Snapshot(); len(snap.Creators) != 1 {
		t.Fatalf("the hostile address was stored: %+v", snap.Creators)
	}
	// roster's own JSON format is a file from anywhere too.
	out, errOut, code = runOn(t, svc, "import", write("jo.json", `{"schema": "roster.export/v1", "campaigns": [], "creators": [`+
		`{"id": "000000000002000000000009", "name": "Jo\u001b[2J", "emails": ["jo@x.example"], "tags": ["a\u001b[5m"], `+
		`"notes": "n\u001b]0;t\u0007", "source": "s\u001b[H", "owner": "o\u0007", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}]}`))
	if code != 0 || hasControl(out+errOut) {
		t.Fatalf("hostile JSON: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	snap, _ = svc.Snapshot()
	for _, c := range snap.Creators {
		if hasControl(c.Name + c.Notes + c.Source + c.Owner + strings.Join(c.Tags, "")) {
			t.Fatalf("stored from JSON %q %q %q %q %q", c.Name, c.Notes, c.Source, c.Owner, c.Tags)
		}
	}
	for _, format := range []string{"csv", "json"} {
		out, errOut, code = runOn(t, svc, "export", "--format", format)
		if code != 0 || !strings.Contains(out, "Eve") || hasControl(out) || strings.Contains(out, "\\u001b") {
			t.Fatalf("export --format %s: exit %d, stderr %q\n%q", format, code, errOut, out)
		}
	}
}
