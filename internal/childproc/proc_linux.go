package childproc

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// isolate makes the program die with the process that started it. It
// stays in that process's group: a worker child killed with its group at a
// limit takes its programs along.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// limitMemory lowers the data limit (heap and private mappings) of a
// process just started; a C program allocates little before this lands,
// and what matters is the image or page that would take gigabytes. A limit
// already lower, inherited from a worker, stays.
func limitMemory(pid int, limit int64) {
	if limit <= 0 {
		return
	}
	var old unix.Rlimit
	if err := unix.Prlimit(pid, unix.RLIMIT_DATA, nil, &old); err != nil || old.Max <= uint64(limit) {
		return
	}
	lim := &unix.Rlimit{Cur: uint64(limit), Max: uint64(limit)}
	_ = unix.Prlimit(pid, unix.RLIMIT_DATA, lim, nil)
}
