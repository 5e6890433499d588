package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// sshTeam is who may log in: the keys of an authorized_keys file, each named
// by the comment after it (`ssh-ed25519 AAAA... maria`). The name is the
// actor stamped on everything the teammate does, so a key without one is
// refused. The file is checked on every login (one stat) and re-read when
// it changed, so adding or removing a teammate needs no restart.
type sshTeam struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	stamp   teamFileStamp
	members []teamMember
}

// teamMember is one line of the team file: a key and the teammate name
// stamped on what it does.
type teamMember struct {
	key  gossh.PublicKey
	name string
}

// teamFileStamp tells a changed file from an unchanged one without reading it.
type teamFileStamp struct {
	mod  time.Time
	size int64
}

// loadSSHTeam reads the authorized_keys file at path. A missing or unreadable
// file is an error (a server nobody can enter is a setup mistake worth
// stopping for); a bad line is logged with its line number and skipped.
func loadSSHTeam(path string, log *slog.Logger) (*sshTeam, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &sshTeam{path: path, log: log}
	if err := t.reload(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no authorized keys file at %s: create it with one line per teammate, the key then their name (ssh-ed25519 AAAA... maria); docs/serve.md explains", path)
		}
		return nil, err
	}
	return t, nil
}

// Lookup names the teammate whose key this is; ok is false for a stranger.
// It compares whole keys (type and bytes), not fingerprints.
func (t *sshTeam) Lookup(key gossh.PublicKey) (name string, ok bool) {
	if key == nil {
		return "", false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.reloadLocked(); err != nil {
		t.log.Error("authorized keys unreadable; refusing every login until fixed", "file", t.path, "err", err)
		t.members = nil
		return "", false
	}
	want := key.Marshal()
	for _, m := range t.members {
		if bytes.Equal(m.key.Marshal(), want) {
			return m.name, true
		}
	}
	return "", false
}

// Names lists the teammates, for the startup log line.
func (t *sshTeam) Names() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.members))
	for _, m := range t.members {
		names = append(names, m.name)
	}
	return names
}

// reload takes the lock and re-reads the file if it changed.
func (t *sshTeam) reload() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reloadLocked()
}

// reloadLocked re-reads the file if its size or modification time moved.
func (t *sshTeam) reloadLocked() error {
	fi, err := os.Stat(t.path)
	if err != nil {
		return err
	}
	stamp := teamFileStamp{mod: fi.ModTime(), size: fi.Size()}
	if stamp == t.stamp && t.members != nil {
		return nil
	}
	data, err := os.ReadFile(t.path)
	if err != nil {
		return err
	}
	members, problems := parseTeam(t.path, data)
	for _, p := range problems {
		t.log.Warn("authorized keys line skipped", "problem", p)
	}
	if t.stamp != (teamFileStamp{}) {
		t.log.Info("authorized keys re-read", "file", t.path, "teammates", len(members))
	}
	t.stamp, t.members = stamp, members
	if t.members == nil {
		t.members = []teamMember{}
	}
	return nil
}

// parseTeam reads authorized_keys lines. Options (from="...", command=...)
// are not honoured, so a line with any is refused rather than trusted
// half-way.
func parseTeam(path string, data []byte) (members []teamMember, problems []string) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	seen := map[string]string{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, opts, _, err := gossh.ParseAuthorizedKey([]byte(line))
		where := fmt.Sprintf("%s:%d", path, n)
		switch {
		case err != nil:
			problems = append(problems, where+": not a public key ("+err.Error()+")")
			continue
		case len(opts) > 0:
			problems = append(problems, where+": options such as "+opts[0]+" are not supported; remove them")
			continue
		}
		name, why := teammateName(comment)
		if why != "" {
			problems = append(problems, where+": "+why)
			continue
		}
		k := string(key.Marshal())
		if prev, dup := seen[k]; dup {
			problems = append(problems, fmt.Sprintf("%s: this key already belongs to %s; the first line wins", where, prev))
			continue
		}
		seen[k] = name
		members = append(members, teamMember{key: key, name: name})
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, path+": "+err.Error())
	}
	return members, problems
}

// teammateName checks the comment that names a teammate: one word of
// letters, digits and . _ - @, because it is shown on screen and written
// into the activity log.
func teammateName(comment string) (string, string) {
	name := strings.TrimSpace(comment)
	if name == "" {
		return "", "no name after the key; add the teammate's name (ssh-ed25519 AAAA... maria)"
	}
	if len(name) > 64 {
		return "", "the name after the key is longer than 64 characters"
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@", r)) {
			return "", fmt.Sprintf("the name %q has %q in it; use one word of letters, digits and . _ - @", name, r)
		}
	}
	return name, ""
}
