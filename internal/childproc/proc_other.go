//go:build !linux

package childproc

import "os/exec"

// isolate does nothing here: the context still kills the program.
func isolate(cmd *exec.Cmd) {}

// limitMemory does nothing here: the timeout still bounds the program.
func limitMemory(pid int, limit int64) {}
