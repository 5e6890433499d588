// Package store keeps roster in one bbolt file and implements
// crm.Repository on it.
//
// # Layout
//
// Every record kind has a bucket keyed by its crm.ID. IDs sort by creation
// time, so a cursor walks records in creation order and the activity log
// needs no time index:
//
//	meta                 "magic" -> "roster", "schema" -> big-endian uint64
//	creators             creator ID -> Creator
//	deals                deal ID -> Deal
//	campaigns            campaign ID -> Campaign
//	events               event ID -> Event (append-only)
//	idx_email            NormalizeEmail(addr) -> creator ID
//	idx_handle           platform ":" NormalizeHandle(handle) -> creator ID
//	idx_creator_deals    creator ID "/" deal ID -> empty
//	idx_creator_events   creator ID "/" event ID -> empty
//
// Values are encoded by codec.go alone (JSON today), so that a faster
// encoding is one file and one migration away. Decoded creators, deals and
// campaigns are cached next to the bytes they came from (cache.go), so a
// board reload decodes only what changed.
//
// # Safety
//
// Open refuses, without writing a byte, any file that is not a roster
// database: roster's --db flag makes it easy to point at the wrong file,
// and a store that "initialises" someone's data would destroy it. Schema
// migrations run forward in one write transaction, so a crash leaves the
// old schema or the new one, never a mix.
//
// bbolt lets one process open a file for writing. A second roster gets
// ErrLocked within Options.Timeout instead of hanging; it can still take a
// backup through the control socket the first process serves (see
// ServeControl and RemoteBackup).
package store
