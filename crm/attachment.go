package crm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AttachmentFetcher is what a Syncer that can read an attachment from the
// server also implements (mail.Engine does): roster stores attachments'
// names and sizes, not their bytes, so a manager saving a creator's
// signed contract has it read from the message's copy on the server.
type AttachmentFetcher interface {
	FetchAttachment(ctx context.Context, m Message, a Attachment) ([]byte, error)
}

// maxSaveCopies bounds the "name (n).ext" candidates SaveAttachment
// tries before it gives up on a directory full of copies.
const maxSaveCopies = 1000

// SaveAttachment reads attachment a of m from the server and writes it as
// a new file in dir, named after the attachment (SafeFileName) and never
// over an existing file: when the name is taken it picks "name (2).ext",
// "name (3).ext" and so on. The file is written whole or not at all
// (WriteNewFileAtomic, mode 0600: a contract is nobody else's business).
// It returns the path written. Without mail configured it returns
// ErrNoMail; an empty dir is refused, since where files go is the
// caller's decision.
func (s *Service) SaveAttachment(ctx context.Context, m Message, a Attachment, dir string) (string, error) {
	sy := s.syncer()
	af, ok := sy.(AttachmentFetcher)
	if !ok {
		return "", ErrNoMail
	}
	if dir == "" {
		return "", errors.New("no directory to save attachments in")
	}
	data, err := af.FetchAttachment(ctx, m, a)
	if err != nil {
		return "", err
	}
	return SaveNewFile(dir, a.Name, data)
}

// SaveNewFile writes data to a new file in dir named SafeFileName(name),
// or "name (n).ext" with the first n from 2 that is free, and returns its
// path. It never replaces a file.
func SaveNewFile(dir, name string, data []byte) (string, error) {
	base := SafeFileName(name)
	stem, ext := splitExt(base)
	write := func(w io.Writer) (int64, error) {
		n, err := w.Write(data)
		return int64(n), err
	}
	for i := 1; i <= maxSaveCopies; i++ {
		n := base
		if i > 1 {
			n = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		path := filepath.Join(dir, n)
		_, err := WriteNewFileAtomic(path, write)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%s already holds %s and %d numbered copies of it: nothing was written", dir, base, maxSaveCopies-1)
}

// maxFileName caps a saved file's name in bytes, below the 255 most file
// systems allow, leaving room for " (999)".
const maxFileName = 200

// maxExt is the longest extension kept whole when a name is cut.
const maxExt = 16

// SafeFileName makes a file name out of an attachment's name, which the
// sender chose: only its last path element (after any / or \), sanitised
// (SanitizeLine: no escape sequences, controls or bidi overrides), with no
// NUL, no other control character, no path separator and no leading dot
// (which would hide the file or name "." or ".."), at most maxFileName
// bytes with the extension kept, and "attachment" when nothing is left.
func SafeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = SanitizeLine(name)
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	// Dots and spaces go together: trimmed in turn, ". .x" kept a dot.
	name = strings.TrimSpace(strings.TrimLeftFunc(name, func(r rune) bool { return r == '.' || unicode.IsSpace(r) }))
	if name == "" {
		return "attachment"
	}
	if len(name) > maxFileName {
		stem, ext := splitExt(name)
		if len(ext) > maxExt {
			stem, ext = name, ""
		}
		name = strings.TrimSpace(cutBytes(stem, maxFileName-len(ext))) + ext
	}
	return name
}

// splitExt cuts a file name before its extension ("a.tar.gz" gives "a.tar"
// and ".gz"); a name without one gives "".
func splitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return name, ""
	}
	return name[:i], name[i:]
}

// cutBytes cuts s to at most n bytes without splitting a rune.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ByteSize prints a size as people read it: 812 B, 14 KB, 2.3 MB.
func ByteSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
	}
}
