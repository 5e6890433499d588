package ui

import (
	"errors"
	"fmt"
	"strings"
)

var errEmptyReason = errors.New("decline: a reason is required (why did it not work out?)")

// unknownCommand refuses a command line's name. A command of another
// screen (":save" on the board) is named with where it works: "unknown"
// would send the user looking for a typo.
func unknownCommand(name string, elsewhere []string) error {
	if len(elsewhere) > 0 {
		return fmt.Errorf(":%s works on the %s screen, not here; press ? for this screen's keys and commands", sanitize(name), strings.Join(elsewhere, " or the "))
	}
	return fmt.Errorf("unknown command %q; press ? for every key and command", sanitize(name))
}
