package ui

import (
	"context"

	"roster/crm"
)

// Common is what every screen of one program shares: the service, who is
// at the keyboard, how to draw, and how big the terminal is. One exists per
// program (per SSH session), never per package.
type Common struct {
	Ctx    context.Context
	Svc    *crm.Service
	Actor  string
	Styles Styles
	Width  int
	Height int
	// Remote is true for SSH sessions, where the server's clipboard,
	// editor and signals are not the user's.
	Remote bool
	// NoColor draws without colour (NO_COLOR, or a dumb terminal).
	NoColor bool
	// Presence is nil except in roster serve; see Presence.
	Presence Presence
	// DownloadDir is where saved attachments go (Options.DownloadDir).
	DownloadDir string
	isDark      bool
}

// Options configure a program.
type Options struct {
	// Service is required.
	Service *crm.Service
	// Actor is stamped on every change this program makes.
	Actor string
	// Campaign selects the board shown first; empty means the first
	// campaign.
	Campaign string
	NoColor  bool
	Remote   bool
	// Context ends the program's background work (the change feed pump)
	// when cancelled.
	Context context.Context
	// Title is shown in the header and the terminal title ("roster",
	// "roster demo").
	Title string
	// Presence, if set, shares what this program has open with the other
	// sessions of roster serve and shows theirs.
	Presence Presence
	// DownloadDir is the directory attachments are saved in (main sets
	// the user's Downloads directory). Empty means saving is not offered:
	// roster serve leaves it so, since a file saved there would land on
	// the server's disk, not the SSH user's machine.
	DownloadDir string
	// OnReady, if set, runs once when the first board has loaded: main
	// starts background mail sync there, so it does not compete with the
	// first frame for the CPU. It must not block.
	OnReady func()
}
