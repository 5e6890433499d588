package ui

import (
	"errors"
	"fmt"
)

var errEmptyReason = errors.New("decline: a reason is required (why did it not work out?)")

func unknownCommand(name string) error {
	return fmt.Errorf("unknown command %q; press ? for every key and command", sanitize(name))
}
