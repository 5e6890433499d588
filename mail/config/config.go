// Package config reads roster's mail accounts from a TOML file.
//
// The file holds no secrets: passwords and OAuth2 tokens come from a
// command (password_cmd, token_cmd) or an environment variable each time a
// connection is made, so nothing secret is ever written to disk or logged
// by roster. A bad file is reported with its path, line and key, because a
// user editing TOML by hand needs to know exactly where to look.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/xdg"

	"roster/crm"
)

// EnvPath names the environment variable that overrides the default
// config path, for scripts and tests that keep several setups side by
// side.
const EnvPath = "ROSTER_CONFIG"

// Security is how a connection is protected.
type Security string

// The three ways to connect. None is plain text and is accepted only to a
// loopback address (a local bridge such as Proton Mail Bridge or a test
// server), never across a network.
const (
	SecurityTLS      Security = "tls"
	SecurityStartTLS Security = "starttls"
	SecurityNone     Security = "none"
)

// Default sending limits: below what Gmail (500 a day for personal
// accounts) and Microsoft 365 (30 a minute, 10,000 recipients a day)
// enforce, so a bulk send never gets an account throttled or locked.
const (
	DefaultMaxPerMinute = 20
	DefaultMaxPerDay    = 400
)

// DefaultSyncInterval is how often folders that IDLE does not watch (Sent,
// Archive) are checked when no interval is configured.
const DefaultSyncInterval = 5 * time.Minute

// Config is the whole file: the accounts and the sync settings.
type Config struct {
	// Path is the file the config was read from, or the default path
	// when there was no file.
	Path     string    `toml:"-"`
	Accounts []Account `toml:"accounts"`
	Sync     Sync      `toml:"sync"`
	Pipeline Pipeline  `toml:"pipeline"`
}

// Sync holds settings shared by every account.
type Sync struct {
	// Folders replaces automatic folder discovery for accounts that do
	// not list their own.
	Folders []string `toml:"folders"`
	// Interval is how often mailboxes other than the IDLE one are
	// polled while roster runs.
	Interval time.Duration `toml:"interval"`
}

// Account is one mailbox the manager reads and sends from.
type Account struct {
	// Name is the short handle shown in the UI and stored with every
	// message location; letters, digits, '.', '_' and '-'.
	Name string `toml:"name"`
	// Email is the account's own address; mail from it is outgoing.
	Email string `toml:"email"`
	// DisplayName is the From name used when sending.
	DisplayName string `toml:"display_name"`
	// Aliases are other addresses that are the manager's own (send-as
	// addresses, shared inboxes): mail from them is outgoing too.
	Aliases []string `toml:"aliases"`
	// Folders, when set, are the only mailboxes synced for this account.
	Folders []string `toml:"folders"`
	IMAP    Server   `toml:"imap"`
	// SMTP is optional: an account without it syncs but cannot send.
	SMTP *SMTP `toml:"smtp"`
}

// SMTP is the outgoing server with its sending limits.
type SMTP struct {
	Server
	MaxPerMinute int `toml:"max_per_minute"`
	MaxPerDay    int `toml:"max_per_day"`
}

// Server is how to reach and log in to one IMAP or SMTP server. Exactly
// one secret source is set: PasswordCmd, TokenCmd (OAuth2 access token,
// used with XOAUTH2) or PasswordEnv.
type Server struct {
	Host        string   `toml:"host"`
	Port        int      `toml:"port"`
	Security    Security `toml:"security"`
	Username    string   `toml:"username"`
	PasswordCmd string   `toml:"password_cmd"`
	TokenCmd    string   `toml:"token_cmd"`
	PasswordEnv string   `toml:"password_env"`
	// CAFile is an extra PEM bundle trusted in addition to the system
	// roots (a company CA, a self-signed bridge).
	CAFile string `toml:"ca_file"`

	// account and role name the server in error messages ("account
	// work: imap ...") without the caller having to.
	account string
	role    string
}

// Identities returns the account's own addresses: Email first, then the
// aliases.
func (a *Account) Identities() []string {
	return append([]string{a.Email}, a.Aliases...)
}

// SyncFolders is the configured folder list for a (its own, else the
// [sync] one); nil means discover folders on the server.
func (c *Config) SyncFolders(a *Account) []string {
	if len(a.Folders) > 0 {
		return a.Folders
	}
	return c.Sync.Folders
}

// Account returns the account called name.
func (c *Config) Account(name string) (*Account, bool) {
	for i := range c.Accounts {
		if c.Accounts[i].Name == name {
			return &c.Accounts[i], true
		}
	}
	return nil, false
}

// DefaultPath is $XDG_CONFIG_HOME/roster/config.toml (on most systems
// ~/.config/roster/config.toml).
func DefaultPath() string {
	return filepath.Join(xdg.ConfigHome, "roster", "config.toml")
}

