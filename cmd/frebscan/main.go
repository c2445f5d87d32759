// Command frebscan turns IIS Failed Request Tracing (FREB) logs into
// answers: what failed, why, and how to fix it.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
