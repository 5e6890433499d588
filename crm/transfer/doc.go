// Package transfer reads and writes the files roster exchanges with the
// outside world: CSV lists of creators (Creator Marketplace exports,
// spreadsheets, loyalty-program lists) and roster's own JSON export
// document, described in docs/export.md.
//
// It turns bytes into crm values and back and nothing more: matching,
// merging and storing are crm.Service's job (Import for CSV records,
// Restore for a JSON snapshot). Like crm it imports only the standard
// library, so every parser here can be tested and fuzzed on its own.
package transfer
