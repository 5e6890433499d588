package ui

import (
	"os"
	"strings"
	"testing"
)

// TestKeysDoc keeps docs/keys.md equal to the registry; -update rewrites it.
func TestKeysDoc(t *testing.T) {
	path := "../docs/keys.md"
	got := KeysMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Fatalf("docs/keys.md is out of date with the key registry; run make keys-doc (%v)", err)
	}
}

// TestNoKeyIsBoundTwiceInOneScreen guards the registry: a key bound twice
// in the scopes a screen dispatches to would make one action unreachable.
func TestNoKeyIsBoundTwiceInOneScreen(t *testing.T) {
	reg := NewRegistry()
	sets := [][]Scope{{reg.Help}} // the help overlay dispatches its own keys alone
	for _, s := range []screen{screenBoard, screenDetail, screenUnmatched, screenPreview, screenOutbox, screenOutreach, screenPager} {
		sets = append(sets, []Scope{reg.screenScope(s), reg.Global})
	}
	for _, scopes := range sets {
		seen := map[string]string{}
		names := map[string]bool{}
		for _, s := range scopes {
			for _, a := range s.Actions {
				for _, n := range append([]string{a.Name}, a.Aliases...) {
					if names[strings.ToLower(n)] {
						t.Errorf("command name %q used twice", n)
					}
					names[strings.ToLower(n)] = true
				}
				for _, k := range a.Binding.Keys() {
					if other, dup := seen[k]; dup {
						t.Errorf("key %q bound to both %s and %s", k, other, a.Name)
					}
					seen[k] = a.Name
				}
			}
		}
	}
}

// TestHelpListsEveryBoundKey guards the other way round: every key an
// action answers to is in the keys help and docs/keys.md show for it, so
// no key works that the manager cannot find with ?.
func TestHelpListsEveryBoundKey(t *testing.T) {
	shown := map[string]string{"down": "↓", "up": "↑", "left": "←", "right": "→",
		"shift+left": "shift+←", "shift+right": "shift+→", "pgdown": "pgdn"}
	for _, s := range NewRegistry().Scopes() {
		for _, a := range s.Actions {
			help := a.KeyHelp()
			listed := map[string]bool{}
			for _, k := range strings.Split(help, "/") {
				listed[k] = true
			}
			if help == "/" {
				listed["/"] = true
			}
			for _, k := range a.Binding.Keys() {
				if name, ok := shown[k]; ok {
					k = name
				}
				if !listed[k] {
					t.Errorf("%s: %s answers to %q, which its help %q leaves out", s.Name, a.Name, k, help)
				}
			}
		}
	}
}
