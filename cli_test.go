package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLIHelpVersionAndUsageErrors(t *testing.T) {
	out, _, code := roster(t, nil, "help")
	if code != 0 || !strings.Contains(out, "import") || !strings.Contains(out, "export") {
		t.Fatalf("help: %d %s", code, out)
	}
	// "roster --help" is about roster: every command, not only the board's flags.
	for _, flag := range []string{"--help", "-h"} {
		out, _, code := roster(t, nil, flag)
		if code != 0 || !strings.Contains(out, "commands:") {
			t.Errorf("roster %s: exit %d\n%s", flag, code, out)
		}
		for _, c := range []string{"outreach", "outbox", "payouts", "report", "serve"} {
			if !strings.Contains(out, "\n  "+c) {
				t.Errorf("roster %s does not list %s:\n%s", flag, c, out)
			}
		}
	}
	for _, cmd := range []string{"import", "export", "backup", "demo", "board", "version", "sync", "outbox", "outreach", "payouts", "report", "due", "serve"} {
		out, errOut, code := roster(t, nil, cmd, "--help")
		if code != 0 || !strings.Contains(out, "usage: roster "+cmd) {
			t.Errorf("%s --help: exit %d\n%s%s", cmd, code, out, errOut)
		}
	}
	if out, _, code := roster(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "roster ") {
		t.Errorf("version: %d %q", code, out)
	}
	if _, errOut, code := roster(t, nil, "frobnicate"); code != 1 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if _, errOut, code := roster(t, nil, "import"); code != 1 || !strings.Contains(errOut, "FILE is missing") {
		t.Errorf("import without file: %d %q", code, errOut)
	}
	if _, errOut, code := roster(t, nil, "export", "--format", "xml", "--db", filepath.Join(t.TempDir(), "x.db")); code != 1 || !strings.Contains(errOut, "want json or csv") {
		t.Errorf("bad format: %d %q", code, errOut)
	}
}

func TestCLIImportIsAtomicAndReportsEveryBadLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	bad := writeFile(t, dir, "bad.csv", "name,email,followers,tiktok\n"+
		"Maya Chen,maya@mayamakes.example,48k,@maya\n"+
		"Leo Park,not-an-email,9k,@leo\n"+
		"\"Ava\nThompson\",ava@avamoves.example,lots,@ava\n"+
		"Omar,omar@omar.example,1k,@omar\n")
	_, errOut, code := roster(t, nil, "--db", db, "import", "bad.csv")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = roster(t, nil, "--db", db, "import", bad)
	if code != 1 || !strings.Contains(errOut, "bad.csv:3: ") || !strings.Contains(errOut, "bad.csv:4: ") || !strings.Contains(errOut, "nothing was imported") {
		t.Fatalf("want problems at lines 3 and 4: exit %d\n%s", code, errOut)
	}
	out, _, _ := roster(t, nil, "--db", db, "export", "--format", "csv")
	if strings.Contains(out, "Maya") {
		t.Fatal("a rejected import wrote its valid rows")
	}
	// Flags may follow the file, as they may in most tools.
	out, errOut, code = roster(t, nil, "--db", db, "import", bad, "--dry-run", "--skip-invalid")
	if code != 0 || !strings.Contains(out, "would have imported 2 new") {
		t.Fatalf("dry run: %d %s %s", code, out, errOut)
	}
	out, errOut, code = roster(t, nil, "--db", db, "import", "--skip-invalid", bad)
	if code != 0 || !strings.Contains(out, "imported 2 new, updated 0, skipped 2") || !strings.Contains(errOut, "bad.csv:3: ") {
		t.Fatalf("skip-invalid: %d\n%s%s", code, out, errOut)
	}
	out, _, code = roster(t, nil, "--db", db, "import", "--skip-invalid", bad)
	if code != 0 || !strings.Contains(out, "imported 0 new, updated 0") {
		t.Fatalf("second import should create nothing: %s", out)
	}
}

func TestCLIJSONExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	csv := writeFile(t, dir, "c.csv", e2eCSV+"Omar Haddad,omar@omarhikes.example,@omarhikes,9.7k,\"outdoors; hiking\"\r\n")
	if _, errOut, code := roster(t, nil, "--db", db, "import", "--campaign", "Spring", csv); code != 0 {
		t.Fatal(errOut)
	}
	first, errOut, code := roster(t, nil, "--db", db, "export")
	if code != 0 || !strings.Contains(first, `"schema"`) || !strings.Contains(first, `"stage_history"`) {
		t.Fatalf("export: %d %s", code, errOut)
	}
	exported := writeFile(t, dir, "roster.json", first)
	db2 := filepath.Join(dir, "b.db")
	if out, errOut, code := roster(t, nil, "--db", db2, "import", exported); code != 0 || !strings.Contains(out, "imported 4 new") {
		t.Fatalf("import json: %d %s %s", code, out, errOut)
	}
	second, _, _ := roster(t, nil, "--db", db2, "export")
	if first != second {
		t.Fatalf("export → import → export differs:\n--- first\n%s\n--- second\n%s", first, second)
	}
}

func TestCLIRefusesAFileThatIsNotARoster(t *testing.T) {
	dir := t.TempDir()
	notes := writeFile(t, dir, "notes.txt", "my shopping list\n")
	_, errOut, code := roster(t, nil, "--db", notes, "export")
	if code != 1 || !strings.Contains(errOut, "not a roster database") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(notes); string(b) != "my shopping list\n" {
		t.Fatal("the file was modified")
	}
}

func TestDemoShowsAPopulatedBoard(t *testing.T) {
	needTmux(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	s := startTmux(t, 120, 36, "env NO_COLOR=1 "+binary+" demo --db "+db)
	scr := s.waitFor("roster demo")
	for _, stage := range []string{"Prospect", "Contacted", "Negotiating", "Active", "Paid"} {
		if !strings.Contains(scr, stage) {
			t.Errorf("demo board lacks the %s column:\n%s", stage, scr)
		}
	}
	// The embedded mail server syncs over IMAP: turns show on the cards,
	// the conversation beside the card, unknown senders under u.
	s.waitFor("synced")
	s.waitFor("reply owed")
	s.keys("Enter")
	s.waitFor("2 Mail")
	s.waitFor("Maya Chen <maya@mayamakes.example>") // opened at the newest message
	s.keys("g")
	s.waitFor("→ out") // directions are marked
	s.waitFor("← in")
	s.keys("Escape", "u")
	s.waitFor("Unmatched mail")
	scr = s.waitFor("Rachel Adeyemi")
	if strings.Contains(scr, "Creator Economy Weekly") {
		t.Fatalf("newsletters must stay out of the unmatched list:\n%s", scr)
	}
	s.keys("Escape", "q")
	s.waitExit()
	scr = s.history()
	if !strings.Contains(scr, "The demo roster is in "+db) {
		t.Fatalf("demo should say where its database is:\n%s", scr)
	}
	out, _, _ := roster(t, nil, "--db", db, "export", "--format", "csv")
	if n := strings.Count(out, "\n") - 1; n < 40 {
		t.Fatalf("demo roster has %d creators, want at least 40", n)
	}
}

// TestCLIReadingCommandsRefuseAMissingDatabase: a mistyped --db (or
// ROSTER_DB) on a command that only reads or works on what is there is an
// error naming the path, and no database appears at it.
func TestCLIReadingCommandsRefuseAMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "x", "none.db")
	for _, args := range [][]string{{"report"}, {"export"}, {"due"}, {"payouts"}, {"outbox"}, {"outbox", "list"},
		{"outbox", "cancel", "123456"}, {"sync", "--once"}, {"outreach", "--template", "outreach", "--dry-run"}} {
		_, errOut, code := roster(t, nil, append([]string{"--db", missing}, args...)...)
		if code != 1 || !strings.Contains(errOut, "no roster at "+missing+": check --db") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and no roster at %s", args, code, errOut, missing)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%v created %s", args, missing)
		}
	}
	_, errOut, code := roster(t, []string{"ROSTER_DB=" + missing}, "report")
	if code != 1 || !strings.Contains(errOut, "no roster at "+missing+" (from ROSTER_DB): check ROSTER_DB") {
		t.Errorf("ROSTER_DB: exit %d, stderr %q", code, errOut)
	}
	// Commands that make a roster still do.
	csv := writeFile(t, dir, "c.csv", "name,email\nMaya,maya@x.example\n")
	if _, errOut, code := roster(t, nil, "--db", missing, "import", csv); code != 0 {
		t.Fatalf("import into a new file: %d %s", code, errOut)
	}
	if out, errOut, code := roster(t, nil, "--db", missing, "export", "--format", "csv"); code != 0 || !strings.Contains(out, "maya@x.example") {
		t.Errorf("export after import: %d %q %s", code, out, errOut)
	}
}

