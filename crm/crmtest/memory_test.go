package crmtest_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestMemoryMailContract holds Memory to the behaviours the store has;
// store's TestMailContract runs the same table on bbolt.
func TestMemoryMailContract(t *testing.T) {
	crmtest.MailContract(t, func(*testing.T) crm.Repository { return crmtest.NewMemory() }, nil)
}

// TestMemoryBackupHoldsMail: Backup serialises the state as JSON, which
// cannot key a map by a struct; the mail maps must survive it.
func TestMemoryBackupHoldsMail(t *testing.T) {
	m := crmtest.NewMemory()
	loc := crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 3, UID: 9}
	if err := m.Update(func(tx crm.Tx) error {
		if err := tx.PutLocation(loc, "m1"); err != nil {
			return err
		}
		if err := tx.PutMailboxState(crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 3}); err != nil {
			return err
		}
		return tx.PutMessage(&crm.Message{ID: "m1", MessageID: "a@x", ThreadID: "t1", Locations: []crm.Location{loc}})
	}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) || !bytes.Contains(buf.Bytes(), []byte(`"a@x"`)) || !bytes.Contains(buf.Bytes(), []byte(`"INBOX"`)) {
		t.Errorf("backup lacks the mail: %s", buf.Bytes())
	}
}
