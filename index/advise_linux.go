package index

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// adviseRandom gives MADV_RANDOM to every mapping of a segment file (.zap)
// under dir, as /proc/self/maps lists them, and returns how many it
// advised. Paths there are absolute, with symbolic links resolved.
func adviseRandom(dir string) (int, error) {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		// "start-end perms offset dev inode   /path": only the path holds a slash.
		at := strings.Index(line, " /")
		if at < 0 {
			continue
		}
		path := line[at+1:]
		if !strings.HasPrefix(path, dir+"/") || !strings.HasSuffix(path, ".zap") {
			continue
		}
		lo, hi, ok := strings.Cut(strings.Fields(line)[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			return n, fmt.Errorf("unreadable mapping %q", line)
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_RANDOM); errno != 0 {
			return n, fmt.Errorf("madvise %s: %w", path, errno)
		}
		n++
	}
	return n, sc.Err()
}
