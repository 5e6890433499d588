package dovecottest

import "syscall"

// procAttr asks the kernel to SIGTERM the Dovecot master if the test
// binary dies without running its cleanups (a panic, a timeout kill), so
// no orphaned server keeps a port and a temp dir busy.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
