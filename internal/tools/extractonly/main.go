// Command extractonly prints the mission record of one report, read in its
// own process, with no child: what `escale extract` would cost without the
// isolation of each file in a child process (internal/worker), for the
// extraction benchmark (internal/tools/bench) to measure against pdftotext.
// Built as is, it links the extraction code alone; built with -tags heavy,
// it also links what the escale binary links (index, catalog, web server),
// whose package initialisation every process of escale pays. It is not
// shipped: a hostile file can take this process down.
//
//	go run ./internal/tools/extractonly FILE
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"escale/internal/extract"
	"escale/internal/gazetteer"
	"escale/internal/meta"
	"escale/internal/taxonomy"
	"escale/internal/worker"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: extractonly FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "extractonly:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// The limits and the collector's pace of a child reading its first file.
	worker.CapMemory(worker.DefaultMemory)
	k := meta.Knowledge{Taxonomy: taxonomy.Default(), Gazetteer: gazetteer.Default()}
	m, err := extract.Extract(context.Background(), data, path, extract.Options{MaxPages: 500, Knowledge: k})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(m)
}
