//go:build heavy

package main

// What cmd/escale links besides the extraction: their packages' init runs
// in every process of escale.
import (
	_ "escale/index"
	_ "escale/internal/service"
	_ "escale/internal/store"
	_ "escale/internal/web"
)
