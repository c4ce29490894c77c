package worker

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// setDataLimit sets RLIMIT_DATA, which on Linux counts private writable
// mappings, to what the process maps now plus limit. Go reserves its address
// space without write access, so unlike RLIMIT_AS (about 1.2 GB of
// reservations at start) this tracks what the process commits: about 40 MB at
// start (300 MB with the race detector's shadow memory), then the heap.
func setDataLimit(limit int64) {
	base, err := statusBytes("self", "VmData:")
	if err != nil {
		return // best effort: the watchdog and the parent still hold
	}
	lim := &syscall.Rlimit{Cur: uint64(base + limit), Max: uint64(base + limit)}
	_ = syscall.Setrlimit(syscall.RLIMIT_DATA, lim)
}

// residentBytes returns the resident set size of process pid.
func residentBytes(pid int) (int64, error) {
	return statusBytes(strconv.Itoa(pid), "VmRSS:")
}

// statusBytes reads one "Vm...: N kB" field of /proc/PROC/status.
func statusBytes(proc, field string) (int64, error) {
	b, err := os.ReadFile("/proc/" + proc + "/status")
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(b) {
		rest, ok := bytes.CutPrefix(line, []byte(field))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("worker: /proc/%s/status: line %q", proc, line)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("worker: /proc/%s/status: line %q: %w", proc, line, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("worker: /proc/%s/status: no %s", proc, field)
}

// peakResident returns the peak resident set size of a process that ended, in
// bytes, or 0 when unknown.
func peakResident(state interface{ SysUsage() any }) int64 {
	if ru, ok := state.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// selfExecutable names the running binary.
func selfExecutable() (string, error) {
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		return "/proc/self/exe", nil
	}
	return os.Executable()
}
