package config

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// checkTypes walks the file as the TOML library reads it untyped (doc)
// against Config's fields and reports every value of the wrong type, in
// words for someone editing the file ("is a string; write true or false
// (no quotes)"), deleting each so the rest still decodes and validates.
// Decoding straight into Config stops at the first mismatch with a message
// in Go's terms, which hid every other problem in the file. Keys Config
// does not know are left for the unknown-key check. It reports whether it
// deleted anything.
func checkTypes(ps *problems, loc *locator, doc map[string]any) bool {
	return checkTable(ps, loc, doc, reflect.TypeFor[Config](), "")
}

var durationType = reflect.TypeFor[time.Duration]()

// checkTable checks the keys of one table (m) against struct t.
func checkTable(ps *problems, loc *locator, m map[string]any, t reflect.Type, path string) (deleted bool) {
	fields := tomlFields(t)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		ft, ok := fields[k]
		if !ok {
			continue
		}
		key := k
		if path != "" {
			key = path + "." + k
		}
		drop, inner := checkValue(ps, loc, m[k], ft, key)
		if drop {
			delete(m, k)
		}
		deleted = deleted || drop || inner
	}
	return deleted
}

// checkValue reports why v cannot be a ft, if it cannot, and says whether
// to drop it (drop) or whether something inside it was dropped (inner).
func checkValue(ps *problems, loc *locator, v any, ft reflect.Type, key string) (drop, inner bool) {
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	bad := func(want string) (bool, bool) {
		ps.add(loc, key, "is %s; write %s", kindOf(v), want)
		return true, false
	}
	// Quotes around true or a number are the usual slip; say so.
	unquoted := func(want string) string {
		if _, ok := v.(string); ok {
			return want + " (no quotes)"
		}
		return want
	}
	switch k := ft.Kind(); {
	case ft == durationType:
		switch d := v.(type) {
		case int64:
		case string:
			if _, err := time.ParseDuration(d); err != nil {
				ps.add(loc, key, "%q is not a duration; write one like \"5m\" or \"90s\"", d)
				return true, false
			}
		default:
			return bad(`a duration in quotes, like "5m"`)
		}
	case k == reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad(unquoted("true or false"))
		}
	case k >= reflect.Int && k <= reflect.Int64:
		if _, ok := v.(int64); !ok {
			return bad(unquoted("a whole number"))
		}
	case k == reflect.String:
		if _, ok := v.(string); !ok {
			return bad("it in quotes")
		}
	case k == reflect.Struct:
		tbl, ok := v.(map[string]any)
		if !ok {
			return bad("a table, [" + key + "]")
		}
		return false, checkTable(ps, loc, tbl, ft, key)
	case k == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
		tbls, ok := v.([]map[string]any)
		if !ok {
			return bad("tables, each headed [[" + key + "]]")
		}
		for i, tbl := range tbls {
			inner = checkTable(ps, loc, tbl, ft.Elem(), key+"["+strconv.Itoa(i)+"]") || inner
		}
		return false, inner
	case k == reflect.Slice && ft.Elem().Kind() == reflect.String:
		list, ok := v.([]any)
		if !ok {
			return bad(`a list, like ["a@example.com"]`)
		}
		// Each wrong entry is named; the whole list goes, since
		// dropping only those would renumber the others.
		for i, e := range list {
			if _, ok := e.(string); !ok {
				ps.add(loc, key+"["+strconv.Itoa(i)+"]", "is %s; write it in quotes", kindOf(e))
				drop = true
			}
		}
		return drop, false
	}
	return false, false
}

// kindOf names what the TOML library made of a value, in the file's terms.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "a whole number"
	case float64:
		return "a number with a fraction"
	case bool:
		return "true or false"
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	case time.Time:
		return "a date"
	}
	return "a value of another kind"
}

// tomlFields maps each TOML key of struct t to its field's type, with the
// fields of embedded structs (SMTP's Server) as its own.
func tomlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			maps.Copy(out, tomlFields(f.Type))
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
