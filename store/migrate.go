package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this build writes. Open migrates older files
// up to it and refuses newer ones, so that an old binary never misreads
// records a newer one wrote. It always equals len(migrations).
const SchemaVersion = 8

// Bucket and key names. See doc.go for what each holds.
var (
	bucketMeta          = []byte("meta")
	bucketCreators      = []byte("creators")
	bucketDeals         = []byte("deals")
	bucketCampaigns     = []byte("campaigns")
	bucketEvents        = []byte("events")
	bucketEmailIndex    = []byte("idx_email")
	bucketHandleIndex   = []byte("idx_handle")
	bucketCreatorDeals  = []byte("idx_creator_deals")
	bucketCreatorEvents = []byte("idx_creator_events")
	keyMagic            = []byte("magic")
	keySchema           = []byte("schema")
	rosterMagic         = []byte("roster")
	dataBuckets         = [][]byte{bucketCreators, bucketDeals, bucketCampaigns, bucketEvents, bucketEmailIndex, bucketHandleIndex, bucketCreatorDeals, bucketCreatorEvents}

	bucketMessages        = []byte("messages")
	bucketThreads         = []byte("threads")
	bucketMailboxes       = []byte("mailboxes")
	bucketIgnored         = []byte("ignored")
	bucketMsgIDIndex      = []byte("idx_msgid")
	bucketThreadMessages  = []byte("idx_thread_messages")
	bucketCreatorThreads  = []byte("idx_creator_threads")
	bucketThreadRefs      = []byte("idx_threadref")
	bucketLocations       = []byte("idx_location")
	bucketUnmatchedSender = []byte("idx_unmatched_sender")
	bucketUnmatchedDate   = []byte("idx_unmatched_date")
	bucketPendingBodies   = []byte("idx_pending_body")
	// mailBuckets are schema 2's additions. dataBuckets stays schema 1's
	// list: migration 1 must create exactly what it did when released.
	mailBuckets = [][]byte{bucketMessages, bucketThreads, bucketMailboxes, bucketIgnored,
		bucketMsgIDIndex, bucketThreadMessages, bucketCreatorThreads, bucketThreadRefs,
		bucketLocations, bucketUnmatchedSender, bucketUnmatchedDate, bucketPendingBodies}

	// bucketBodies is schema 3: message texts, apart from the records.
	bucketBodies = []byte("bodies")
)

// migration moves a database from schema i to i+1, inside the one write
// transaction that runs every pending step.
type migration func(tx *bolt.Tx) error

// migrations[i] upgrades schema i to i+1. To change the layout, append a
// function here and bump SchemaVersion; never edit a released step, since
// databases in the field already ran it.
var migrations = []migration{
	createBuckets,     // 0 -> 1
	createMailBuckets, // 1 -> 2
	splitBodies,       // 2 -> 3
	createOutbox,      // 3 -> 4 (outbox.go)
	fileTurns,         // 4 -> 5
	createLedgers,     // 5 -> 6 (ledger.go)
	bodyEntries,       // 6 -> 7
	mergeMessageIDs,   // 7 -> 8
}

// latest is the schema the migrations reach. It is a function of the list
// (not SchemaVersion) so tests can append a step.
func latest() uint64 { return uint64(len(migrations)) }

// createBuckets is schema 1: every record and index bucket.
func createBuckets(tx *bolt.Tx) error {
	for _, name := range dataBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// createMailBuckets is schema 2: mail, threads and their indexes. A
// schema-1 database holds no mail, so the new buckets start empty and
// nothing else is touched.
func createMailBuckets(tx *bolt.Tx) error {
	for _, name := range mailBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// splitBodies is schema 3: each message's text moves out of its record
// into the bodies bucket. Records stay a few hundred bytes, so the pages
// that threading, indexing and the body pass rewrite stay small; the text
// is read only when a conversation is shown or exported.
func splitBodies(tx *bolt.Tx) error {
	bodies, err := tx.CreateBucketIfNotExists(bucketBodies)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketBodies, err)
	}
	msgs := tx.Bucket(bucketMessages)
	type rewrite struct{ key, rec, text []byte }
	var todo []rewrite
	err = msgs.ForEach(func(k, v []byte) error {
		var m crm.Message
		if err := decode(v, &m); err != nil {
			return unreadable("message", crm.ID(k), err)
		}
		if m.Text == "" {
			return nil
		}
		text := []byte(m.Text)
		m.Text = ""
		rec, err := encode(&m)
		if err != nil {
			return err
		}
		todo = append(todo, rewrite{bytes.Clone(k), rec, text})
		return nil
	})
	if err != nil {
		return err
	}
	// Written after the walk: bbolt forbids changing a bucket while a
	// ForEach runs over it.
	for _, r := range todo {
		if err := bodies.Put(r.key, r.text); err != nil {
			return err
		}
		if err := msgs.Put(r.key, r.rec); err != nil {
			return err
		}
	}
	return nil
}

