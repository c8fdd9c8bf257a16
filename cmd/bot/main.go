// Command bot is briefbot: it answers questions about a folder of news
// articles with quotes (bot --query), prints daily briefings (bot --brief),
// and with no query flags runs as a Discord bot.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
