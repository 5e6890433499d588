package store

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// EnvDB names the environment variable that overrides the default
// database path, so scripts and tests can point roster at another file
// without a flag on every command.
const EnvDB = "ROSTER_DB"

// DefaultPath is where roster keeps its database when no --db is given:
// $ROSTER_DB if set, else $XDG_DATA_HOME/roster/roster.db (usually
// ~/.local/share/roster/roster.db), which is where per-user application
// data belongs and what backup tools expect. It creates nothing; Open
// makes the directory.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvDB); p != "" {
		return filepath.Abs(p)
	}
	if xdg.DataHome == "" {
		return "", errors.New("no data directory: set XDG_DATA_HOME or HOME, or use --db")
	}
	return filepath.Join(xdg.DataHome, "roster", "roster.db"), nil
}
