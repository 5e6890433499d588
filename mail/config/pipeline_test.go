package config

import "testing"

func TestPipelineFollowMail(t *testing.T) {
	for _, c := range []struct {
		toml string
		want bool
	}{
		{"", true},
		{"[pipeline]\nfollow_mail = true\n", true},
		{"[pipeline]\nfollow_mail = false\n", false},
	} {
		cfg, err := Parse("roster.toml", []byte(c.toml))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.FollowsMail(); got != c.want {
			t.Errorf("%q: FollowsMail = %v, want %v", c.toml, got, c.want)
		}
	}
	if _, err := Parse("roster.toml", []byte("[pipeline]\nfollow_mails = false\n")); err == nil {
		t.Error("a misspelt key is accepted")
	}
}
