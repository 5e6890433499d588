package store_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/crm"
	"roster/store"
)

// checkBackup opens a backup file as a roster database and finds Maya in
// it.
func checkBackup(t *testing.T, path string, id crm.ID) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", st.Mode().Perm())
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("opening the backup: %v", err)
	}
	defer db.Close()
	err = db.View(func(tx crm.Tx) error {
		c, err := tx.Creator(id)
		if err == nil && c.Name != "Maya Chen" {
			t.Errorf("backup holds %q", c.Name)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

func TestBackup(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	n, err := f.db.Backup(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup: %d bytes (%d written), %v", n, buf.Len(), err)
	}
	// The snapshot is the moment the backup began: a later change is not
	// in it.
	if _, err := f.svc.AddCreator("ana", crm.Creator{Name: "Later", Emails: []string{"later@example.com"}}, f.campaign, ""); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	checkBackup(t, path, f.card.Creator.ID)
	db := openDB(t, path)
	if n := creators(t, db); n != 1 {
		t.Errorf("backup holds %d creators, want 1", n)
	}
}

// TestBackupReplacesAFileAtomically: Backup through crm.WriteFileAtomic,
// as roster backup --force and :backup write it, replaces an old file
// with a database that opens, and leaves nothing else beside it.
func TestBackupReplacesAFileAtomically(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(path, []byte("old backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := crm.WriteFileAtomic(path, f.db.Backup); err != nil {
		t.Fatal(err)
	}
	checkBackup(t, path, f.card.Creator.ID)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestControlSocketBackup(t *testing.T) {
	f := newFixture(t)
	stop, err := f.db.ServeControl(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sock := store.ControlPath(f.db.Path())
	if sock != f.db.Path()+".sock" {
		t.Errorf("ControlPath = %q", sock)
	}
	if st, err := os.Stat(sock); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket: %v %v", st.Mode(), err)
	}
	if _, err := f.db.ServeControl(context.Background()); err == nil {
		t.Error("served the same socket twice")
	}

	path := filepath.Join(t.TempDir(), "remote.db")
	var buf bytes.Buffer
	n, err := store.RemoteBackup(f.db.Path(), &buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("RemoteBackup: %d, %v", n, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	checkBackup(t, path, f.card.Creator.ID)

	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("shutdown\n"))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.HasPrefix(line, "ERR ") {
		t.Errorf("unknown request answered %q", line)
	}

	stop()
	stop()
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket still there after stop: %v", err)
	}
	_, err = store.RemoteBackup(f.db.Path(), &buf)
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "no control socket answered") {
		t.Errorf("RemoteBackup with nobody serving: %v", err)
	}
}

func TestControlSocketStopsWithContextAndClose(t *testing.T) {
	f := newFixture(t)
	sock := store.ControlPath(f.db.Path())
	ctx, cancel := context.WithCancel(context.Background())
	stop, err := f.db.ServeControl(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	stop() // waits for the server to finish
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket survived its context: %v", err)
	}

	if _, err := f.db.ServeControl(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.db.Close()
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket survived Close: %v", err)
	}
}

func TestStaleControlSocketReplaced(t *testing.T) {
	f := newFixture(t)
	sock := store.ControlPath(f.db.Path())
	// A crashed roster leaves its socket file behind.
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(sock); err != nil {
		t.Fatal("no stale socket to test with")
	}
	stop, err := f.db.ServeControl(context.Background())
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	stop()

	// Anything that is not a socket is left alone.
	if err := os.WriteFile(sock, []byte("notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ServeControl(context.Background()); err == nil {
		t.Error("served over a regular file")
	}
	if b, _ := os.ReadFile(sock); string(b) != "notes" {
		t.Error("the regular file was touched")
	}
}

// TestRemoteBackupFromAnotherProcess is `roster backup FILE` while a
// roster runs: Open is refused, the control socket hands over a snapshot.
func TestRemoteBackupFromAnotherProcess(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	svc := newService(t, db)
	cs, _ := svc.Campaigns()
	card, err := svc.AddCreator("ana", maya(), cs[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	holdInOtherProcess(t, path)

	if _, err := store.Open(path, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("open beside a running roster: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := crm.WriteFileAtomic(backup, func(w io.Writer) (int64, error) { return store.RemoteBackup(path, w) }); err != nil {
		t.Fatal(err)
	}
	checkBackup(t, backup, card.Creator.ID)
}
