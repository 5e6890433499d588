//go:build !linux

package dovecottest

import "syscall"

// procAttr has no parent-death signal outside Linux; t.Cleanup stops the
// server in the normal case.
func procAttr() *syscall.SysProcAttr { return nil }
