package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

const good = `# roster accounts
[[accounts]]
name = "work"
email = "manager@brand.example"
display_name = "Sam Rivera"
aliases = [
  "partnerships@brand.example",   # shared inbox
  "sam@brand.example",
]

[accounts.imap]
host = "imap.example.com"
port = 993
security = "tls"
password_cmd = "printf 'hunter2\n'"

[accounts.smtp]
host = "smtp.example.com"
port = 587
security = "starttls"
password_cmd = "pass show mail/work"

[[accounts]]
name = "local"
email = "me@localhost.example"
folders = ["INBOX", "Sent", "Partners"]
[accounts.imap]
host = "127.0.0.1"
port = 1143
security = "none"
password_env = "ROSTER_TEST_PW"
`

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadGood(t *testing.T) {
	p := write(t, good)
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Accounts) != 2 {
		t.Fatalf("accounts = %d", len(cfg.Accounts))
	}
	w := cfg.Accounts[0]
	if w.IMAP.Username != "manager@brand.example" || w.IMAP.Port != 993 || w.SMTP.MaxPerMinute != DefaultMaxPerMinute || w.SMTP.MaxPerDay != DefaultMaxPerDay {
		t.Errorf("defaults not applied: %+v", w)
	}
	if got := w.Identities(); len(got) != 3 || got[1] != "partnerships@brand.example" {
		t.Errorf("identities = %v", got)
	}
	l := cfg.Accounts[1]
	if got := cfg.SyncFolders(&l); len(got) != 3 {
		t.Errorf("folders = %v", got)
	}
	if cfg.SyncFolders(&w) != nil {
		t.Errorf("work folders should be discovered")
	}
	if cfg.Sync.Interval != DefaultSyncInterval {
		t.Errorf("interval = %v", cfg.Sync.Interval)
	}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", *cfg), fmt.Sprintf("%#v", *cfg), fmt.Sprintf("%v", w.IMAP)} {
		if strings.Contains(s, "printf") || strings.Contains(s, "hunter2") || strings.Contains(s, "pass show") {
			t.Errorf("formatting shows a command: %s", s)
		}
	}
}

func TestMissingFiles(t *testing.T) {
	dir := t.TempDir()
	t.Cleanup(xdg.Reload) // runs after the environment is restored
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv(EnvPath, "")
	xdg.Reload()
	if got := DefaultPath(); got != filepath.Join(dir, "roster", "config.toml") {
		t.Fatalf("DefaultPath = %s", got)
	}
	cfg, err := Load("")
	if err != nil || len(cfg.Accounts) != 0 {
		t.Fatalf("missing default file: %v %v", cfg, err)
	}
	if _, err := Load(filepath.Join(dir, "nope.toml")); err == nil {
		t.Fatal("a missing named file must be an error")
	}
	t.Setenv(EnvPath, filepath.Join(dir, "env.toml"))
	if _, err := Load(""); err == nil {
		t.Fatal("a missing $ROSTER_CONFIG file must be an error")
	}
	p := write(t, good)
	t.Setenv(EnvPath, p)
	cfg, err = Load("")
	if err != nil || cfg.Path != p || len(cfg.Accounts) != 2 {
		t.Fatalf("ROSTER_CONFIG: %v %v", cfg, err)
	}
}

const head = `[[accounts]]
name = "work"
email = "manager@brand.example"
[accounts.imap]
host = "imap.example.com"
`

