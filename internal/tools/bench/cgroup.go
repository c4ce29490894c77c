package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// memoryCgroup is a memory control group the server runs in, so that its
// resident memory, the index pages it maps included, is held under a
// limit: the kernel then drops the mapped pages it needs least, as it
// would on a machine with that much memory. It needs root and a cgroup
// file system, version 2 or version 1's memory controller.
type memoryCgroup struct {
	dir string
}

// newMemoryCgroup creates a control group limited to limit bytes.
func newMemoryCgroup(name string, limit int64) (*memoryCgroup, error) {
	const root = "/sys/fs/cgroup"
	dir, file := filepath.Join(root, name), "memory.max" // version 2
	if _, err := os.Stat(filepath.Join(root, "cgroup.controllers")); err != nil {
		dir, file = filepath.Join(root, "memory", name), "memory.limit_in_bytes" // version 1
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("memory limit needs a writable cgroup file system (root): %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), []byte(strconv.FormatInt(limit, 10)), 0o644); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("memory limit: %w", err)
	}
	return &memoryCgroup{dir: dir}, nil
}

// wrap returns the command line that runs argv inside the group: a shell
// joins the group, then becomes the program, so that everything the
// program ever touches is counted.
func (g *memoryCgroup) wrap(argv []string) []string {
	return append([]string{"sh", "-c", `echo $$ > "$0" && exec "$@"`, filepath.Join(g.dir, "cgroup.procs")}, argv...)
}

// dropPageCache empties the kernel's page cache (clean pages only). A page
// already cached is charged to the group that read it first: without this,
// the index pages an earlier run read would stay resident in the limited
// server, uncounted by its group.
func dropPageCache() error {
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("1"), 0o200); err != nil {
		return fmt.Errorf("memory limit: drop the page cache first: %w", err)
	}
	return nil
}

// remove deletes the group; it must be empty (its process ended).
func (g *memoryCgroup) remove() error {
	return os.Remove(g.dir)
}
