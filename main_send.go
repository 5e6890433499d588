package main

import (
	"context"
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