func TestBadConfigs(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, []byte("not a certificate"), 0o600)
	cases := []struct {
		name, body string
		want       []string // after "FILE:"
	}{
		{"port", head + "port = 99999\npassword_cmd = \"x\"\n",
			[]string{`6: accounts[0].imap.port: 99999 is not a port`}},
		{"typo", head + "pasword_cmd = \"x\"\n",
			[]string{`4: accounts[0].imap: needs one of password_cmd, token_cmd or password_env (roster never stores a password)`,
				`6: accounts[0].imap.pasword_cmd: unknown key; did you mean "password_cmd"?`}},
		{"second account typo", head + "password_cmd = \"x\"\n" + strings.ReplaceAll(head, "work", "home") + "password_cmd = \"x\"\nsecurty = \"tls\"\n",
			[]string{`13: accounts[1].imap.securty: unknown key; did you mean "security"?`}},
		{"none remote", head + "security = \"none\"\npassword_cmd = \"x\"\n",
			[]string{`6: accounts[0].imap.security: "none" sends the password in clear text and is allowed only to a loopback address (localhost, 127.0.0.1, ::1), not "imap.example.com"; use "tls" or "starttls"`}},
		{"bad security", head + "security = \"ssl\"\npassword_cmd = \"x\"\n",
			[]string{`6: accounts[0].imap.security: "ssl" is not one of "tls", "starttls", "none"; did you mean "tls"?`}},
		{"two secrets", head + "password_cmd = \"x\"\npassword_env = \"Y\"\n",
			[]string{`4: accounts[0].imap: set only one of password_cmd, token_cmd and password_env`}},
		{"duplicate name", head + "password_cmd = \"x\"\n" + head + "password_cmd = \"x\"\n",
			[]string{`8: accounts[1].name: "work" is already the name of accounts[0]`}},
		{"bad email", strings.Replace(head, `"manager@brand.example"`, `"Sam <sam@x.example>"`, 1) + "password_cmd = \"x\"\n",
			[]string{`3: accounts[0].email: "Sam <sam@x.example>" is not an email address (write the bare address, like name@example.com)`}},
		{"bad alias", strings.Replace(head, "[accounts.imap]", "aliases = [\"ok@x.example\",\n  \"nope\"]\n[accounts.imap]", 1) + "password_cmd = \"x\"\n",
			[]string{`4: accounts[0].aliases[1]: "nope" is not an email address (write the bare address, like name@example.com)`}},
		{"ca file", head + "password_cmd = \"x\"\nca_file = \"" + ca + "\"\n",
			[]string{`7: accounts[0].imap.ca_file: ` + ca + ` holds no PEM certificate`}},
		{"missing ca file", head + "password_cmd = \"x\"\nca_file = \"/nonexistent/ca.pem\"\n",
			[]string{`7: accounts[0].imap.ca_file: cannot read /nonexistent/ca.pem: no such file or directory`}},
		{"type", head + "port = \"993\"\npassword_cmd = \"x\"\n",
			[]string{`6: accounts[0].imap.port: is a string; write a whole number (no quotes)`}},
		{"syntax", head + "port = 993\npassword_cmd = \"x\n",
			nil},
		{"unclosed header", "[[accounts]\nname = \"work\"\n",
			[]string{`1: expected end of table array name delimiter ']', but got '\n' instead`}},
		{"unknown table", head + "password_cmd = \"x\"\n[accounts.imapp]\nhost = \"y\"\n",
			[]string{`7: accounts[0].imapp: unknown key; did you mean "imap"?`}},
		{"smtp limits", head + "password_cmd = \"x\"\n[accounts.smtp]\nhost = \"smtp.example.com\"\ntoken_cmd = \"t\"\nmax_per_day = -1\n",
			[]string{`10: accounts[0].smtp.max_per_day: -1: must be positive`}},
		{"typos in smtp and sync", head + "password_cmd = \"x\"\n[accounts.smtp]\nhost = \"smtp.example.com\"\ntoken_cmd = \"t\"\nmax_per_minut = 5\n[sync]\nintervl = \"5m\"\n",
			[]string{`10: accounts[0].smtp.max_per_minut: unknown key; did you mean "max_per_minute"?`,
				`12: sync.intervl: unknown key; did you mean "interval"?`}},
		{"interval", head + "password_cmd = \"x\"\n[sync]\ninterval = \"5s\"\n",
			[]string{`8: sync.interval: 5s is too short; the least is 30s`}},
		{"name", strings.Replace(head, `"work"`, `"my work"`, 1) + "password_cmd = \"x\"\n",
			[]string{`2: accounts[0].name: "my work": use letters, digits, '.', '_' and '-' only`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, c.body)
			_, err := Load(p)
			if err == nil {
				t.Fatal("no error")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T: %v", err, err)
			}
			if c.want == nil {
				if !strings.HasPrefix(err.Error(), p+":7: ") {
					t.Errorf("syntax error %q should point at line 7", err)
				}
				return
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(c.want) {
				t.Fatalf("got %d problems:\n%s", len(got), err)
			}
			for i, w := range c.want {
				if got[i] != p+":"+w {
					t.Errorf("problem %d\n got %s\nwant %s", i, got[i], p+":"+w)
				}
			}
		})
	}
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "127.8.9.1": true, "::1": true, "[::1]": true,
		"imap.example.com": false, "10.0.0.1": false, "localhost.evil.example": false, "0.0.0.0": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
}

func parseOne(t *testing.T, imap string) *Server {
	t.Helper()
	cfg, err := Parse("test.toml", []byte(head+imap))
	if err != nil {
		t.Fatal(err)
	}
	return &cfg.Accounts[0].IMAP
}

