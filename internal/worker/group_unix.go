//go:build unix

package worker

import (
	"errors"
	"os/exec"
	"syscall"
)

// ownGroup starts the child in a process group of its own: killing the group
// also kills whatever the child started (an OCR program), and a Ctrl-C in the
// terminal reaches the parent only, which then stops the child itself.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the process group that the child leads.
func killGroup(pid int) error {
	err := syscall.Kill(-pid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// killedBySignal tells whether the child died of SIGKILL.
func killedBySignal(state interface{ Sys() any }) bool {
	ws, ok := state.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
