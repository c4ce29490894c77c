// Package synonyms holds the groups of words and expressions that search
// treats as one (« déchets », « matières résiduelles »). The default groups
// are embedded (data/synonymes.txt, whose header documents the format); Load
// reads an administrator's edited copy.
package synonyms

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
)

//go:embed data/synonymes.txt
var defaultData []byte

// Groups lists groups of equivalent expressions, as written.
type Groups [][]string

// Default returns the embedded groups. It panics only if the embedded file
// is broken, which the package's tests rule out.
func Default() Groups {
	g, err := Load(bytes.NewReader(defaultData))
	if err != nil {
		panic(fmt.Sprintf("synonyms: embedded data: %v", err))
	}
	return g
}

// Load reads a synonyms file: one group a line, members separated by
// commas, « # » starting a comment.
func Load(r io.Reader) (Groups, error) {
	var out Groups
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		var g []string
		for _, m := range strings.Split(line, ",") {
			if m = strings.Join(strings.Fields(m), " "); m != "" {
				g = append(g, m)
			}
		}
		if len(g) < 2 {
			return nil, fmt.Errorf("synonyms: line %d: a group needs two members or more, separated by commas", n)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	return out, nil
}
