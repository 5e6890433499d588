//go:build !linux

package store

// dropMapped does nothing where MADV_DONTNEED's effect on shared file
// mappings is not the one maptrim.go relies on.
func dropMapped(data uintptr, size int64) {}
