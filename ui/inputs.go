package ui

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
)

// The text fields of the forms, compose and the notes, built one way:
// styled for this session's background, no prompt, bounded in length.

// newTextInput is a one-line field holding value.
func newTextInput(c *Common, limit int, placeholder, value string) textinput.Model {
	in := textinput.New()
	in.SetStyles(textinput.DefaultStyles(c.isDark))
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetValue(value)
	return in
}

// newTextArea is a multi-line field. Over SSH its paste key is off: the
// server's clipboard is not the user's (bracketed paste still works).
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
