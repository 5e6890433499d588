package config

import (
	"fmt"
	"strings"
)

// locator maps the keys of a TOML file to the lines that set them, with
// array-of-table indexes ("accounts[1].imap.port"). The TOML library
// reports positions only for syntax and type errors, but a validation
// message is useless without a line, so the file is scanned once more,
// lightly: table headers, "key =" lines, and enough string and bracket
// tracking to skip multi-line values.
type locator struct {
	lines  map[string]int   // indexed path → line
	plain  map[string][]int // plain path ("accounts.imap.port") → lines, file order
	byLine map[int]string   // line → indexed path
}

func locate(data []byte) *locator {
	l := &locator{lines: map[string]int{}, plain: map[string][]int{}, byLine: map[int]string{}}
	var (
		table   []string
		arrIdx  = map[string]int{}
		multi   string // open """ or ''' delimiter
		depth   int    // open [ and { in a value
		records = func(parts []string, line int) {
			path := render(parts, arrIdx)
			if _, ok := l.lines[path]; !ok {
				l.lines[path] = line
			}
			plain := strings.Join(parts, ".")
			l.plain[plain] = append(l.plain[plain], line)
			l.byLine[line] = path
		}
	)
	for n, s := range strings.Split(string(data), "\n") {
		line := n + 1
		if multi != "" {
			i := strings.Index(s, multi)
			if i < 0 {
				continue
			}
			s, multi = s[i+3:], ""
			multi, depth = scanValue(s, depth)
			continue
		}
		if depth > 0 {
			multi, depth = scanValue(s, depth)
			continue
		}
		t := strings.TrimSpace(s)
		switch {
		case t == "" || t[0] == '#':
		case strings.HasPrefix(t, "[["):
			end := strings.Index(t, "]]")
			if end < 0 {
				continue
			}
			parts := splitKey(t[2:end])
			plain := strings.Join(parts, ".")
			if i, ok := arrIdx[plain]; ok {
				arrIdx[plain] = i + 1
			} else {
				arrIdx[plain] = 0
			}
			for k := range arrIdx {
				if strings.HasPrefix(k, plain+".") {
					delete(arrIdx, k)
				}
			}
			table = parts
			records(parts, line)
		case t[0] == '[':
			end := strings.IndexByte(t, ']')
			if end < 0 {
				continue
			}
			table = splitKey(t[1:end])
			records(table, line)
		default:
			eq := keyEnd(t)
			if eq < 0 {
				continue
			}
			parts := append(append([]string(nil), table...), splitKey(t[:eq])...)
			records(parts, line)
			multi, depth = scanValue(t[eq+1:], 0)
		}
	}
	return l
}

// render writes a key path with the current index of every array of
// tables on it.
func render(parts []string, arrIdx map[string]int) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
		if idx, ok := arrIdx[strings.Join(parts[:i+1], ".")]; ok {
			fmt.Fprintf(&b, "[%d]", idx)
		}
	}
	return b.String()
}

// line finds where path, or failing that its nearest enclosing table, is
// set; 0 when the file does not mention it.
func (l *locator) line(path string) int {
	for p := path; p != ""; {
		if n, ok := l.lines[p]; ok {
			return n
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// keyEnd is the index of the '=' ending a key, outside quotes; -1 if none.
func keyEnd(s string) int {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '=':
			return i
		}
	}
	return -1
}

// splitKey splits a dotted key, unquoting quoted pieces.
func splitKey(s string) []string {
	var (
		out []string
		cur strings.Builder
		q   byte
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			q = c
		case c == '.':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, strings.TrimSpace(cur.String()))
}

// scanValue follows a value's strings, comments and brackets to tell
// whether it continues on the next line: an open multi-line string (its
// delimiter) or a bracket depth above zero.
func scanValue(s string, depth int) (multi string, _ int) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '#':
			return "", depth
		case '"', '\'':
			delim := strings.Repeat(string(c), 3)
			if strings.HasPrefix(s[i:], delim) {
				end := strings.Index(s[i+3:], delim)
				if end < 0 {
					return delim, depth
				}
				i += 3 + end + 2
				continue
			}
			for i++; i < len(s) && s[i] != c; i++ {
				if c == '"' && s[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return "", depth
}
