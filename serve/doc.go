// Package serve is `roster serve`: one roster shared by a team over SSH.
// Every SSH session gets its own Bubble Tea program (its own size, colour
// profile and styles) over the one crm.Service of this process, which
// alone holds the database and runs mail sync. Changes reach every other
// session through the service's change feed; a small presence hub tells
// each session who else has a creator open.
//
// It lives beside ui rather than under it because it listens on a
// socket, and nothing under ui/ does I/O of its own. It imports crm and
// ui only; main.go wires the store and mail in.
package serve
