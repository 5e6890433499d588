package crm

import (
	"errors"
	"strings"
)

// NormalizeEmail turns an address into the key roster matches on: lower
// case, without a "+tag" in the local part, and for Gmail without dots in
// the local part and with googlemail.com folded into gmail.com, because
// Gmail delivers all of those spellings to one mailbox. It does not
// validate; CheckEmail does.
func NormalizeEmail(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	local, domain := addr[:at], addr[at+1:]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// CheckEmail rejects what cannot be an address roster could write to. It is
// deliberately loose (one "@", something on both sides, a dot in the
// domain, no spaces, angle brackets or control characters) because real
// addresses are odder than any strict rule. The message shows the address
// without its control characters: it goes to the terminal.
func CheckEmail(addr string) error {
	at := strings.LastIndexByte(addr, '@')
	switch {
	case SanitizeText(addr) != addr:
		return errors.New(quote(SanitizeLine(addr)) + " is not an email address (it has control or invalid characters in it)")
	case at <= 0 || at == len(addr)-1:
		return errors.New(quote(addr) + " is not an email address")
	case strings.ContainsAny(addr, " \t\r\n<>,;\"()"):
		return errors.New(quote(addr) + " is not an email address")
	case !strings.Contains(addr[at+1:], ".") || strings.HasSuffix(addr, "."):
		return errors.New(quote(addr) + " has no domain")
	}
	return nil
}

func quote(s string) string { return "\"" + s + "\"" }
