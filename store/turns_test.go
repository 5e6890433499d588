package store_test

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"roster/crm"
	"roster/store"
)

// TestMigrateSchema4FilesTurns opens a file schema 4 wrote, whose
// creator-thread index entries are empty: each gains its thread's last
// date and direction, and TurnOf answers from them.
func TestMigrateSchema4FilesTurns(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	later := now.Add(48 * time.Hour)
	if err := db.Update(func(tx crm.Tx) error {
		for _, th := range []crm.Thread{
			{ID: "t1", CreatorID: "c1", LastAt: now, LastDirection: crm.Out},
			{ID: "t2", CreatorID: "c1", LastAt: later, LastDirection: crm.In},
			{ID: "t3", CreatorID: "c2", LastAt: later, LastDirection: crm.Out},
			{ID: "t4", LastAt: later, LastDirection: crm.In},
		} {
			if err := tx.PutThread(&th); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	forge(t, path, func(tx *bolt.Tx) error {
		idx := tx.Bucket([]byte("idx_creator_threads"))
		var keys [][]byte
		if err := idx.ForEach(func(k, _ []byte) error { keys = append(keys, append([]byte(nil), k...)); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := idx.Put(k, nil); err != nil {
				return err
			}
		}
		return nil
	})
	setSchema(t, path, 4)

	db = openDB(t, path)
	defer db.Close()
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Fatalf("schema %d after migration", got)
	}
	if err := db.View(func(tx crm.Tx) error {
		for c, want := range map[crm.ID]crm.Turn{"c1": {LastAt: later, ReplyOwed: true}, "c2": {LastAt: later}, "c3": {}} {
			got, err := tx.TurnOf(c)
			if err != nil || !got.LastAt.Equal(want.LastAt) || got.ReplyOwed != want.ReplyOwed {
				t.Errorf("TurnOf(%s) = %+v, %v; want %+v", c, got, err, want)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckMailIndexes(db); err != nil {
		t.Error(err)
	}
}
