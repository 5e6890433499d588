package ui

import (
	"fmt"
	"strings"
)

// KeysMarkdown renders every action of the registry as the Markdown of
// docs/keys.md, so the documentation is generated from the same records
// that bind the keys and draw `?` help.
func KeysMarkdown() string {
	var b strings.Builder
	b.WriteString("# Keys and commands\n\n")
	b.WriteString("Generated from roster's action registry (`make keys-doc`); the `?` overlay shows the same list.\n")
	b.WriteString("Every action can also be typed on the `:` command line by its name.\n")
	b.WriteString("In forms: `tab`/`↓` next field, `shift+tab`/`↑` previous, `enter` next field (saves on the last), `ctrl+s` saves, `esc` cancels (asking first when something was typed).\n")
	b.WriteString("On the `:` command line and the `l` link prompt, `↑` on an empty line brings back this session's earlier lines (a refused one too) and `↓` goes forward again; on a typed line they step through the completions.\n")
	reg := NewRegistry()
	for _, s := range reg.Scopes() {
		fmt.Fprintf(&b, "\n## %s\n\n| keys | action | command |\n| --- | --- | --- |\n", s.Name)
		for _, a := range s.Actions {
			k := a.KeyHelp()
			if k == "" {
				k = "—"
			} else {
				k = "`" + strings.ReplaceAll(k, "|", "\\|") + "`"
			}
			cmd := "`" + helpCommand(a)
			for _, al := range a.Aliases {
				cmd += "`, `:" + al
			}
			cmd += "`"
			if s.KeysOnly {
				cmd = "—"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", k, a.Help(), cmd)
		}
	}
	return b.String()
}