// Load reads the config at path. With path "" it reads the file named by
// $ROSTER_CONFIG, else the default path; only a missing default file is
// fine (roster then runs without mail), a missing file the user named is
// an error. Every problem in the file is reported, one per line, as
// "FILE:LINE: KEY: what is wrong".
func Load(path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		if env := os.Getenv(EnvPath); env != "" {
			path, explicit = env, true
		} else {
			path = DefaultPath()
		}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return &Config{Path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a config from data; path is only used in messages and to
// resolve a relative ca_file.
func Parse(path string, data []byte) (*Config, error) {
	cfg := &Config{Path: path}
	loc := locate(data)
	// Untyped first: a syntax error ends the reading here, but values of
	// the wrong type are all reported (checkTypes) and left out, so the
	// rest of the file is still checked and every problem listed at once.
	var doc map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, decodeError(path, loc, err, data)
	}
	var probs problems
	typed := data
	if checkTypes(&probs, loc, doc) {
		var b bytes.Buffer
		if err := toml.NewEncoder(&b).Encode(doc); err != nil {
			return nil, probs.err(path)
		}
		typed = b.Bytes()
	}
	md, err := toml.NewDecoder(bytes.NewReader(typed)).Decode(cfg)
	if err != nil {
		if len(probs.list) > 0 {
			// The lines of typed are not the file's; what checkTypes
			// found is reported, and the rest once it is fixed.
			return nil, probs.err(path)
		}
		return nil, decodeError(path, loc, err, typed)
	}
	for _, k := range md.Undecoded() {
		probs.unknownKey(loc, k)
	}
	cfg.defaults(filepath.Dir(path))
	cfg.validate(&probs, loc)
	if err := probs.err(path); err != nil {
		return nil, err
	}
	return cfg, nil
}

// defaults fills what the file may leave out.
func (c *Config) defaults(dir string) {
	if c.Sync.Interval == 0 {
		c.Sync.Interval = DefaultSyncInterval
	}
	for i := range c.Accounts {
		a := &c.Accounts[i]
		a.IMAP.fill(a, "imap", 993, 143)
		if a.SMTP != nil {
			a.SMTP.fill(a, "smtp", 465, 587)
			if a.SMTP.MaxPerMinute == 0 {
				a.SMTP.MaxPerMinute = DefaultMaxPerMinute
			}
			if a.SMTP.MaxPerDay == 0 {
				a.SMTP.MaxPerDay = DefaultMaxPerDay
			}
		}
		for _, s := range []*Server{&a.IMAP, a.smtpServer()} {
			if s != nil && s.CAFile != "" {
				s.CAFile = expandPath(s.CAFile, dir)
			}
		}
	}
}

func (a *Account) smtpServer() *Server {
	if a.SMTP == nil {
		return nil
	}
	return &a.SMTP.Server
}

// fill sets the defaults of one server: TLS, the usual port for the
// security chosen, the account address as user name.
func (s *Server) fill(a *Account, role string, tlsPort, plainPort int) {
	s.account, s.role = a.Name, role
	if s.Security == "" {
		s.Security = SecurityTLS
	}
	if s.Port == 0 {
		s.Port = plainPort
		if s.Security == SecurityTLS {
			s.Port = tlsPort
		}
	}
	if s.Username == "" {
		s.Username = a.Email
	}
}

// expandPath resolves ~/ and paths relative to the config file's folder.
func expandPath(p, dir string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(dir, p)
	}
	return p
}

// Addr is host:port for dialing.
func (s *Server) Addr() string {
	return joinHostPort(s.Host, s.Port)
}

// OAuth reports whether the server is logged in to with an OAuth2 token
// (XOAUTH2) rather than a password.
func (s *Server) OAuth() bool { return s.TokenCmd != "" }

// source names the secret source without its value, for messages.
func (s *Server) source() string {
	switch {
	case s.PasswordCmd != "":
		return "password_cmd"
	case s.TokenCmd != "":
		return "token_cmd"
	case s.PasswordEnv != "":
		return "password_env " + s.PasswordEnv
	}
	return "no secret"
}

// String describes the server without any command line: a command may
// carry a secret of its own ("echo hunter2"), so it is never printed.
func (s Server) String() string {
	return fmt.Sprintf("%s %s:%d %s user=%s auth=%s", s.role, s.Host, s.Port, s.Security, s.Username, s.source())
}

// GoString is String, so %#v cannot print the commands either.
func (s Server) GoString() string { return s.String() }

// String describes the SMTP server and its limits.
func (s SMTP) String() string {
	return fmt.Sprintf("%s max_per_minute=%d max_per_day=%d", s.Server.String(), s.MaxPerMinute, s.MaxPerDay)
}

// GoString is String.
func (s SMTP) GoString() string { return s.String() }

// String describes the account on one line, without secrets.
func (a Account) String() string {
	s := fmt.Sprintf("account %s <%s> [%s]", a.Name, a.Email, a.IMAP.String())
	if a.SMTP != nil {
		s += " [" + a.SMTP.String() + "]"
	}
	return s
}

// GoString is String.
func (a Account) GoString() string { return a.String() }

// String lists the accounts, without secrets.
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "config %s: %s", c.Path, crm.Count(len(c.Accounts), "account"))
	for _, a := range c.Accounts {
		b.WriteString("; ")
		b.WriteString(a.String())
	}
	return b.String()
}

// GoString is String.
func (c Config) GoString() string { return c.String() }
