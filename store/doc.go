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
// Schema 2 adds mail (mail.go, keys in mailkeys.go). A Message-ID is stored
// exactly as the domain normalised it; "sender" is NormalizeEmail(From);
// numbers are big-endian so that keys sort by them:
//
//	messages             message ID -> Message
//	threads              thread ID -> Thread
//	mailboxes            account NUL mailbox -> MailboxState
//	ignored              sender -> empty
//	idx_msgid            Message-ID -> message ID                (until schema 8)
//	idx_thread_messages  thread ID "/" message ID -> empty
//	idx_creator_threads  creator ID "/" thread ID -> LastAt date key + 'i'/'o' (schema 5)
//	idx_threadref        Message-ID (of a message or only referenced) -> thread ID,
//	                     from schema 8 then "/" message ID when a message has it
//	idx_location         account NUL mailbox NUL uidvalidity NUL uid -> message ID
//	idx_unmatched_sender sender "/" message ID -> date key       (no creator, not bulk)
//	idx_unmatched_date   date key + message ID -> sender         (the same, minus ignored senders)
//	idx_pending_body     account "/" message ID -> empty         (creator's, header-only)
//
// Schema 3 keeps each message's text apart from its record, as raw UTF-8,
// so records stay small for threading and indexing:
//
//	bodies               message ID -> text (absent when empty)
//
// Schema 7 gives every message with its body an entry, with its
// attachments and problems; texts long enough to gain are S2-compressed
// (bodies.go).
//
// The date key is 12 bytes (seconds with the sign bit flipped, then
// nanoseconds), so Unmatched reads newest first from the end of its index.
// Every Put moves only the index entries whose key changed, so sync costs a
// few B-tree operations per message however much mail there is.
//
// Values are encoded by codec.go alone (JSON today), so that a faster
// encoding is one file and one migration away. Decoded creators, deals,
// campaigns and threads are cached next to the bytes they came from
// (cache.go), so a board reload decodes only what changed.
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
