// Command gendocs writes docs/endpoints.md from the endpoint table in
// internal/endpoints. Run it with "go generate ./internal/endpoints" or
// "go run ./internal/cmd/gendocs -o docs/endpoints.md"; without -o it
// writes to stdout. CI (.ci/docs.sh) checks that the file is current.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/inexopay/inexopay-go/internal/endpoints"
)

func main() {
	out := flag.String("o", "", "write to this `file` instead of stdout")
	flag.Parse()
	md := endpoints.Markdown()
	if *out == "" {
		_, err := os.Stdout.Write(md)
		exitOn(err)
		return
	}
	exitOn(os.WriteFile(*out, md, 0o644)) //nolint:gosec // documentation is meant to be world-readable
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
