package store

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"roster/crm"
)

// referenceFields lists the fields of t, recursively, that share memory
// when the struct is copied (slices, maps, pointers, interfaces, channels,
// funcs). time.Time's location pointer is immutable and does not count.
func referenceFields(t reflect.Type, path string) []string {
	if t == reflect.TypeFor[time.Time]() {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		var out []string
		for i := range t.NumField() {
			f := t.Field(i)
			out = append(out, referenceFields(f.Type, path+"."+f.Name)...)
		}
		return out
	case reflect.Array:
		return referenceFields(t.Elem(), path+"[]")
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func:
		out := []string{path}
		if t.Kind() == reflect.Slice {
			// Elements are copied by assignment: they must hold no
			// references themselves.
			out = append(out, referenceFields(t.Elem(), path+"[]")...)
		}
		return out
	}
	return nil
}

// TestCloneCoversEveryField fails when crm gains a field that the cache's
// clone functions would share between callers. Fix the clone in cache.go,
// then the list here.
func TestCloneCoversEveryField(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want []string
	}{
		{reflect.TypeFor[crm.Creator](), []string{".Emails", ".Handles", ".Tags"}},
		{reflect.TypeFor[crm.Deal](), []string{".History"}},
		{reflect.TypeFor[crm.Campaign](), nil},
		{reflect.TypeFor[crm.Thread](), nil},
	} {
		if got := referenceFields(c.typ, ""); !slices.Equal(got, c.want) {
			t.Errorf("%s has reference fields %v; clone%s copies %v", c.typ, got, c.typ.Name(), c.want)
		}
	}
}

func TestCacheHandsOutCopies(t *testing.T) {
	rc := recordCache[crm.Creator]{clone: cloneCreator}
	raw := []byte(`{"id":"c1","name":"Maya","emails":["a@example.com"],"handles":[{"platform":"tiktok","handle":"maya"}],"tags":["x"]}`)
	var first, second, third crm.Creator
	if err := decodeCached(&rc, "creator", []byte("c1"), raw, &first); err != nil {
		t.Fatal(err)
	}
	first.Emails[0] = "changed@example.com"
	first.Handles[0].Handle = "changed"
	first.Tags[0] = "changed"
	if !rc.get([]byte("c1"), raw, &second) {
		t.Fatal("no cache hit for identical bytes")
	}
	if second.Emails[0] != "a@example.com" || second.Handles[0].Handle != "maya" || second.Tags[0] != "x" {
		t.Errorf("a caller's change reached the cache: %+v", second)
	}
	if rc.get([]byte("c1"), append(raw[:len(raw)-1:len(raw)-1], ' ', '}'), &third) {
		t.Error("cache hit for different bytes")
	}
}
