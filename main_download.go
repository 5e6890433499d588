package main

import (
	"os"

	"github.com/adrg/xdg"
)

// downloadDir is where the board saves attachments: ROSTER_DOWNLOAD_DIR
// when set, else the user's Downloads directory (xdg-user-dirs'
// XDG_DOWNLOAD_DIR, ~/Downloads by default) when it exists, else the
// home directory. roster serve passes none: its sessions' files would land
// on the server.
func downloadDir() string {
	if d := os.Getenv("ROSTER_DOWNLOAD_DIR"); d != "" {
		return d
	}
	if d := xdg.UserDirs.Download; d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	home, _ := os.UserHomeDir()
	return home
}
