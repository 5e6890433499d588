// Package ui is roster's terminal interface: the pipeline board, the
// creator screen, forms, the command line and help, as Bubble Tea v2
// models.
//
// It talks to the domain only (roster/crm) and does every piece of I/O in
// a tea.Cmd, never in Update or View. It holds no package-level mutable
// state: everything a program needs (service, actor, styles, size) lives in
// a per-program Common value, so one binary can serve many SSH sessions
// with different terminals.
package ui
