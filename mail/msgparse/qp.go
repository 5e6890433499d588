package msgparse

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// qpLineMax is the line length at which mime/quotedprintable.Reader
// gives up (its bufio.Reader's default size): the decoder below stops
// there with the same error.
const qpLineMax = 4096

// appendQP decodes the quoted-printable src onto dst, stopping once dst
// has grown by max bytes. It gives exactly what
// io.ReadAll(io.LimitReader(quotedprintable.NewReader(bytes.NewReader(src)), max))
// gives, the same bytes and the same error, including the standard
// reader's leniencies and its 4096-byte line limit, so replacing it
// changes nothing a user sees. Why not the standard reader: it costs a
// bufio.Reader, a growing buffer and per-byte work through an io.Reader
// chain, the largest single cost of parsing quoted-printable mail.
func appendQP(dst, src []byte, max int) ([]byte, error) {
	limit := len(dst) + max
	for pos := 0; ; {
		if len(dst) >= limit {
			return dst, nil
		}
		// One ReadSlice('\n') of a 4096-byte bufio.Reader.
		var whole []byte
		var rerr error
		end := min(len(src), pos+qpLineMax)
		if i := bytes.IndexByte(src[pos:end], '\n'); i >= 0 {
			whole = src[pos : pos+i+1]
		} else if len(src)-pos >= qpLineMax {
			whole, rerr = src[pos:end], bufio.ErrBufferFull
		} else {
			whole, rerr = src[pos:], io.EOF
		}
		pos += len(whole)

		line := bytes.TrimRight(whole, "\n\r \t")
		nl := ""
		if bytes.HasSuffix(line, []byte("=")) {
			rest := bytes.TrimLeft(whole[len(line):], " \t")
			line = line[:len(line)-1]
			if !bytes.HasPrefix(rest, []byte("\n")) && !bytes.HasPrefix(rest, []byte("\r\n")) &&
				!(len(rest) == 0 && len(line) > 0 && rerr == io.EOF) {
				rerr = fmt.Errorf("quotedprintable: invalid bytes after =: %q", rest)
			}
		} else if bytes.HasSuffix(whole, []byte("\r\n")) {
			nl = "\r\n"
		} else if bytes.HasSuffix(whole, []byte("\n")) {
			nl = "\n"
		}

		for i := 0; i < len(line); i++ {
			if len(dst) >= limit {
				return dst, nil
			}
			b := line[i]
			switch {
			case b == '=':
				rem := len(line) - i
				if rem >= 3 && isHex(line[i+1]) && isHex(line[i+2]) {
					dst = append(dst, unhex(line[i+1])<<4|unhex(line[i+2]))
					i += 2
					continue
				}
				if rem < 2 || line[i+1] == '\r' || line[i+1] == '\n' {
					if rem < 3 {
						return dst, io.ErrUnexpectedEOF
					}
					return dst, fmt.Errorf("quotedprintable: invalid hex byte 0x%02x", line[i+1])
				}
				// Not an escape: the "=" is kept as a literal.
			case b == '\t' || b == '\r' || b == '\n' || b >= 0x80:
			case b < ' ' || b > '~':
				return dst, fmt.Errorf("quotedprintable: invalid unescaped byte 0x%02x in body", b)
			}
			dst = append(dst, b)
		}
		for i := 0; i < len(nl); i++ {
			if len(dst) >= limit {
				return dst, nil
			}
			dst = append(dst, nl[i])
		}
		if rerr != nil {
			if rerr == io.EOF || len(dst) >= limit {
				return dst, nil
			}
			return dst, rerr
		}
	}
}
