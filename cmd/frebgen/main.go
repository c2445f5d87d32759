// Command frebgen writes realistic FREB traces for frebscan's samples,
// tests and benchmarks. It is a developer tool; users never need it.
//
//	frebgen samples -o samples
//	frebgen corpus -n 3000 -o DIR -seed 1
//	frebgen fleet -servers 20 -n 5000 -o DIR -seed 1
//	frebgen huge -size 1GiB -o FILE
//
// It uses the standard flag package rather than cobra so the single-dash
// long flags above (-seed, -size) work as written.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `usage:
  frebgen samples [-o DIR]                      one directory per diagnostic rule + README.md
  frebgen corpus  [-n N] [-o DIR] [-seed S]     mixed FailedReqLogFiles tree (W3SVC1, W3SVC2)
  frebgen fleet   [-servers N] [-n N] [-o DIR] [-seed S] [-padded]
                                                one folder per server (EX01/W3SVC1/…), N traces each
  frebgen huge    [-size 1GiB] [-o FILE]        one very large trace, streamed
`

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "frebgen:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmds := map[string]func([]string) error{"samples": samples, "corpus": corpus, "fleet": fleet, "huge": huge}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return cmd(args[1:])
}
