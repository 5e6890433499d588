package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// Run shows the board on the current terminal until the user quits or ctx
// ends.
func Run(ctx context.Context, opts Options) error {
	if opts.Context == nil {
		opts.Context = ctx
	}
	m := New(opts)
	defer m.Close()
	_, err := tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil
	}
	return err
}
