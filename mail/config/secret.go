package config

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// SecretTimeout bounds a password or token command: long enough for a
// GPG pinentry or a token broker's refresh, short enough that a hung
// command does not stall sync forever.
const SecretTimeout = 30 * time.Second

// Secret returns the password (or, with token_cmd, the OAuth2 access
// token) for this server. It runs the command through "sh -c" with stdin
// closed, or reads the environment variable, every time it is called:
// tokens expire, and nothing secret is kept in memory longer than a login
// or written anywhere. One trailing newline is removed. Errors name the
// account and the source but never include what the command printed,
// since that may be the secret itself.
func (s *Server) Secret(ctx context.Context) (string, error) {
	switch {
	case s.PasswordEnv != "":
		v, ok := os.LookupEnv(s.PasswordEnv)
		if !ok || v == "" {
			return "", fmt.Errorf("account %s: %s: environment variable %s is not set", s.account, s.role, s.PasswordEnv)
		}
		return v, nil
	case s.PasswordCmd != "":
		return s.run(ctx, "password_cmd", s.PasswordCmd)
	case s.TokenCmd != "":
		return s.run(ctx, "token_cmd", s.TokenCmd)
	}
	return "", fmt.Errorf("account %s: %s: no password_cmd, token_cmd or password_env", s.account, s.role)
}

func (s *Server) run(ctx context.Context, what, command string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, SecretTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	var out bytes.Buffer
	cmd.Stdout = &out
	// Stdin stays nil (/dev/null): a command that prompts must not read
	// the terminal the TUI owns. Stderr is dropped for the same reason
	// and because it may echo what it was given.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	secret := out.String()
	out.Reset()
	fail := func(why string) error {
		return fmt.Errorf("account %s: %s %s failed: %s (its output is not shown)", s.account, s.role, what, why)
	}
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", fail(fmt.Sprintf("no answer within %s", SecretTimeout))
	case ctx.Err() != nil:
		return "", fail("canceled")
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fail(fmt.Sprintf("exit status %d", ee.ExitCode()))
		}
		return "", fail("could not run sh")
	}
	secret = strings.TrimSuffix(secret, "\n")
	secret = strings.TrimSuffix(secret, "\r")
	if secret == "" {
		return "", fail("it printed nothing")
	}
	return secret, nil
}

// TLSConfig verifies the server's certificate against the system roots
// plus ca_file, for the configured host name. Verification cannot be
// turned off: a self-signed server is trusted by giving its CA.
func (s *Server) TLSConfig() (*tls.Config, error) {
	cfg := &tls.Config{ServerName: strings.Trim(s.Host, "[]"), MinVersion: tls.VersionTLS12}
	if s.CAFile == "" {
		return cfg, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	data, err := os.ReadFile(s.CAFile)
	if err != nil {
		return nil, fmt.Errorf("account %s: %s ca_file: %w", s.account, s.role, err)
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("account %s: %s ca_file %s holds no PEM certificate", s.account, s.role, s.CAFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}
