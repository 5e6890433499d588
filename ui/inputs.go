package ui

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// The text fields of the forms, compose, the notes and the prompts, built
// one way: styled for this session's background, without bubbles' "> "
// prompt, bounded in length where a limit is given. Over SSH their paste
// key (ctrl+v) is off: it reads the clipboard of the machine roster runs
// on, which is not the user's and must not reach them (bracketed paste
// from the user's terminal still works).

// newTextInput is a one-line field holding value; limit 0 is no limit.
func newTextInput(c *Common, limit int, placeholder, value string) textinput.Model {
	in := textinput.New()
	st := textinput.DefaultStyles(c.isDark)
	if c.NoColor {
		// Without colour the grey of a placeholder is gone, and an
		// example read as a value already typed.
		hint := lipgloss.NewStyle().Faint(true).Italic(true)
		st.Focused.Placeholder, st.Blurred.Placeholder = hint, hint
		st.Focused.Suggestion, st.Blurred.Suggestion = hint, hint
	}
	in.SetStyles(st)
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetValue(value)
	if c.Remote {
		in.KeyMap.Paste.SetEnabled(false)
	}
	return in
}

// newTextArea is a multi-line field.
func newTextArea(c *Common, limit int, placeholder string) textarea.Model {
	a := textarea.New()
	a.SetStyles(textarea.DefaultStyles(c.isDark))
	a.ShowLineNumbers = false
	a.CharLimit = limit
	a.Placeholder = placeholder
	if c.Remote {
		a.KeyMap.Paste.SetEnabled(false)
	}
	return a
}
