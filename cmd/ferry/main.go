// Command ferry migrates a company's CRM from Klipy CRM to Pipedrive: data and schema, field by
// field, verified, resumable and reversible. Run `ferry --help` for the journey.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfile := startCPUProfile()
	err := newRootCommand(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stopProfile()
	if err != nil && ctx.Err() != nil {
		err = interrupted(err, "ferry "+strings.Join(os.Args[1:], " "))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferry:", err)
	}
	os.Exit(exitCode(err))
}
