package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
)

// The notice is a one-line file next to the database, written while a
// server runs, that holds the ssh command reaching it. A local `roster`
// that finds the database locked reads it to tell the user exactly how to
// connect instead of a generic "use roster serve".

// serveNoticePath is where the notice for the database at dbPath lives.
func serveNoticePath(dbPath string) string { return dbPath + ".serve" }

// sshCommandFor is the command a teammate types to reach a server listening
// on addr. A wildcard address is named by this machine's host name.
func sshCommandFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh " + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if h, err := os.Hostname(); err == nil && h != "" {
			host = h
		} else {
			host = "localhost"
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}

// writeServeNotice records the ssh command for the server that holds dbPath;
// the returned function removes it again.
func writeServeNotice(dbPath, addr string) (remove func(), err error) {
	path := serveNoticePath(dbPath)
	if err := os.WriteFile(path, []byte(sshCommandFor(addr)+"\n"), 0o600); err != nil {
		return func() {}, fmt.Errorf("server notice %s: %w", path, err)
	}
	return func() { _ = os.Remove(path) }, nil
}

// readServeNotice returns the ssh command a running server left next to
// dbPath, or "" when there is none.
func readServeNotice(dbPath string) string {
	data, err := os.ReadFile(serveNoticePath(dbPath))
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(data), "\n")
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "ssh ") || len(line) > 300 || strings.ContainsFunc(line, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return ""
	}
	return line
}