// TestDemoNamesWhereAnExistingPathCameFrom: the demo refuses to seed an
// existing file and says which setting named it, --db or ROSTER_DB.
func TestDemoNamesWhereAnExistingPathCameFrom(t *testing.T) {
	existing := writeFile(t, t.TempDir(), "r.db", "")
	_, errOut, code := roster(t, []string{"ROSTER_DB=" + existing}, "demo")
	if code != 1 || !strings.Contains(errOut, existing+" (from ROSTER_DB) exists; the demo needs a new file (or unset ROSTER_DB)") {
		t.Errorf("ROSTER_DB: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = roster(t, nil, "demo", "--db", existing)
	if code != 1 || !strings.Contains(errOut, existing+" exists; the demo needs a new file (or leave out --db)") {
		t.Errorf("--db: exit %d, stderr %q", code, errOut)
	}
}

// TestCLIBackupIntoAMissingDirectory names the file the user gave and
// says its directory does not exist, not the temporary file roster
// would have written first.
func TestCLIBackupIntoAMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	if _, errOut, code := roster(t, nil, "--db", db, "import", writeFile(t, dir, "c.csv", "name,email\nMaya,maya@x.example\n")); code != 0 {
		t.Fatal(errOut)
	}
	target := filepath.Join(dir, "nonexistent", "x.db")
	_, errOut, code := roster(t, nil, "--db", db, "backup", target)
	want := "roster backup: cannot write " + target + ": the directory " + filepath.Dir(target) + " does not exist\n"
	if code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q; want %q", code, errOut, want)
	}
}

// TestCLISyncOnceFailureIsOneErrorAndNoSummary: an account that cannot be
// reached makes `roster sync --once` exit 1 with the reason once, and no
// "synced 1 account" line claiming otherwise.
func TestCLISyncOnceFailureIsOneErrorAndNoSummary(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	if _, errOut, code := roster(t, nil, "--db", db, "import", writeFile(t, dir, "c.csv", "name,email\nMaya,maya@x.example\n")); code != 0 {
		t.Fatal(errOut)
	}
	cfg := writeFile(t, dir, "config.toml", `[[accounts]]
name = "work"
email = "sam@brand.example"
[accounts.imap]
host = "127.0.0.1"
port = 1
security = "none"
password_env = "ROSTER_SYNC_PW"
`)
	out, errOut, code := roster(t, []string{"ROSTER_SYNC_PW=x", "ROSTER_CONFIG=" + cfg}, "--db", db, "sync", "--once")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if strings.Contains(out, "synced") {
		t.Errorf("stdout claims a sync: %q", out)
	}
	if n := strings.Count(errOut, "connection refused"); n != 1 || !strings.Contains(errOut, "roster sync: account work: ") {
		t.Errorf("stderr names the failure %d times, want once as roster sync: account work: …:\n%s", n, errOut)
	}
}
