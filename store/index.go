package store

import (
	"bytes"
	"fmt"
	"strings"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// Index keys. Creator keys are normalised exactly as crm compares them, so
// that the index answers "who owns this address" the way the domain means
// it.

func emailKey(addr string) string { return crm.NormalizeEmail(addr) }

func handleKey(p crm.Platform, handle string) string {
	h := crm.NormalizeHandle(handle)
	if h == "" {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(string(p))) + ":" + h
}

// childKey is parent "/" child: one creator's deals or events sit side by
// side in the index, in child-ID (creation) order.
func childKey(parent, child crm.ID) []byte {
	k := make([]byte, 0, len(parent)+1+len(child))
	k = append(k, parent...)
	k = append(k, '/')
	return append(k, child...)
}

func childPrefix(parent crm.ID) []byte { return childKey(parent, "") }

// uniqueKey is one entry a creator owns in a unique index.
type uniqueKey struct {
	bucket *bolt.Bucket
	kind   string // "email" or "handle"
	key    string
	label  string // for a DuplicateError: "email maya@example.com"
}

// creatorKeys lists the unique index entries c owns.
func (t *tx) creatorKeys(c *crm.Creator) []uniqueKey {
	var out []uniqueKey
	for _, e := range c.Emails {
		if k := emailKey(e); k != "" {
			out = append(out, uniqueKey{t.b.emails, "email", k, "email " + strings.TrimSpace(e)})
		}
	}
	for _, h := range c.Handles {
		if k := handleKey(h.Platform, h.Handle); k != "" {
			out = append(out, uniqueKey{t.b.handles, "handle", k, fmt.Sprintf("%s @%s", h.Platform, crm.NormalizeHandle(h.Handle))})
		}
	}
	return out
}

// checkKeys refuses keys owned by another creator, and keys bbolt cannot
// store, before anything is written.
func checkKeys(id crm.ID, keys []uniqueKey) error {
	for _, k := range keys {
		if len(k.key) > bolt.MaxKeySize {
			return &crm.FieldError{Field: k.kind, Msg: "is too long"}
		}
		if owner := k.bucket.Get([]byte(k.key)); owner != nil && string(owner) != string(id) {
			return &crm.DuplicateError{Key: k.label, Owner: crm.ID(owner)}
		}
	}
	return nil
}

// moveKeys replaces old's index entries with next's for creator id.
func moveKeys(id crm.ID, old, next []uniqueKey) error {
	keep := make(map[string]bool, len(next))
	for _, k := range next {
		keep[k.kind+"\x00"+k.key] = true
	}
	for _, k := range old {
		if keep[k.kind+"\x00"+k.key] {
			continue
		}
		if owner := k.bucket.Get([]byte(k.key)); bytes.Equal(owner, []byte(id)) {
			if err := k.bucket.Delete([]byte(k.key)); err != nil {
				return err
			}
		}
	}
	for _, k := range next {
		if bytes.Equal(k.bucket.Get([]byte(k.key)), []byte(id)) {
			continue // unchanged; do not dirty the page
		}
		if err := k.bucket.Put([]byte(k.key), []byte(id)); err != nil {
			return err
		}
	}
	return nil
}