// fileTurns is schema 5: each idx_creator_threads entry holds its
// thread's last date and direction (turnValue), so the board learns whose
// turn it is without decoding threads.
func fileTurns(tx *bolt.Tx) error {
	idx := tx.Bucket(bucketCreatorThreads)
	type entry struct{ key, val []byte }
	var todo []entry
	err := tx.Bucket(bucketThreads).ForEach(func(k, v []byte) error {
		var th crm.Thread
		if err := decode(v, &th); err != nil {
			return unreadable("thread", crm.ID(k), err)
		}
		if th.CreatorID != "" {
			todo = append(todo, entry{childKey(th.CreatorID, th.ID), turnValue(&th)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range todo {
		if err := idx.Put(e.key, e.val); err != nil {
			return err
		}
	}
	return nil
}

// bodyEntries is schema 7: a message has a body entry exactly when it has
// its body, holding the attachments and problems with the text
// (bodies.go), so the body pass writes one value and no record. Schema 3
// to 5 kept only non-empty texts there, raw.
func bodyEntries(tx *bolt.Tx) error {
	msgs, bodies := tx.Bucket(bucketMessages), tx.Bucket(bucketBodies)
	type rewrite struct{ key, rec, body []byte }
	var todo []rewrite
	err := msgs.ForEach(func(k, v []byte) error {
		var m crm.Message
		if err := decode(v, &m); err != nil {
			return unreadable("message", crm.ID(k), err)
		}
		r := rewrite{key: bytes.Clone(k)}
		if !m.HeaderOnly {
			body, err := encodeBody(string(bodies.Get(k)), m.Attachments, m.Problems)
			if err != nil {
				return err
			}
			r.body = body
			m.Attachments, m.Problems = nil, nil
		}
		rec, err := encode(&m)
		if err != nil {
			return err
		}
		r.rec = rec
		todo = append(todo, r)
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range todo {
		if err := msgs.Put(r.key, r.rec); err != nil {
			return err
		}
		if r.body == nil {
			if err := bodies.Delete(r.key); err != nil {
				return err
			}
		} else if err := bodies.Put(r.key, r.body); err != nil {
			return err
		}
	}
	return nil
}

// mergeMessageIDs is schema 8: idx_msgid (Message-ID -> message) folds
// into idx_threadref, whose entry for a message's Message-ID now names the
// message too (refValue), and idx_msgid goes. A Message-ID no reference
// filed yet takes the thread of its message's record.
func mergeMessageIDs(tx *bolt.Tx) error {
	ids, refs, msgs := tx.Bucket(bucketMsgIDIndex), tx.Bucket(bucketThreadRefs), tx.Bucket(bucketMessages)
	if ids == nil {
		return nil // tests forge older schemas from today's layout
	}
	type entry struct{ key, val []byte }
	var todo []entry
	err := ids.ForEach(func(mid, id []byte) error {
		thread, _ := splitRef(refs.Get(mid))
		if thread == nil {
			data := msgs.Get(id)
			if data == nil {
				return fmt.Errorf("idx_msgid names message %s, which is not stored; the database is damaged", id)
			}
			var k msgKeys
			if err := decode(data, &k); err != nil {
				return unreadable("message", crm.ID(id), err)
			}
			thread = []byte(k.ThreadID)
		}
		todo = append(todo, entry{bytes.Clone(mid), refValue(thread, id)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range todo {
		if err := refs.Put(e.key, e.val); err != nil {
			return err
		}
	}
	return tx.DeleteBucket(bucketMsgIDIndex)
}

// initialise marks an empty bbolt file as roster's at schema 0 and
// migrates it to the latest schema, in tx.
func initialise(tx *bolt.Tx) error {
	m, err := tx.CreateBucket(bucketMeta)
	if err != nil {
		return err
	}
	if err := m.Put(keyMagic, rosterMagic); err != nil {
		return err
	}
	if err := putSchema(m, 0); err != nil {
		return err
	}
	return migrate(tx, 0)
}

// migrate runs every step from schema `from` to latest and records the new
// version, all in tx: a failing step leaves the file at `from`.
func migrate(tx *bolt.Tx, from uint64) error {
	for v := from; v < latest(); v++ {
		if err := migrations[v](tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return putSchema(tx.Bucket(bucketMeta), latest())
}

func putSchema(m *bolt.Bucket, v uint64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return m.Put(keySchema, b[:])
}

// readSchema checks that tx is a roster database and returns its schema
// version. path is for messages only.
func readSchema(tx *bolt.Tx, path string) (uint64, error) {
	m := tx.Bucket(bucketMeta)
	if m == nil {
		if k, _ := tx.Cursor().First(); k == nil {
			return 0, notRoster(path, "it is an empty bbolt database (perhaps a first start that was interrupted); remove it to start afresh")
		}
		return 0, notRoster(path, "it is a bbolt database without roster's meta bucket")
	}
	if !bytes.Equal(m.Get(keyMagic), rosterMagic) {
		return 0, notRoster(path, "its meta bucket is not roster's")
	}
	v := m.Get(keySchema)
	if len(v) != 8 {
		return 0, notRoster(path, "its schema version is unreadable")
	}
	return binary.BigEndian.Uint64(v), nil
}

// checkSchema refuses a schema this binary cannot use.
func checkSchema(path string, have uint64) error {
	if have > latest() {
		return fmt.Errorf("%s %w (schema %d); this roster knows up to %d. Upgrade roster to open it",
			path, ErrSchemaTooNew, have, latest())
	}
	return nil
}