func TestSecretCommand(t *testing.T) {
	s := parseOne(t, `password_cmd = "printf 'hunter2\n\n'"`)
	got, err := s.Secret(context.Background())
	if err != nil || got != "hunter2\n" {
		t.Fatalf("Secret = %q, %v (one trailing newline is trimmed)", got, err)
	}
	s = parseOne(t, `token_cmd = "read x; echo tok-$x"`) // stdin closed: read fails, echo still runs
	if got, err := s.Secret(context.Background()); err != nil || got != "tok-" {
		t.Fatalf("token = %q, %v", got, err)
	}
	s = parseOne(t, `password_cmd = "echo supersecret; echo oops >&2; exit 3"`)
	_, err = s.Secret(context.Background())
	if err == nil || strings.Contains(err.Error(), "supersecret") || strings.Contains(err.Error(), "oops") {
		t.Fatalf("failed command error %v must not show output", err)
	}
	if !strings.Contains(err.Error(), "account work") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("error should name the account and the status: %v", err)
	}
	s = parseOne(t, `password_cmd = "true"`)
	if _, err := s.Secret(context.Background()); err == nil {
		t.Error("empty output must fail")
	}
	s = parseOne(t, `password_cmd = "sleep 10"`)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	// The command is cut off when the caller gives up, and says so
	// (had it run its 10 s, it would fail as "empty output" instead).
	if _, err := s.Secret(ctx); err == nil || !strings.Contains(err.Error(), "no answer within") {
		t.Errorf("hung command: %v", err)
	}
}

func TestSecretEnv(t *testing.T) {
	s := parseOne(t, `password_env = "ROSTER_TEST_SECRET"`)
	t.Setenv("ROSTER_TEST_SECRET", "")
	if _, err := s.Secret(context.Background()); err == nil || !strings.Contains(err.Error(), "ROSTER_TEST_SECRET") {
		t.Fatalf("unset env: %v", err)
	}
	t.Setenv("ROSTER_TEST_SECRET", "pw\n")
	if got, err := s.Secret(context.Background()); err != nil || got != "pw\n" {
		t.Fatalf("env secret = %q, %v (taken verbatim)", got, err)
	}
}

func TestTLSConfig(t *testing.T) {
	s := parseOne(t, `password_env = "X"`)
	cfg, err := s.TLSConfig()
	if err != nil || cfg.ServerName != "imap.example.com" || cfg.InsecureSkipVerify {
		t.Fatalf("%+v %v", cfg, err)
	}
}

func TestLocate(t *testing.T) {
	l := locate([]byte(`a = """
x = 1
"""
[[accounts]]
name = "a" # [[accounts]]
list = [ "x",
  "y = 2" ]
[accounts.imap]
'port' = 1
[[accounts]]
[accounts.imap]
"port" = 2
`))
	for path, want := range map[string]int{
		"a": 1, "accounts[0]": 4, "accounts[0].name": 5, "accounts[0].list": 6,
		"accounts[0].imap.port": 9, "accounts[1].imap.port": 12, "accounts[1].imap.host": 11, "x": 0,
	} {
		if got := l.line(path); got != want {
			t.Errorf("line(%s) = %d, want %d", path, got, want)
		}
	}
}

// TestTypeErrorsAreListedWithEveryOtherProblem: a value of the wrong type
// is explained in the file's terms (no decoder jargon), and it does not
// hide the file's other problems: they are all listed at once.
func TestTypeErrorsAreListedWithEveryOtherProblem(t *testing.T) {
	p := write(t, `[[accounts]]
name = "work"
email = "Sam <sam@x.example>"
aliases = "sam@x.example"
[accounts.imap]
host = "imap.example.com"
port = "993"
security = "ssl"
pasword_cmd = "x"
[accounts.smtp]
host = "smtp.example.com"
port = 587.5
password_cmd = "x"
max_per_day = -1
[sync]
interval = "5 minutes"
folders = ["INBOX", 7]
[pipeline]
follow_mail = "yes"
`)
	_, err := Load(p)
	want := []string{
		`3: accounts[0].email: "Sam <sam@x.example>" is not an email address (write the bare address, like name@example.com)`,
		`4: accounts[0].aliases: is a string; write a list, like ["a@example.com"]`,
		`5: accounts[0].imap: needs one of password_cmd, token_cmd or password_env (roster never stores a password)`,
		`7: accounts[0].imap.port: is a string; write a whole number (no quotes)`,
		`8: accounts[0].imap.security: "ssl" is not one of "tls", "starttls", "none"; did you mean "tls"?`,
		`9: accounts[0].imap.pasword_cmd: unknown key; did you mean "password_cmd"?`,
		`12: accounts[0].smtp.port: is a number with a fraction; write a whole number`,
		`14: accounts[0].smtp.max_per_day: -1: must be positive`,
		`16: sync.interval: "5 minutes" is not a duration; write one like "5m" or "90s"`,
		`17: sync.folders[1]: is a whole number; write it in quotes`,
		`19: pipeline.follow_mail: is a string; write true or false (no quotes)`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	got := strings.Split(err.Error(), "\n")
	for i := range max(len(got), len(want)) {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = p + ":" + want[i]
		}
		if g != w {
			t.Errorf("problem %d\n got %s\nwant %s", i, g, w)
		}
	}
}
