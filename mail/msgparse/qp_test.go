package msgparse

import (
	"bytes"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"

	"roster/mail/mailgen"
)

// stdQP is what appendQP must reproduce: the standard reader read
// through a limit, as decodeBody once did.
func stdQP(src []byte, max int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(quotedprintable.NewReader(bytes.NewReader(src)), int64(max)))
}

func checkQP(t *testing.T, src []byte, max int) {
	t.Helper()
	want, werr := stdQP(src, max)
	got, gerr := appendQP([]byte("prefix"), src, max)
	got = got[len("prefix"):]
	if !bytes.Equal(got, want) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("appendQP(%q, %d) = %q, %v; the standard reader gives %q, %v", src, max, got, gerr, want, werr)
	}
}

var qpCases = []string{
	"", "=", "==", "a=", "a==", "=\n", "a=\n", "a=\r\n", "a= \r\n", "a=\r \n", "a=\r", "=A", "=4", "=41", "=4g",
	"=\r\nb", "a=\rb\n", "a=\nb=\r\nc", "caf=C3=A9\r\n", "caf=c3=a9", "x = y\r\n", "trail  \r\nnext\t\n", "tab\there",
	"bare\rcr\n", "ctl\x01x\n", "del\x7f", "high\xff\xfe\n", "=0D=0A", "line\r\r\n", "soft=  \t\r\nend", "=\n=\n",
	strings.Repeat("x", 4095) + "\n", strings.Repeat("x", 4096) + "\n", strings.Repeat("x", 4096),
	strings.Repeat("x", 4095) + "=", strings.Repeat("x", 4094) + " \n", strings.Repeat("y", 9000), strings.Repeat("ab=\n", 3000),
}

func TestAppendQP(t *testing.T) {
	for _, c := range qpCases {
		for _, max := range []int{0, 1, 2, 3, 5, 4095, 4096, 1 << 20} {
			checkQP(t, []byte(c), max)
		}
	}
	checkQP(t, []byte(mailgen.QP(strings.Repeat("Déjà vu — “great” ✨\n", 500))), 1<<20)
}

func FuzzAppendQP(f *testing.F) {
	for _, c := range qpCases {
		f.Add([]byte(c), uint16(100))
	}
	f.Fuzz(func(t *testing.T, src []byte, max uint16) {
		checkQP(t, src, int(max))
		checkQP(t, src, 1<<20)
	})
}
