package store

import bolt "go.etcd.io/bbolt"

// Migration is a schema step, for tests that simulate a later schema.
type Migration = migration

// Migrations is the current list of steps.
func Migrations() []Migration { return migrations }

// SetMigrations replaces the steps until restore is called, so a test can
// append "migration 2" and watch Open run it.
func SetMigrations(ms []Migration) (restore func()) {
	old := migrations
	migrations = ms
	return func() { migrations = old }
}

// Bolt is the underlying handle, for tests that look at raw buckets.
func Bolt(db *DB) *bolt.DB { return db.bolt }

// Raw names, for tests that forge databases.
var (
	BucketMeta = bucketMeta
	KeyMagic   = keyMagic
	KeySchema  = keySchema
	Magic      = rosterMagic
)

// CheckMailIndexes compares every mail index with what the records say it
// should hold, for tests that change mail and want no stale entry left.
func CheckMailIndexes(db *DB) error { return checkMailIndexes(db) }

// UsedMap is the range of the database map trimMap drops.
func UsedMap(db *DB) (data uintptr, size int64) { return db.usedMap() }
