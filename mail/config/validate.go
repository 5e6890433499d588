package config

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/mail"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"roster/crm"
)

// Problem is one thing wrong in a config file, where it is and what it is.
type Problem struct {
	File string
	Line int // 0 when the file does not say where (a missing table)
	Key  string
	Msg  string
}

// Error formats as "FILE:LINE: KEY: message".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is every problem found in a config file, in file order, so a user
// fixes them all in one pass.
type Error struct {
	Problems []Problem
}

// Error lists the problems one per line.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

type problems struct {
	list []Problem
}

func (ps *problems) add(loc *locator, key, format string, args ...any) {
	ps.list = append(ps.list, Problem{Line: loc.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (ps *problems) err(file string) error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b Problem) int { return a.Line - b.Line })
	for i := range ps.list {
		ps.list[i].File = file
	}
	return &Error{Problems: ps.list}
}

// knownKeys lists the keys of every table, for "did you mean" hints,
// sorted. It is read off Config's toml tags (tomlFields, as the type
// check reads them), so a key added there is known here too.
var knownKeys = tableKeys(reflect.TypeFor[Config](), "", map[string][]string{})

// tableKeys adds the keys of struct t's table, at path, and those of the
// tables inside it, to out.
func tableKeys(t reflect.Type, path string, out map[string][]string) map[string][]string {
	fields := tomlFields(t)
	out[path] = slices.Sorted(maps.Keys(fields))
	for name, ft := range fields {
		if ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			inner := name
			if path != "" {
				inner = path + "." + name
			}
			tableKeys(ft, inner, out)
		}
	}
	return out
}

// unknownKey reports a key the file sets but roster does not know, once
// per place it is set, with the nearest known key as a hint. Keys inside
// an unknown table are left out: the table is the mistake.
func (ps *problems) unknownKey(loc *locator, k toml.Key) {
	parent := strings.Join(k[:len(k)-1], ".")
	if _, ok := knownKeys[parent]; !ok {
		return
	}
	plain := strings.Join(k, ".")
	msg := "unknown key"
	if s := suggest(k[len(k)-1], knownKeys[parent]); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	lines := loc.plain[plain]
	if len(lines) == 0 {
		ps.list = append(ps.list, Problem{Key: plain, Msg: msg})
		return
	}
	for _, n := range lines {
		ps.list = append(ps.list, Problem{Line: n, Key: loc.byLine[n], Msg: msg})
	}
}

