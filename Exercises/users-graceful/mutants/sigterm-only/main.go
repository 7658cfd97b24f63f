// Command users serves the users REST API on 127.0.0.1:$PORT and shuts down gracefully:
// on SIGTERM or SIGINT it stops accepting connections, finishes the requests in flight,
// and exits 0.
//
//	PORT=8080 go run .
package main

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// shutdownTimeout bounds the drain. Keep it below the time your platform waits between
// SIGTERM and SIGKILL (Kubernetes: terminationGracePeriodSeconds, 30 s by default).
const shutdownTimeout = 15 * time.Second

func main() {
	if err := run(); err != nil {
		log.Print(err)
		os.Exit(1)
	}
	log.Print("drained, exiting")
}

// run returns only when the server has stopped: nil after a clean drain. Keeping the logic
// out of main means deferred calls run before the process exits.
func run() error {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}

	api := &API{store: NewStore()}
	srv := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           api.Routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}

	// ctx is cancelled by the first SIGTERM (what Kubernetes, systemd and the checker
	// send) or SIGINT (Ctrl-C). Register before serving, so no signal is missed.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()

	// Listen first: a port already in use fails here, plainly.
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Printf("users API listening on http://%s", srv.Addr)

	select {
	case err := <-serveErr:
		return err // the server failed on its own
	case <-ctx.Done():
	}
	stop() // from now on a second signal gets the default treatment: exit at once

	// Shutdown closes the listener at once (new connections are refused), closes idle
	// keep-alive connections, and waits for every request in flight to be answered.
	log.Print("signal received: refusing new connections, draining requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close() // out of time: cut the stragglers
		return errors.New("drain did not finish in time: " + err.Error())
	}
	// Serve returned ErrServerClosed as soon as Shutdown began; that is the normal case.
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
