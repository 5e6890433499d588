package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"roster/crm"
	"roster/mail"
	"roster/mail/config"
)

// startSending connects the outbox to the configured accounts: drafts can
// be written from them, and the delivery worker it returns sends what is
// queued. The caller runs it (Run in the background, or Flush).
func startSending(svc *crm.Service, cfg *config.Config, log *slog.Logger) *mail.Sender {
	opts := mail.SendOptions{Log: log, Pause: mail.PauseFromEnv()}
	// TEST ONLY (main_outbox_test.go): a short wait for Sent copies, so
	// the crash test need not wait the real 20 seconds per restart.
	if d, err := time.ParseDuration(os.Getenv("ROSTER_TEST_SENT_GRACE")); err == nil {
		opts.SentGrace = d
	}
	sender := mail.NewSender(svc, cfg, opts)
	svc.SetSending(mail.Accounts(cfg), sender)
	svc.SetPipelineFollowsMail(cfg.FollowsMail())
	return sender
}

// startMail builds the sync engine (the service's Syncer) and the
// delivery worker for cfg's accounts, logging to log; the caller runs
// them. The board, `roster sync` and `roster serve` all start mail so.
func startMail(svc *crm.Service, cfg *config.Config, log *slog.Logger) (*mail.Engine, *mail.Sender) {
	eng := mail.New(svc, cfg, mail.Options{Log: log})
	svc.SetSyncer(eng)
	return eng, startSending(svc, cfg, log)
}

// setupMail is the command line's way to send: it reads the config and
// returns the worker's Flush, which sends everything due and returns.
func setupMail(svc *crm.Service, configPath string) (func(context.Context) error, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return nil, err
	}
	return startSending(svc, cfg, quietLog()).Flush, nil
}

// setupDrafts is the command line's way to write mail without sending it
// (roster outreach --dry-run): every account of the config can be the
// From, [accounts.smtp] or not, since nothing connects, and no delivery
// worker is set up. The default is the one a real run would send from,
// the first with [accounts.smtp], else the first. The note says when the
// account chosen could not send, so the dry run does not read as proof
// that --yes will work.
func setupDrafts(svc *crm.Service, configPath, account string) (string, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return "", err
	}
	var sending, other []crm.SendingAccount
	for i := range cfg.Accounts {
		a := &cfg.Accounts[i]
		if account != "" && a.Name != account {
			continue
		}
		sa := mail.SendingAccount(a)
		if a.SMTP != nil {
			sending = append(sending, sa)
		} else {
			other = append(other, sa)
		}
	}
	accts := append(sending, other...)
	switch {
	case len(accts) == 0 && account != "":
		return "", fmt.Errorf("no account %q in %s", account, cfg.Path)
	case len(accts) == 0:
		return "", fmt.Errorf("no mail accounts in %s; docs/config.md shows how to add one (a dry run needs only its name and email)", cfg.Path)
	}
	svc.SetSending(accts, nil)
	if len(sending) == 0 {
		return fmt.Sprintf("account %q has no [accounts.smtp] in %s: these mails are what --yes would send once it has one", accts[0].Name, cfg.Path), nil
	}
	return "", nil
}
