package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"roster/mail/config"
)

// selfSigned makes a certificate for localhost and returns it with the
// path of its PEM file (to use as ca_file).
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "roster test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, path
}

func TestTLS(t *testing.T) {
	cert, caFile := selfSigned(t)
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(testUser, testPass)
	mem.AddUser(user)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	user.Append("INBOX", literal{bytes.NewReader([]byte(mail{from: "a@x.example", to: testUser, subject: "tls", id: "t1@x.example"}.String()))}, &imap.AppendOptions{})
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:      imap.CapSet{imap.CapIMAP4rev1: {}},
		TLSConfig: tlsCfg,
		Logger:    quietLog,
	})
	t.Cleanup(func() { srv.Close() })
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	implicit, err := tls.Listen("tcp", "127.0.0.1:0", tlsCfg)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(plain)
	go srv.Serve(implicit)

	run := func(security, addr, ca string) error {
		_, port, _ := net.SplitHostPort(addr)
		t.Setenv("ROSTER_TEST_IMAP_PW", testPass)
		body := "[[accounts]]\nname = \"work\"\nemail = \"" + testUser + "\"\n[accounts.imap]\nhost = \"localhost\"\nport = " + port +
			"\nsecurity = \"" + security + "\"\npassword_env = \"ROSTER_TEST_IMAP_PW\"\n"
		if ca != "" {
			body += "ca_file = \"" + ca + "\"\n"
		}
		cfg, err := config.Parse(filepath.Join(t.TempDir(), "c.toml"), []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		svc := newService(t)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sum, err := New(svc, cfg, Options{CommandTimeout: 5 * time.Second}).SyncOnce(ctx)
		if err == nil && sum.New != 1 {
			t.Errorf("%s: %s", security, sum)
		}
		return err
	}
	for _, c := range []struct{ security, addr string }{{"tls", implicit.Addr().String()}, {"starttls", plain.Addr().String()}} {
		if err := run(c.security, c.addr, caFile); err != nil {
			t.Errorf("%s with ca_file: %v", c.security, err)
		}
		if err := run(c.security, c.addr, ""); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s without ca_file must fail verification: %v", c.security, err)
		}
	}
}
