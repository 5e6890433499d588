package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's on-disk header, from go.etcd.io/bbolt/internal/common: every page
// starts with a 16-byte header; pages 0 and 1 then hold a meta struct whose
// fields are written in the machine's byte order.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	metaMagicOff     = pageHeaderSize + 0
	metaVersionOff   = pageHeaderSize + 4
	metaPageSizeOff  = pageHeaderSize + 8
	metaRootOff      = pageHeaderSize + 16
	metaFreelistOff  = pageHeaderSize + 32
	metaPgidOff      = pageHeaderSize + 40
	metaTxidOff      = pageHeaderSize + 48
	metaChecksumOff  = pageHeaderSize + 56
	metaEnd          = pageHeaderSize + 64
	noFreelist       = ^uint64(0)
	minPageSize      = 512
	maxPageSize      = 1 << 20
	defaultPageProbe = 4096
)

// boltMeta is what checkHeader needs from a meta page.
type boltMeta struct {
	magic, version, pageSize uint32
	root, freelist, pgid     uint64
	txid                     uint64
	sumOK                    bool
}

func (m boltMeta) valid() bool {
	return m.magic == boltMagic && m.version == boltVersion && m.sumOK
}

// readMeta decodes the meta page at off; ok is false when the file is too
// short to hold one.
func readMeta(f io.ReaderAt, off int64) (m boltMeta, ok bool) {
	var b [metaEnd]byte
	if n, _ := f.ReadAt(b[:], off); n < len(b) {
		return m, false
	}
	e := binary.NativeEndian
	m.magic = e.Uint32(b[metaMagicOff:])
	m.version = e.Uint32(b[metaVersionOff:])
	m.pageSize = e.Uint32(b[metaPageSizeOff:])
	m.root = e.Uint64(b[metaRootOff:])
	m.freelist = e.Uint64(b[metaFreelistOff:])
	m.pgid = e.Uint64(b[metaPgidOff:])
	m.txid = e.Uint64(b[metaTxidOff:])
	h := fnv.New64a()
	h.Write(b[pageHeaderSize:metaChecksumOff])
	m.sumOK = h.Sum64() == e.Uint64(b[metaChecksumOff:])
	return m, true
}

// checkHeader looks at a non-empty file's bbolt meta pages before bbolt
// maps it. bbolt trusts its meta page: a file cut short after a valid
// header makes it touch memory past the end of the file, which is a fatal
// SIGBUS rather than an error. Checking here turns random bytes, damaged
// headers and truncated copies into a plain explanation, and reads only.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()

	m0, ok0 := readMeta(f, 0)
	if !ok0 {
		return notRoster(path, fmt.Sprintf("it is only %d bytes long", size))
	}
	best, found := m0, m0.valid() && sanePageSize(m0.pageSize)
	// Page 1 lies one page further on; without a valid page 0 the page
	// size is unknown, so try the sizes bbolt itself would (4 KiB and
	// the OS page size).
	probes := []int64{int64(os.Getpagesize()), defaultPageProbe}
	if found {
		probes = []int64{int64(m0.pageSize)}
	}
	for _, off := range probes {
		m1, ok := readMeta(f, off)
		if !ok || !m1.valid() || !sanePageSize(m1.pageSize) || int64(m1.pageSize) != off {
			continue
		}
		if !found || m1.txid > best.txid {
			best, found = m1, true
		}
		break
	}
	if !found {
		switch {
		case m0.magic != boltMagic:
			return notRoster(path, "it is not a bbolt database file")
		case m0.version != boltVersion:
			return notRoster(path, fmt.Sprintf("it uses bbolt file format %d, not %d", m0.version, boltVersion))
		default:
			return notRoster(path, "both of its bbolt header pages are damaged")
		}
	}
	ps := int64(best.pageSize)
	if need := int64(best.pgid) * ps; best.pgid < 2 || size < need || size < 2*ps {
		return notRoster(path, fmt.Sprintf("it is truncated or damaged: %d bytes where its header needs %d", size, max(need, 2*ps)))
	}
	if best.root >= best.pgid || (best.freelist != noFreelist && best.freelist >= best.pgid) {
		return notRoster(path, "its bbolt header points outside the file")
	}
	if flags, _, _ := pageHeader(f, best.root, ps); flags != branchPage && flags != leafPage {
		return notRoster(path, "its root page is damaged")
	}
	if best.freelist != noFreelist && !freelistOK(f, best.freelist, best.pgid, ps) {
		// bbolt panics on a bad freelist when opening for writing.
		return notRoster(path, "its free-page list is damaged")
	}
	return nil
}

const (
	branchPage   = 0x01
	leafPage     = 0x02
	freelistPage = 0x10
)

// pageHeader reads the flags, count and overflow of page id.
func pageHeader(f io.ReaderAt, id uint64, ps int64) (flags, count uint16, overflow uint32) {
	var b [pageHeaderSize]byte
	if n, _ := f.ReadAt(b[:], int64(id)*ps); n < len(b) {
		return 0, 0, 0
	}
	e := binary.NativeEndian
	return e.Uint16(b[8:]), e.Uint16(b[10:]), e.Uint32(b[12:])
}

// freelistOK checks that the freelist page is one and lists only pages
// inside the file.
func freelistOK(f io.ReaderAt, id, pgid uint64, ps int64) bool {
	flags, count, overflow := pageHeader(f, id, ps)
	if flags != freelistPage || id+uint64(overflow) >= pgid {
		return false
	}
	b := make([]byte, int64(overflow+1)*ps)
	if n, _ := f.ReadAt(b, int64(id)*ps); n < len(b) {
		return false
	}
	e := binary.NativeEndian
	ids := b[pageHeaderSize:]
	n := uint64(count)
	if count == 0xFFFF {
		n = e.Uint64(ids)
		ids = ids[8:]
	}
	if n > uint64(len(ids)/8) {
		return false
	}
	for i := range n {
		if p := e.Uint64(ids[i*8:]); p < 2 || p >= pgid {
			return false
		}
	}
	return true
}

func sanePageSize(ps uint32) bool {
	return ps >= minPageSize && ps <= maxPageSize && ps&(ps-1) == 0
}
