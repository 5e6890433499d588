package ui

import "testing"

// TestNoFieldPastesTheServersClipboardOverSSH: ctrl+v in a bubbles field
// reads the clipboard of the machine roster runs on; over SSH that is
// not the user's, so no field, form, compose or prompt, binds it there.
func TestNoFieldPastesTheServersClipboardOverSSH(t *testing.T) {
	for _, remote := range []bool{false, true} {
		m := newSeeded(t, 100, 30)
		m.c.Remote = remote
		press(t, m, "a") // the add form's text inputs
		if got := m.form.fields[0].input.KeyMap.Paste.Enabled(); got == remote {
			t.Errorf("remote %v: the form's paste key enabled %v", remote, got)
		}
		press(t, m, "esc", ":") // the command line
		if got := m.prompt.input.KeyMap.Paste.Enabled(); got == remote {
			t.Errorf("remote %v: the command line's paste key enabled %v", remote, got)
		}
		k := newCompose(m.c, m.compose.base, screenBoard)
		if got := k.inputs[fieldTo].KeyMap.Paste.Enabled(); got == remote {
			t.Errorf("remote %v: compose's To paste key enabled %v", remote, got)
		}
		if got := k.body.KeyMap.Paste.Enabled(); got == remote {
			t.Errorf("remote %v: compose's body paste key enabled %v", remote, got)
		}
	}
}
