package store

import bolt "go.etcd.io/bbolt"

// The database is memory-mapped, and every page a transaction reads
// stays in the process's resident set until bbolt replaces the map. A
// sync writes hundreds of megabytes, and copy-on-write moves its index
// pages to new places in the file at every commit, so the pages read back
// to find the next insert point end up spread over the whole file: after
// an initial sync of 50,000 messages more than 100 MB of the map was
// resident, all of it clean page cache the process no longer needed.
//
// So after every trimEvery bytes of written pages, the writer tells the
// kernel that the process does not need the mapped pages (madvise
// MADV_DONTNEED). On a shared, read-only file mapping that only drops the
// process's page table entries: the pages stay in the page cache, and the
// next read of one maps it again with a minor fault, with the same
// contents. The data, the file and other processes are not affected.

// trimEvery is how many bytes of pages written between two trims. Each
// trim costs the next commits a minor fault per page they read again
// (about 6,000 for a header batch of a sync): trimming after every
// commit cost a sync of 50,000 messages about 7% more CPU and kept 39 MB
// of the map resident at most; every 8 MB (a header batch or two) keeps
// 42 MB at a fraction of the faults; every 32 MB, 59 MB. The small
// commits of someone using the board rarely add up to a trim.
const trimEvery = 8 << 20

// trimMap drops the map's pages from the resident set when enough was
// written since the last trim. It must run with db.wmu held: bbolt
// replaces the map only in a write transaction, so the address and size
// it uses cannot go stale under it.
func (db *DB) trimMap() {
	st := db.bolt.Stats()
	alloc := st.TxStats.GetPageAlloc()
	if alloc-db.trimmedAt < trimEvery {
		return
	}
	db.trimmedAt = alloc
	if data, size := db.usedMap(); size > 0 {
		dropMapped(data, size)
	}
}

// usedMap is where the map starts and how many bytes of it hold pages in
// use: the size of the database as of the last commit. Never the file's
// size: bbolt grows the file by AllocSize ahead of its need, past the
// map's end when the need comes near it, and MADV_DONTNEED past the
// map's end would zero whatever memory the process has mapped there.
func (db *DB) usedMap() (data uintptr, size int64) {
	_ = db.bolt.View(func(btx *bolt.Tx) error {
		size = btx.Size()
		return nil
	})
	return db.bolt.Info().Data, size
}
