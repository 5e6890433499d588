package config

// Pipeline holds how the board follows the mail.
type Pipeline struct {
	// FollowMail, on unless set to false, moves a prospect's deal to
	// contacted when roster sends the first mail, and a contacted deal to
	// negotiating when the creator first replies. Both moves are logged
	// by "roster".
	FollowMail *bool `toml:"follow_mail"`
}

// FollowsMail reports whether the automatic stage moves are on.
func (c *Config) FollowsMail() bool {
	return c.Pipeline.FollowMail == nil || *c.Pipeline.FollowMail
}
