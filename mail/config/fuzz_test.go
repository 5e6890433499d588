package config

import (
	"strings"
	"testing"
)

// FuzzParse feeds config files as a hand edit might leave them: Parse
// never panics, and every refusal starts with the file's name, so the
// manager knows where to look.
func FuzzParse(f *testing.F) {
	f.Add([]byte("[[accounts]]\nname = \"work\"\nemail = \"sam@brand.example\"\n[accounts.imap]\nhost = \"imap.example.com\"\nport = 993\nsecurity = \"tls\"\nusername = \"sam\"\npassword_cmd = \"pass show mail\"\n"))
	f.Add([]byte("[[accounts]]\nname = \"x\"\nemial = \"typo@x\"\n"))
	f.Add([]byte("[sync]\ninterval = \"5 minutes\"\n[pipeline]\nfollow_mail = maybe\n"))
	f.Add([]byte("[[accounts]]\n[accounts.smtp]\nport = 99999\nsecurity = \"none\"\nhost = \"smtp.example.com\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("roster.toml", data)
		if err != nil && !strings.HasPrefix(err.Error(), "roster.toml") {
			t.Fatalf("a refusal must name the file: %v", err)
		}
	})
}
