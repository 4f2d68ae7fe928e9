package sqldedup_test

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/inexopay/inexopay-go"
	"github.com/inexopay/inexopay-go/sqldedup"
)

// Every replica of a service wires its webhook handler to one shared table,
// so that an event INEXOPAY delivers to several replicas, or retries, is
// handled once. (Without DATABASE_URL the example does nothing.)
func Example() {
	dsn := os.Getenv("DATABASE_URL") // such as postgres://app@db.internal/app
	if dsn == "" {
		return
	}
	ctx := context.Background()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxIdleConns(10) // keep connections: database/sql keeps 2 by default

	store, err := sqldedup.New(ctx, db)
	if err != nil {
		log.Fatal(err) // unreachable database, or no right to create the table
	}
	onEvent := func(ctx context.Context, ev *inexopay.WebhookEvent) error {
		log.Printf("order %s is now %s", ev.OrderID, ev.Status)
		return nil // an error (or a panic) makes INEXOPAY retry
	}
	http.Handle("/inexopay/webhook", inexopay.WebhookHandler(onEvent,
		inexopay.WithWebhookToken(os.Getenv("INEXOPAY_WEBHOOK_TOKEN")),
		inexopay.WithWebhookDedup(store),
		inexopay.WithWebhookLease(2*time.Minute), // longer than the slowest callback
	))
}