// suggest returns the known key closest to k when it is close enough to be
// a typo.
func suggest(k string, known []string) string {
	best, bestD := "", len(k)/2+2
	for _, c := range known {
		if d := crm.EditDistance(k, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// decodeError turns the TOML library's error on data into the same
// FILE:LINE: KEY form as validation problems.
func decodeError(file string, loc *locator, err error, data []byte) error {
	var (
		line     int
		key, msg string
		pe       toml.ParseError
	)
	if errors.As(err, &pe) {
		line, key, msg = pe.Position.Line, pe.LastKey, pe.Message
		if s := pe.Position.Start; s > 0 && s <= len(data) {
			// The library counts a line once its lexer is past the
			// newline, so "[[accounts]" missing its "]" was blamed on
			// the line after; where the error starts is exact.
			line = 1 + bytes.Count(data[:s], []byte("\n"))
		}
	} else if m := typeErrRe.FindStringSubmatch(err.Error()); m != nil {
		// Type mismatches come as plain errors with the position in
		// the text.
		line, _ = strconv.Atoi(m[1])
		key, msg = m[2], m[3]
	} else {
		return &Error{Problems: []Problem{{File: file, Msg: strings.TrimPrefix(err.Error(), "toml: ")}}}
	}
	if p, ok := loc.byLine[line]; ok && key != "" {
		key = p
	}
	return &Error{Problems: []Problem{{File: file, Line: line, Key: key, Msg: msg}}}
}

var typeErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)

var (
	nameRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	envVarRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// minInterval keeps polling from hammering a server.
const minInterval = 30 * time.Second

func (c *Config) validate(ps *problems, loc *locator) {
	if c.Sync.Interval < minInterval {
		ps.add(loc, "sync.interval", "%s is too short; the least is %s", c.Sync.Interval, minInterval)
	}
	checkFolders(ps, loc, "sync.folders", c.Sync.Folders)
	names := map[string]int{}
	for i := range c.Accounts {
		a := &c.Accounts[i]
		key := fmt.Sprintf("accounts[%d]", i)
		switch {
		case a.Name == "":
			ps.add(loc, key+".name", "missing: every account needs a short name, such as \"work\"")
		case !nameRe.MatchString(a.Name):
			ps.add(loc, key+".name", "%q: use letters, digits, '.', '_' and '-' only", a.Name)
		default:
			if j, dup := names[a.Name]; dup {
				ps.add(loc, key+".name", "%q is already the name of accounts[%d]", a.Name, j)
			} else {
				names[a.Name] = i
			}
		}
		if a.Email == "" {
			ps.add(loc, key+".email", "missing: the account's own address")
		} else if msg := checkEmail(a.Email); msg != "" {
			ps.add(loc, key+".email", "%s", msg)
		}
		for j, al := range a.Aliases {
			if msg := checkEmail(al); msg != "" {
				ps.add(loc, fmt.Sprintf("%s.aliases[%d]", key, j), "%s", msg)
			}
		}
		checkFolders(ps, loc, key+".folders", a.Folders)
		if !loc.has(key+".imap") && a.IMAP.Host == "" {
			ps.add(loc, key, "missing [accounts.imap]: where to read mail from")
		} else {
			a.IMAP.check(ps, loc, key+".imap")
		}
		if a.SMTP != nil {
			a.SMTP.Server.check(ps, loc, key+".smtp")
			if a.SMTP.MaxPerMinute < 0 {
				ps.add(loc, key+".smtp.max_per_minute", "%d: must be positive", a.SMTP.MaxPerMinute)
			}
			if a.SMTP.MaxPerDay < 0 {
				ps.add(loc, key+".smtp.max_per_day", "%d: must be positive", a.SMTP.MaxPerDay)
			}
		}
	}
}

func (l *locator) has(path string) bool {
	_, ok := l.lines[path]
	return ok
}

func checkFolders(ps *problems, loc *locator, key string, folders []string) {
	for i, f := range folders {
		if strings.TrimSpace(f) == "" {
			ps.add(loc, fmt.Sprintf("%s[%d]", key, i), "empty folder name")
		}
	}
}

// checkEmail returns why addr is not a bare address, or "".
func checkEmail(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return fmt.Sprintf("%q is not an email address (write the bare address, like name@example.com)", addr)
	}
	return ""
}

func (s *Server) check(ps *problems, loc *locator, key string) {
	switch {
	case s.Host == "":
		ps.add(loc, key+".host", "missing: the server's host name")
	case strings.Contains(s.Host, "://"):
		ps.add(loc, key+".host", "%q: give the host name only, without a scheme", s.Host)
	case strings.ContainsAny(s.Host, " \t/"):
		ps.add(loc, key+".host", "%q is not a host name", s.Host)
	}
	if s.Port < 1 || s.Port > 65535 {
		ps.add(loc, key+".port", "%d is not a port", s.Port)
	}
	switch s.Security {
	case SecurityTLS, SecurityStartTLS:
	case SecurityNone:
		if s.Host != "" && !isLoopback(s.Host) {
			ps.add(loc, key+".security", "\"none\" sends the password in clear text and is allowed only to a loopback address (localhost, 127.0.0.1, ::1), not %q; use \"tls\" or \"starttls\"", s.Host)
		}
	default:
		hint := ""
		switch strings.ToLower(string(s.Security)) {
		case "ssl", "imaps", "smtps", "implicit":
			hint = "; did you mean \"tls\"?"
		case "start_tls", "start-tls", "starttls":
			hint = "; did you mean \"starttls\"?"
		}
		ps.add(loc, key+".security", "%q is not one of \"tls\", \"starttls\", \"none\"%s", s.Security, hint)
	}
	n := 0
	for _, v := range []string{s.PasswordCmd, s.TokenCmd, s.PasswordEnv} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		ps.add(loc, key, "needs one of password_cmd, token_cmd or password_env (roster never stores a password)")
	case n > 1:
		ps.add(loc, key, "set only one of password_cmd, token_cmd and password_env")
	}
	if s.PasswordEnv != "" && !envVarRe.MatchString(s.PasswordEnv) {
		ps.add(loc, key+".password_env", "%q is not an environment variable name", s.PasswordEnv)
	}
	if s.CAFile != "" {
		if _, err := loadCAFile(s.CAFile); err != nil {
			ps.add(loc, key+".ca_file", "%v", err)
		}
	}
}

// isLoopback accepts localhost and addresses in 127.0.0.0/8 and ::1: the
// only places a plain-text connection cannot be overheard.
func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") || strings.EqualFold(host, "localhost.") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadCAFile reads a PEM bundle, failing when it holds no certificate.
func loadCAFile(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, errors.Unwrap(err))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

func joinHostPort(host string, port int) string {
	return net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), strconv.Itoa(port))
}
