package crm

import "reflect"

// sanitizeAll passes every string reachable from v (a pointer) through
// SanitizeText, except IDs: a snapshot read from a file is text from
// anywhere, and walking it, rather than naming its fields, keeps a field
// added later from slipping past. IDs are left alone because cleaning one
// could turn it into another record's ID; a damaged ID fails its own
// check instead.
func sanitizeAll(v any) {
	sanitizeValue(reflect.ValueOf(v))
}

var idType = reflect.TypeFor[ID]()

func sanitizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			sanitizeValue(v.Elem())
		}
	case reflect.String:
		if v.CanSet() && v.Type() != idType {
			s := v.String()
			if c := SanitizeText(s); c != s {
				v.SetString(c)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				sanitizeValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			sanitizeValue(v.Index(i))
		}
	case reflect.Map:
		// Map values cannot be set in place: clean a copy and put it back.
		for it := v.MapRange(); it.Next(); {
			c := reflect.New(it.Value().Type()).Elem()
			c.Set(it.Value())
			sanitizeValue(c)
			v.SetMapIndex(it.Key(), c)
		}
	}
}
