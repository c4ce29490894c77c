package main

import (
	"context"
	"fmt"
)

// runExtract prints the mission record of one report. (Being written: see issue 2.)
func runExtract(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.stderr, "unsupported: l’extraction n’est pas encore disponible dans cette version.")
	return 1
}
