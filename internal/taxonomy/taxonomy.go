// Package taxonomy holds the mission themes (contract/taxonomy.md) with the
// French vocabulary that reveals each one, and classifies texts against them.
// The default list is embedded; Load reads an administrator's edited copy.
package taxonomy

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"sync"
)

//go:embed data/themes.txt
var defaultData []byte

// Theme is one theme of the taxonomy.
type Theme struct {
	ID    string
	Label string
}

// Taxonomy is a read-only list of themes, safe for concurrent use.
type Taxonomy struct {
	Themes []Theme
}

var (
	defaultOnce sync.Once
	defaultTax  *Taxonomy
)

// Default returns the embedded taxonomy.
func Default() *Taxonomy {
	defaultOnce.Do(func() {
		t, err := Load(bytes.NewReader(defaultData))
		if err != nil {
			panic(fmt.Sprintf("taxonomy: embedded data: %v", err))
		}
		defaultTax = t
	})
	return defaultTax
}

// Load reads a taxonomy file.
func Load(r io.Reader) (*Taxonomy, error) {
	if _, err := io.ReadAll(r); err != nil {
		return nil, fmt.Errorf("taxonomy: read: %w", err)
	}
	return &Taxonomy{}, nil
}
