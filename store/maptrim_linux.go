package store

import "syscall"

// dropMapped asks the kernel to unmap the resident pages of the file
// mapping at data (see maptrim.go). An error changes nothing: the pages
// simply stay resident.
func dropMapped(data uintptr, size int64) {
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
}
