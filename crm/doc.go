// Package crm is roster's domain: creators, campaigns, deals on the pipeline
// board, and the append-only activity log that makes every change
// transparent.
//
// It imports only the standard library. Persistence, mail and the terminal
// interface are adapters that depend on this package, never the reverse, so
// every rule here can be tested without a database, a network or a terminal.
// The Service type is the one entry point both the TUI and the CLI use.
package crm
