// Command frebscan turns IIS Failed Request Tracing (FREB) logs into
// answers: what failed, why, and how to fix it.
package main

import (
	"os"

	"github.com/frebscan/frebscan/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
